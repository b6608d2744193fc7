import { ConfigurationError } from '../errors/ConfigurationError';
import type { Constructor, EventType } from '../metadata/records';
import type { ValidatedEventLimits } from './boundedJson';
import {
  compileJsonStringParser,
  describeJsonValue,
  invalidPart,
  isJsonObject,
  type JsonStringParser,
} from './nestedJson';
import { settleParts, validatePart, type CompiledValidation } from './partialValidation';

/** An `Array` subclass an array event is delivered as (`RocketMqEventBatch`). */
export interface ArrayClass {
  from(items: unknown[]): unknown[];
}

/** How an array event is decoded: a JSON array, each element validated as `element`. */
export interface ArrayEventSpec {
  /** The DTO class each element is validated as, on its own and with its own settings. */
  element: Constructor;
  /** `'json-string'`: each element arrives as a string of JSON (Kafka via EventBridge). */
  elements?: 'json' | 'json-string';
  /** The array class the handler receives; a plain array when absent. */
  collection?: ArrayClass;
}

/** Values that describe no DTO: an array of them is `Array`, unvalidated. */
const NOT_A_DTO: ReadonlySet<unknown> = new Set([Object, Array, String, Number, Boolean, Buffer, Uint8Array, Date]);

const arrayClasses = new WeakMap<object, Omit<ArrayEventSpec, 'collection'>>();

/**
 * Declares an `Array` subclass as an array event type, so `@Event() batch: RocketMqEventBatch`
 * (whose declared type is visible at run time, unlike `RocketMqEvent[]`) decodes a JSON array of
 * validated elements and hands over an instance of the subclass. A subclass of it inherits the
 * form and is handed over as itself.
 */
export function defineArrayEvent(collection: ArrayClass & Constructor, spec: Omit<ArrayEventSpec, 'collection'>): void {
  arrayClasses.set(collection, spec);
}

/** Whether `type` is an array event type, in the `[Dto]` form or as a declared array class. */
export function isArrayEvent(type: EventType): boolean {
  return Array.isArray(type) || declaredArrayClass(type) !== undefined;
}

/**
 * The array form of `type`, decided at boot; `undefined` for a type that is not one. A form that
 * names anything but one DTO class is a `ConfigurationError`.
 */
export function arrayEventOf(type: EventType): ArrayEventSpec | undefined {
  if (!Array.isArray(type)) return declaredArrayClass(type);
  const [element] = type as readonly unknown[];
  if (
    type.length !== 1 ||
    typeof element !== 'function' ||
    NOT_A_DTO.has(element) ||
    isArrayEvent(element as Constructor)
  ) {
    const named = (type as readonly unknown[]).map((t) => (typeof t === 'function' ? t.name : String(t))).join(', ');
    throw new ConfigurationError(
      'UNSUPPORTED_EVENT_TYPE',
      `an array event type names the one DTO class its elements are validated as, e.g. @Event([OrderLine]); got [${named}] (declare the event as Array to receive a JSON array unvalidated)`,
    );
  }
  return { element: element as Constructor };
}

/**
 * Compiles the validation of an array event: the value must be a JSON array of at most
 * `limits.maxArrayElements` elements, each decoded (parsed within `limits` first when it is a
 * string of JSON) and validated by `validateElement`. Every element's field errors are reported together, re-rooted under the
 * element's index (`0.sku`, `3.data.topic`).
 */
export function compileArrayValidation(
  spec: ArrayEventSpec,
  validateElement: CompiledValidation,
  limits: ValidatedEventLimits,
): CompiledValidation {
  const maxElements = limits.maxArrayElements;
  const parse = spec.elements === 'json-string' ? compileJsonStringParser(limits) : undefined;
  const collection = spec.collection;
  return (value) => {
    if (!Array.isArray(value)) invalidPart('isArray', `event must be a JSON array, got ${describeJsonValue(value)}`);
    if (value.length > maxElements) {
      invalidPart(
        'maxArrayElements',
        `event holds ${value.length} elements, more than the ${maxElements} a validated event may hold (validation option maxArrayElements)`,
      );
    }
    const parts = value.map((element: unknown, index) =>
      validatePart((e) => validateElement(decodeElement(e, index, parse)), element, String(index)),
    );
    return settleParts(parts, (values) => (collection ? collection.from(values) : values));
  };
}

function decodeElement(element: unknown, index: number, parse: JsonStringParser | undefined): Record<string, unknown> {
  const subject = `event element ${index}`;
  let plain = element;
  if (parse) {
    if (typeof element !== 'string') {
      invalidPart('isString', `${subject} must be a string of JSON, got ${describeJsonValue(element)}`);
    }
    plain = parse(element, subject);
  }
  if (!isJsonObject(plain))
    invalidPart('isObject', `${subject} must be a JSON object, got ${describeJsonValue(plain)}`);
  return plain;
}

/** The form `type` declares or inherits, delivered as `type` itself. */
function declaredArrayClass(type: unknown): ArrayEventSpec | undefined {
  for (let c = type; typeof c === 'function' && c !== Array; c = Object.getPrototypeOf(c)) {
    const spec = arrayClasses.get(c);
    if (spec) return { ...spec, collection: type as ArrayClass };
  }
  return undefined;
}
