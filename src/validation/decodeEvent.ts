import { ConfigurationError, type ConfigurationWhere } from '../errors/ConfigurationError';
import { EventDecodeError, messageOf, ValidationError } from '../errors/FcError';
import type { ArrayEventType, Constructor, EventType } from '../metadata/records';
import { isArrayEvent } from './arrayEvent';
import { compileEventValidation } from './compileEventValidation';
import type { EventValidator, ResolvedValidationOptions } from './options';

/** Turns the raw body of `POST /invoke` into the handler's event argument. */
export type EventDecoder = (body: Buffer) => unknown;

/** Built-in types that cannot describe an event. */
const UNSUPPORTED: ReadonlySet<unknown> = new Set([Number, Boolean, Symbol, BigInt, Function, Promise, Date, Map, Set]);

/**
 * Decides once, at boot, how an event of `type` is decoded: `Buffer` (raw bytes), `String`
 * (UTF-8 text), `Object` or none (parsed JSON), `Array` (a parsed JSON array), a DTO class
 * (JSON object, transformed and validated by `validator`) or an array of one (`[OrderLine]`).
 */
export function compileEventDecoder(
  type: EventType | undefined,
  where: string,
  validator: EventValidator,
  options: ResolvedValidationOptions,
  at: ConfigurationWhere = {},
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
    throw new ConfigurationError(
      'UNSUPPORTED_EVENT_TYPE',
      `${where}: event type ${(type as Constructor).name} is not supported; use a DTO class, Buffer, string or object`,
      at,
    );
  }
  let validate: (plain: unknown) => unknown;
  try {
    validate = compileEventValidation(type as Constructor | ArrayEventType, validator, options);
  } catch (error) {
    // The engine names the DTO; the message gains the handler, the code stays the engine's.
    const code = error instanceof ConfigurationError ? error.code : 'INVALID_DTO';
    const detail = error instanceof ConfigurationError ? error.where : {};
    throw new ConfigurationError(code, `${where}: ${messageOf(error)}`, { ...detail, ...at }, { cause: error });
  }
  if (isArrayEvent(type)) return (body) => validate(parseJsonBody(body));
  return (body) => {
    const value = parseJsonBody(body);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw notA('object', value);
    return validate(value);
  };
}

/**
 * The deepest nesting of arrays and objects a JSON event may have. class-transformer,
 * class-validator and `JSON.stringify` recurse once per level and overflow the call stack at a
 * few thousand levels; real trigger events nest a handful.
 */
export const MAX_EVENT_DEPTH = 256;

/**
 * Parses a JSON body; an empty, malformed or too deeply nested one is an `EventDecodeError`.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new EventDecodeError('Event body is empty; expected JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EventDecodeError(`Event body is not valid JSON: ${(error as Error).message}`);
  }
  // Nesting deeper than the limit needs more brackets than that: short bodies skip the walk.
  if (text.length > MAX_EVENT_DEPTH) assertNestingDepth(value);
  return value;
}

/** Walks the parsed value with an explicit stack (it must not recurse itself). */
function assertNestingDepth(root: unknown): void {
  if (root === null || typeof root !== 'object') return;
  const pending: object[] = [root];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const depth = depths.pop()!;
    if (depth > MAX_EVENT_DEPTH) {
      throw new EventDecodeError(
        `Event JSON is nested deeper than ${MAX_EVENT_DEPTH} levels, the limit for a JSON event; declare the event as Buffer or string to parse it yourself`,
      );
    }
    const children = Array.isArray(node) ? (node as unknown[]) : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
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
