import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { ConfigurationError } from '../errors/ConfigurationError';
import { ValidationError } from '../errors/FcError';
import { validationSettingsOf } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';
import { flattenValidationErrors } from './flattenErrors';
import { compileNestedShapeCheck, readNestedGraph, type NestedGraph } from './nestedShapes';
import { resolveValidationOptions, type EventValidator, type ResolvedValidationOptions } from './options';

/** Whether class-validator knows any constraint of this class (or its bases). */
export function hasValidationMetadata(dto: Constructor): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
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

/** The default engine: class-transformer's `plainToInstance`, then class-validator's `validate`. */
export const classValidatorEventValidator: EventValidator = {
  compile(dto, functionOptions: ResolvedValidationOptions) {
    // The DTO's own @ValidationSettings layer over the function's: one validate call, one setting.
    const options = resolveValidationOptions(functionOptions, validationSettingsOf(dto));
    const checkNestedShapes = compileNestedShapeCheck(dto, assertValidatableDto(dto, `DTO ${dto.name}`));
    const transformOptions = { enableImplicitConversion: options.enableImplicitConversion };
    const validatorOptions = {
      whitelist: options.whitelist,
      forbidNonWhitelisted: options.forbidNonWhitelisted,
      forbidUnknownValues: options.forbidUnknownValues,
      skipMissingProperties: options.skipMissingProperties,
      stopAtFirstError: options.stopAtFirstError,
      groups: options.groups,
      validationError: { target: false, value: false },
    };
    return async (plain) => {
      prepareEvent(plain, options.maxArrayElements);
      const instance = plainToInstance(dto, plain, transformOptions) as object;
      const errors = await validate(instance, validatorOptions);
      const shapeErrors = checkNestedShapes(instance);
      if (errors.length > 0 || shapeErrors.length > 0) {
        throw new ValidationError([...flattenValidationErrors(errors), ...shapeErrors]);
      }
      return instance;
    };
  },
};

/** A parsed object or array and where it sits in the event. */
interface Frame {
  node: object;
  key: string | number | undefined;
  parent: Frame | undefined;
}

/**
 * Readies a parsed DTO event for class-transformer and class-validator, in place, with an
 * explicit stack (the event may be 256 levels deep):
 *
 * - `constructor` and `__proto__` keys are dropped. class-transformer takes the class of a nested
 *   object it has no `@Type` for from the object's `constructor` property, so an own `constructor`
 *   key from JSON (`{"constructor": "x"}`) makes it throw a TypeError; on declared classes it
 *   already skips both keys.
 * - A string or property name that is not well-formed Unicode (a lone surrogate, which JSON can
 *   carry as a `\u` escape) is a validation error: validator.js's string checks (`isEmail`,
 *   `isURL`, ...) call `encodeURI`, which throws a URIError on it.
 * - More than `maxArrayElements` array elements in all is a validation error, answered before
 *   class-validator spends time and memory on each of them.
 */
function prepareEvent(root: unknown, maxArrayElements: number): void {
  if (root === null || typeof root !== 'object') return;
  let elements = 0;
  const pending: Frame[] = [{ node: root, key: undefined, parent: undefined }];
  const visit = (value: unknown, key: string | number, parent: Frame) => {
    if (typeof value === 'string') {
      if (!isWellFormed(value)) throw notText(pathOf(parent, key), 'must be well-formed Unicode text');
    } else if (value !== null && typeof value === 'object') {
      pending.push({ node: value, key, parent });
    }
  };
  while (pending.length > 0) {
    const frame = pending.pop()!;
    if (Array.isArray(frame.node)) {
      const array = frame.node as unknown[];
      elements += array.length;
      if (elements > maxArrayElements) throw tooManyElements(pathOf(frame), maxArrayElements);
      for (let i = 0; i < array.length; i++) visit(array[i], i, frame);
      continue;
    }
    const record = frame.node as Record<string, unknown>;
    if (Object.hasOwn(record, 'constructor')) Reflect.deleteProperty(record, 'constructor');
    if (Object.hasOwn(record, '__proto__')) delete record['__proto__'];
    for (const key of Object.keys(record)) {
      if (!isWellFormed(key)) throw notText(pathOf(frame), 'has a property name that is not well-formed Unicode text');
      visit(record[key], key, frame);
    }
  }
}

function isWellFormed(text: string): boolean {
  // String.prototype.isWellFormed: Node 20 has it, the ES2022 typings do not.
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** The dotted path of `frame` (and `key` below it), as in validation errors: `items.0.sku`. */
function pathOf(frame: Frame, key?: string | number): string {
  const keys: (string | number)[] = key === undefined ? [] : [key];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  return keys.reverse().join('.');
}

function notText(path: string, problem: string): ValidationError {
  const subject = path === '' ? 'event' : path;
  return new ValidationError([
    { path, constraints: { isWellFormed: `${subject} ${problem} (it holds a lone surrogate)` } },
  ]);
}

function tooManyElements(path: string, limit: number): ValidationError {
  const subject = path === '' ? 'event' : path;
  return new ValidationError([
    {
      path,
      constraints: {
        maxArrayElements: `${subject} takes the event past ${limit} array elements, the most a validated event may hold (validation option maxArrayElements)`,
      },
    },
  ]);
}
