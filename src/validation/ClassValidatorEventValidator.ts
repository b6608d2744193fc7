import { plainToInstance } from 'class-transformer';
import { validate, validateSync, type ValidationError as ClassValidatorError } from 'class-validator';
import { ConfigurationError } from '../errors/ConfigurationError';
import { ValidationError } from '../errors/FcError';
import type { Constructor } from '../metadata/records';
import { validatorStorage } from './classValidatorInternals';
import { compileDiscriminatedArrayCheck } from './discriminatedArrays';
import { flattenValidationErrors } from './flattenErrors';
import { freshCompilation } from './freshCompilation';
import { compileNestedShapeCheck, readNestedGraph, type NestedGraph } from './nestedShapes';
import type { EventValidator, ResolvedValidationOptions } from './options';
import { validatesSynchronously } from './synchronousConstraints';

/** Whether class-validator knows any constraint of this class (or its bases). */
export function hasValidationMetadata(dto: Constructor): boolean {
  return validatorStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
}

/**
 * Fails at boot for a DTO that would not be validated as its author expects: no constraints at
 * all, or a nested class that cannot be (see `readNestedGraph`). Answers the nested graph.
 */
export function assertValidatableDto(dto: Constructor, where: string): NestedGraph {
  if (!hasValidationMetadata(dto)) {
    throw new ConfigurationError(
      'DTO_WITHOUT_CONSTRAINTS',
      `${where} has no class-validator decorators; decorate its properties, or declare the event as Buffer, string or object`,
      { className: dto.name },
    );
  }
  return readNestedGraph(dto, where);
}

/**
 * class-validator's verdict on an instance class-transformer made of an event of `dto`: the
 * instance, or a thrown `ValidationError`. Decided at boot: `validateSync` when every constraint
 * of the graph answers at once (see `validatesSynchronously`), so each event is answered
 * without a promise; `validate` otherwise.
 */
export function compileInstanceValidation(
  dto: Constructor,
  options: ResolvedValidationOptions,
  graph: NestedGraph,
): (instance: object) => object | Promise<object> {
  const checkNestedShapes = compileNestedShapeCheck(dto, graph);
  const validatorOptions = {
    whitelist: options.whitelist,
    forbidNonWhitelisted: options.forbidNonWhitelisted,
    forbidUnknownValues: options.forbidUnknownValues,
    skipMissingProperties: options.skipMissingProperties,
    stopAtFirstError: options.stopAtFirstError,
    groups: options.groups,
    validationError: { target: false, value: false },
  };
  const verdict = (instance: object, errors: ClassValidatorError[]): object => {
    const shapeErrors = checkNestedShapes(instance);
    if (errors.length > 0 || shapeErrors.length > 0) {
      throw new ValidationError([...flattenValidationErrors(errors), ...shapeErrors]);
    }
    return instance;
  };
  if (validatesSynchronously(graph)) return (instance) => verdict(instance, validateSync(instance, validatorOptions));
  return async (instance) => verdict(instance, await validate(instance, validatorOptions));
}

/**
 * The default engine: class-transformer's `plainToInstance`, then class-validator (see
 * `compileInstanceValidation`), compiled again when a decorator records after boot.
 */
export const classValidatorEventValidator: EventValidator = {
  compile(dto, options: ResolvedValidationOptions) {
    const transformOptions = { enableImplicitConversion: options.enableImplicitConversion };
    const current = freshCompilation(() => {
      const graph = assertValidatableDto(dto, `DTO ${dto.name}`);
      const checkArrays = compileDiscriminatedArrayCheck(dto, graph);
      const validateInstance = compileInstanceValidation(dto, options, graph);
      return (plain: unknown) => {
        if (checkArrays !== null) checkArrays(plain);
        return validateInstance(plainToInstance(dto, plain, transformOptions) as object);
      };
    });
    return (plain) => current()(plain);
  },

  describe(dto) {
    let graph: NestedGraph;
    try {
      graph = readNestedGraph(dto, `DTO ${dto.name}`);
    } catch {
      // compile() refuses the class and says why; there is no way it validates to describe.
      return { engine: 'class-validator' };
    }
    return {
      engine: 'class-validator',
      reason: validatesSynchronously(graph)
        ? "validateSync: every constraint is one of class-validator's own, so each event is answered at once"
        : graph.perEvent.length > 0
          ? `validate, a promise per event: the @Type function of ${graph.perEvent.map((p) => `${p.owner.name}.${p.name}`).join(', ')} reads its options, so the classes its values may be are known per event`
          : "validate, a promise per event: a constraint that is not one of class-validator's own (or @ValidatePromise) may answer asynchronously",
    };
  },
};
