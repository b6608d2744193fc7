import type { Constructor } from '../metadata/records';
import type { ValidatedEventLimits } from './boundedJson';
import { compileJsonStringParser, describeJsonValue, invalidPart, isJsonObject } from './nestedJson';
import { settleParts, validatePart, type CompiledValidation } from './partialValidation';

/**
 * How an envelope class carries the user's class in one of its properties. The envelope is
 * validated with its own settings (fc-kernel/events' are tolerant), the payload on its own as
 * the user's class with the user's settings: one class-validator call cannot apply two.
 */
export interface EnvelopeSpec {
  /** The property holding the payload: `data`, `payload`. */
  property: string;
  /** The DTO class the payload is validated as. */
  type: Constructor;
  /**
   * `'json-string'`: the property holds the payload as a string of JSON (Timer's `payload`, an
   * MNS message's `messageBody`), parsed within the function's validation limits.
   */
  encoding?: 'json' | 'json-string';
}

const envelopes = new WeakMap<object, EnvelopeSpec>();

/**
 * Declares `envelope` (a class with class-validator decorators of its own, `property` among them
 * checked only as an object or a string) as carrying `spec.type`. Subclasses inherit it.
 */
export function defineEnvelope(envelope: Constructor, spec: EnvelopeSpec): void {
  envelopes.set(envelope, spec);
}

/** The envelope `type` is, or inherits from; `undefined` for a plain DTO class. */
export function envelopeOf(type: Constructor): EnvelopeSpec | undefined {
  for (let c: unknown = type; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const spec = envelopes.get(c);
    if (spec) return spec;
  }
  return undefined;
}

/**
 * Compiles an envelope's validation from its two halves: `validateEnvelope` checks the envelope
 * with the payload as a plain value, `validatePayload` the payload as the user's class. Both run
 * on every event, so their field errors come together, the payload's re-rooted under the
 * property (`data.orderId`); the handler receives the envelope with the validated payload in it.
 * A payload carried as a string of JSON is parsed within `limits`.
 */
export function compileEnvelopeValidation(
  spec: EnvelopeSpec,
  validateEnvelope: CompiledValidation,
  validatePayload: CompiledValidation,
  limits: ValidatedEventLimits,
): CompiledValidation {
  const { property } = spec;
  const jsonString = spec.encoding === 'json-string';
  const parse = compileJsonStringParser(limits);
  const decodeAndValidate = (raw: unknown) =>
    validatePayload(jsonString ? parseJsonObject(parse(raw as string, property), property) : raw);
  return (plain) => {
    const raw = (plain as Record<string, unknown>)[property];
    const parts = [validatePart(validateEnvelope, plain, '')];
    // A missing or mistyped payload is the envelope's own constraint to report, once.
    if (jsonString ? typeof raw === 'string' : isJsonObject(raw))
      parts.push(validatePart(decodeAndValidate, raw, property));
    return settleParts(parts, ([envelope, payload]) => {
      (envelope as Record<string, unknown>)[property] = payload;
      return envelope;
    });
  };
}

function parseJsonObject(value: unknown, property: string): unknown {
  if (!isJsonObject(value))
    invalidPart('isObject', `${property} must hold a JSON object, got ${describeJsonValue(value)}`);
  return value;
}
