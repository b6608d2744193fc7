import type { ConfigurationErrorCode } from '../errors/ConfigurationError';
import { validationSettingsOf } from '../metadata/MetadataStore';
import type { Constructor, DtoValidationSettings, EventType } from '../metadata/records';
import { arrayEventOf } from '../validation/arrayEvent';
import { envelopeOf } from '../validation/envelope';
import {
  resolveValidationOptions,
  type EventValidator,
  type ResolvedValidationOptions,
  type ValidationEngineDecision,
} from '../validation/options';
import { describeDtoFields, type FieldDescription } from './describeDtoFields';

/** How the body of `POST /invoke` becomes the handler's event. */
export interface EventDescription {
  /** The declared type: `CreateOrder`, `[OrderLine]`, `Buffer`, `String`, `Object`, `Array`; null when none. */
  type: string | null;
  /**
   * `bytes`: the raw body; `text`: UTF-8; `json`: parsed JSON, unvalidated; `json-array`: a parsed
   * JSON array, unvalidated; `validated`: see `validation`; `unsupported`: a boot problem.
   */
  decoding: 'bytes' | 'text' | 'json' | 'json-array' | 'validated' | 'unsupported';
  validation: ValidationDescription | null;
}

/** A validated event, or a validated part of one. */
export type ValidationDescription = ObjectValidationDescription | ArrayValidationDescription;

/** A JSON object transformed into a class and validated: the root of one validation. */
export interface ObjectValidationDescription {
  form: 'object';
  class: string;
  /** Which engine validates it, and why. */
  engine: ValidationEngineDecision;
  /** The settings in force for the class and its nested graph: the function's, then the class's own. */
  options: ResolvedValidationOptions;
  /** The class's own `@ValidationSettings` (over its base classes'); null when it declares none. */
  settings: DtoValidationSettings | null;
  fields: FieldDescription[];
  /** For an envelope (`CloudEvent.of(Data)`, `TimerEvent.withPayload(Config)`): its payload, validated on its own. */
  envelope: EnvelopeDescription | null;
}

export interface EnvelopeDescription {
  /** The property that carries the payload. */
  property: string;
  /** `json-string`: the property holds the payload as a string of JSON. */
  encoding: 'json' | 'json-string';
  payload: ValidationDescription;
}

/** A JSON array whose every element is validated on its own. */
export interface ArrayValidationDescription {
  form: 'array';
  /** `json-string`: each element arrives as a string of JSON (Kafka via EventBridge). */
  elements: 'json' | 'json-string';
  /** The `Array` subclass the handler receives; null for a plain array. */
  collection: string | null;
  /** The most elements an event may hold (validation option `maxArrayElements`). */
  maxElements: number;
  element: ValidationDescription;
}

/**
 * Describes how an event of `type` is decoded and validated, following the decisions
 * `compileEventDecoder` and `compileEventValidation` take. `problem` is the code the compilation
 * of this event reported, if any: an unsupported type is described as such rather than guessed.
 */
export function describeEvent(
  type: EventType | undefined,
  validator: EventValidator,
  options: ResolvedValidationOptions,
  problem?: ConfigurationErrorCode,
): EventDescription {
  const named = eventTypeName(type);
  if (type === Buffer || type === (Uint8Array as unknown)) return { type: named, decoding: 'bytes', validation: null };
  if (type === String) return { type: named, decoding: 'text', validation: null };
  if (type === undefined || type === Object) return { type: named, decoding: 'json', validation: null };
  if (type === Array) return { type: named, decoding: 'json-array', validation: null };
  if (problem === 'UNSUPPORTED_EVENT_TYPE') return { type: named, decoding: 'unsupported', validation: null };
  return { type: named, decoding: 'validated', validation: describeValidation(type, validator, options) };
}

function describeValidation(
  type: Constructor | readonly [Constructor],
  validator: EventValidator,
  options: ResolvedValidationOptions,
): ValidationDescription {
  const array = arrayEventOf(type as EventType);
  if (array) {
    return {
      form: 'array',
      elements: array.elements ?? 'json',
      collection: array.collection ? (array.collection as unknown as Constructor).name : null,
      maxElements: options.maxArrayElements,
      element: describeValidation(array.element, validator, options),
    };
  }
  const dto = type as Constructor;
  const settings = validationSettingsOf(dto) ?? null;
  const inForce = resolveValidationOptions(options, settings ?? undefined);
  const envelope = envelopeOf(dto);
  return {
    form: 'object',
    class: dto.name,
    engine: engineOf(validator, dto, inForce),
    options: inForce,
    settings,
    fields: describeDtoFields(dto, inForce.groups),
    envelope: envelope
      ? {
          property: envelope.property,
          encoding: envelope.encoding ?? 'json',
          payload: describeValidation(envelope.type, validator, options),
        }
      : null,
  };
}

/** The engine's own account of how it validates `dto`; `custom` for one that gives none. */
function engineOf(
  validator: EventValidator,
  dto: Constructor,
  options: ResolvedValidationOptions,
): ValidationEngineDecision {
  if (!validator.describe) return { engine: 'custom' };
  try {
    return validator.describe(dto, options);
  } catch (error) {
    // A description must not hide the rest of the entry's, nor read as one of its problems.
    return {
      engine: 'custom',
      reason: `its describe() failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** An event type as written: a class by name, the array form as `[Element]`. */
export function eventTypeName(type: EventType | undefined): string | null {
  if (type === undefined) return null;
  if (Array.isArray(type)) return `[${(type as readonly unknown[]).map(nameOf).join(', ')}]`;
  return nameOf(type);
}

function nameOf(value: unknown): string {
  return typeof value === 'function' && value.name ? value.name : String(value);
}
