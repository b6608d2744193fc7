import { ConfigurationError, type ConfigurationWhere } from '../errors/ConfigurationError';
import { messageOf } from '../errors/FcError';
import type { ArrayEventType, Constructor, EventType } from '../metadata/records';
import { isArrayEvent } from './arrayEvent';
import { compileJsonDecoder } from './boundedJson';
import { compileEventValidation } from './compileEventValidation';
import type { EventValidator, ResolvedValidationOptions } from './options';

/**
 * Turns the raw body of `POST /invoke` into the handler's event argument: at once, or as a
 * promise when the validation engine answers asynchronously.
 */
export type EventDecoder = (body: Buffer) => unknown;

/** Built-in types that cannot describe an event. */
const UNSUPPORTED: ReadonlySet<unknown> = new Set([Number, Boolean, Symbol, BigInt, Function, Promise, Date, Map, Set]);

/**
 * Decides once, at boot, how an event of `type` is decoded: `Buffer` (raw bytes), `String`
 * (UTF-8 text), `Object` or none (parsed JSON), `Array` (a parsed JSON array), a DTO class
 * (JSON object, bounded by the validation options' limits and hardened, then transformed and
 * validated by `validator`) or an array of one (`[OrderLine]`, each element validated).
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
  if (type === undefined || type === Object) return compileJsonDecoder('any');
  if (type === Array) return compileJsonDecoder('array');
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
  const decode = compileJsonDecoder(isArrayEvent(type) ? 'array' : 'object', options);
  return (body) => validate(decode(body));
}
