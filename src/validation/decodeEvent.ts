import { EventDecodeError, ValidationError } from '../errors/FcError';
import type { Constructor, EventType } from '../metadata/records';
import type { EventValidator, ResolvedValidationOptions } from './options';

/** Turns the raw body of `POST /invoke` into the handler's event argument. */
export type EventDecoder = (body: Buffer) => unknown;

/** Built-in types that cannot describe an event. */
const UNSUPPORTED: ReadonlySet<unknown> = new Set([Number, Boolean, Symbol, BigInt, Function, Promise, Date, Map, Set]);

/**
 * Decides once, at boot, how an event of `type` is decoded: `Buffer` (raw bytes), `String`
 * (UTF-8 text), `Object` or none (parsed JSON), `Array` (a parsed JSON array) or a DTO class
 * (JSON object, transformed and validated by `validator`).
 */
export function compileEventDecoder(
  type: EventType | undefined,
  where: string,
  validator: EventValidator,
  options: ResolvedValidationOptions,
): EventDecoder {
  if (type === Buffer || type === (Uint8Array as unknown)) return (body) => body;
  if (type === String) return (body) => body.toString('utf8');
  if (type === undefined || type === Object) return parseJsonBody;
  if (type === Array) {
    return (body) => {
      const value = parseJsonBody(body);
      if (!Array.isArray(value)) throw notA('array', value);
      return value;
    };
  }
  if (UNSUPPORTED.has(type)) {
    throw new TypeError(
      `${where}: event type ${type.name} is not supported; use a DTO class, Buffer, string or object`,
    );
  }
  let validate: (plain: unknown) => Promise<object>;
  try {
    validate = validator.compile(type as Constructor, options);
  } catch (error) {
    throw new TypeError(`${where}: ${(error as Error).message}`, { cause: error });
  }
  return (body) => {
    const value = parseJsonBody(body);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw notA('object', value);
    return validate(value);
  };
}

/** Parses a JSON body; an empty or malformed one is an `EventDecodeError`. */
export function parseJsonBody(body: Buffer): unknown {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new EventDecodeError('Event body is empty; expected JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EventDecodeError(`Event body is not valid JSON: ${(error as Error).message}`);
  }
}

function notA(expected: 'object' | 'array', value: unknown): ValidationError {
  const kind = typeof value;
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `${kind === 'object' ? 'an' : 'a'} ${kind}`;
  const constraint = expected === 'object' ? 'isObject' : 'isArray';
  return new ValidationError([
    { path: '', constraints: { [constraint]: `event must be a JSON ${expected}, got ${got}` } },
  ]);
}
