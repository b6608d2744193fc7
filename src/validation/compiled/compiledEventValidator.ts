import { messageOf, ValidationError, type FieldError } from '../../errors/FcError';
import type { Constructor } from '../../metadata/records';
import {
  assertValidatableDto,
  classValidatorEventValidator,
  compileInstanceValidation,
} from '../ClassValidatorEventValidator';
import { compileDiscriminatedArrayCheck } from '../discriminatedArrays';
import { freshCompilation } from '../freshCompilation';
import { compileNestedShapeCheck, type NestedGraph } from '../nestedShapes';
import type { EventValidator, ResolvedValidationOptions } from '../options';
import { validateObject, ValidationRun } from './runValidation';
import { transformerInternalsReadable } from '../classTransformerInternals';
import { generateValidation } from './generatedValidation';
import { transformValue } from './transformPlain';
import { TransformGraph, type Target } from './transformPlan';
import { UnsupportedValidation, ValidationGraph, type ClassPlan } from './validationPlan';

/** Which engine validates a DTO's events, and why; decided at boot. */
export interface EngineDecision {
  engine: 'compiled' | 'class-validator';
  reason: string;
}

/**
 * A DTO's per-event validation: the instance (synchronously unless an asynchronous constraint
 * ran), or a thrown `ValidationError`. `describe()` tells which engine it runs.
 */
export type CompiledEventValidation = ((plain: unknown) => object | Promise<object>) & {
  describe(): EngineDecision;
};

/** The compiled engine's seam: `compile` runs once per DTO class at boot. */
export interface CompilingEventValidator extends EventValidator {
  compile(dto: Constructor, options: ResolvedValidationOptions): CompiledEventValidation;
  describe(dto: Constructor, options: ResolvedValidationOptions): EngineDecision;
}

/**
 * The compiled engine: each DTO's class-transformer and class-validator metadata read once, at
 * boot, into plans that produce what `plainToInstance` and `validate` produce (the same field
 * errors in the same order, the same instances), without their per-event metadata lookups. A
 * DTO whose graph holds a decorator the plans do not run keeps the reference engine;
 * `describe()` says which, and why.
 *
 * @example
 * ```ts
 * const validate = compiledEventValidator.compile(CreateOrder, resolveValidationOptions());
 * validate.describe(); // { engine: 'compiled', reason: '...' }
 * const order = validate(JSON.parse(body)) as CreateOrder;
 * ```
 */
export const compiledEventValidator: CompilingEventValidator = {
  compile(dto, options) {
    const current = freshCompilation(() => {
      const graph = assertValidatableDto(dto, `DTO ${dto.name}`);
      const planned = planDto(dto, options);
      if ('reason' in planned) return referenceEngine(dto, options, planned.reason);
      return compiledValidation(dto, options, planned, graph);
    });
    return Object.assign((plain: unknown) => current()(plain), { describe: () => current().describe() });
  },
  describe(dto, options) {
    try {
      const planned = planDto(dto, options);
      return 'reason' in planned ? { engine: 'class-validator', reason: planned.reason } : planned.decision;
    } catch (error) {
      return { engine: 'class-validator', reason: messageOf(error) };
    }
  },
};

interface DtoPlans {
  target: Target;
  validations: ValidationGraph;
  root: ClassPlan;
  decision: EngineDecision;
}

function planDto(dto: Constructor, options: ResolvedValidationOptions): DtoPlans | { reason: string } {
  if (!transformerInternalsReadable()) {
    return { reason: "class-transformer's metadata store is not laid out as this engine reads it" };
  }
  try {
    return plan(dto, options);
  } catch (error) {
    if (error instanceof UnsupportedValidation) return { reason: error.message };
    // The libraries fail on this graph's metadata (class-validator on a property named
    // `valueOf`, say): they fail on each event, not at boot, and so does this DTO.
    return { reason: `the metadata of ${dto.name}'s graph cannot be planned: ${messageOf(error)}` };
  }
}

function plan(dto: Constructor, options: ResolvedValidationOptions): DtoPlans {
  const transforms = new TransformGraph(options.enableImplicitConversion);
  const target = transforms.targetFor(dto);
  const validations = new ValidationGraph(
    options,
    (cls, property) => transforms.staticTypeOf(cls, property),
    generateValidation,
  );
  const root = validations.planFor(dto);
  const delegated = transforms.delegated();
  const interpreted = validations.interpreted();
  const reason =
    (delegated.length === 0
      ? `every class of ${dto.name} is planned`
      : `planned; class-transformer transforms ${delegated.map((d) => `${d.type.name || String(d.type)} (${d.reason})`).join(', ')}`) +
    (interpreted.length === 0
      ? ''
      : `; checks interpreted for ${interpreted.map((c) => `${c.name} (${c.reason})`).join(', ')}`);
  return { target, validations, root, decision: { engine: 'compiled', reason } };
}

function referenceEngine(
  dto: Constructor,
  options: ResolvedValidationOptions,
  reason: string,
): CompiledEventValidation {
  const validate = classValidatorEventValidator.compile(dto, options);
  const decision: EngineDecision = { engine: 'class-validator', reason };
  return Object.assign((plain: unknown) => validate(plain), { describe: () => decision });
}

function compiledValidation(
  dto: Constructor,
  options: ResolvedValidationOptions,
  plans: DtoPlans,
  graph: NestedGraph,
): CompiledEventValidation {
  const { target, validations, root, decision } = plans;
  const checkNestedShapes = compileNestedShapeCheck(dto, graph);
  const checkArrays = compileDiscriminatedArrayCheck(dto, graph);
  // One run reused from event to event; a validation that threw, or one that re-enters this
  // function from a constraint, leaves it out and takes a new one.
  let spare: ValidationRun | null = new ValidationRun(options, validations);

  const finish = (instance: object, errors: FieldError[] | null): object => {
    const shapeErrors = checkNestedShapes(instance);
    if (errors !== null || shapeErrors.length > 0) {
      throw new ValidationError(
        errors === null ? shapeErrors : shapeErrors.length === 0 ? errors : [...errors, ...shapeErrors],
      );
    }
    return instance;
  };

  let reference: ((instance: object) => object | Promise<object>) | undefined;

  const validate = (plain: unknown): object | Promise<object> => {
    if (checkArrays !== null) checkArrays(plain);
    const instance = transformValue(plain, target, undefined, false) as object;
    const run = spare ?? new ValidationRun(options, validations);
    spare = null;
    const constructor: unknown = instance.constructor;
    try {
      validateObject(run, instance, constructor === dto ? root : validations.planFor(constructor));
    } catch (error) {
      // A class first met in this event (a discriminator's subtype, one a @Transform function
      // made) holds a decorator the plans do not run: class-validator validates this instance,
      // which is what class-transformer makes of the event (transforming it again could not
      // be: a transformation may change the event it reads).
      if (!(error instanceof UnsupportedValidation)) throw error;
      reference ??= compileInstanceValidation(dto, options, graph);
      return reference(instance);
    }
    const { errors, pending } = run;
    run.reset();
    spare = run;
    if (pending === null) return finish(instance, errors);
    return Promise.all(pending).then(() => finish(instance, withoutEmpty(errors)));
  };
  return Object.assign(validate, { describe: () => decision });
}

/** Entries an asynchronous constraint reserved and then passed: class-validator strips them. */
function withoutEmpty(errors: FieldError[] | null): FieldError[] | null {
  if (errors === null) return null;
  const kept = errors.filter((e) => Object.keys(e.constraints).length > 0);
  return kept.length > 0 ? kept : null;
}
