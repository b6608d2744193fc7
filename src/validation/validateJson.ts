import type { ArrayEventType, Constructor } from '../metadata/records';
import { compileEventDecoder, type EventDecoder } from './decodeEvent';
import { DEFAULT_EVENT_VALIDATOR } from './defaultEngine';
import { resolveValidationOptions, type EventValidationOptions } from './options';

const withDefaults = new WeakMap<object, EventDecoder>();
const byOptions = new WeakMap<EventValidationOptions, WeakMap<object, EventDecoder>>();

/**
 * Decodes JSON held in a string (an MNS message body, a Kafka record's value, a stored payload)
 * exactly as the kernel decodes an event body of `type`: bounded by the validation limits before
 * it is parsed, hardened, then transformed and validated by the engine (the kernel's default,
 * or `options.validator`). Answers the validated instance; rejects with `EventDecodeError` for
 * text that is not JSON, `ValidationError` (field errors, as an event's) for JSON that breaks a
 * rule, and `ConfigurationError` for a class that cannot be validated. `[Dto]` decodes a JSON
 * array of them. What is compiled for a class (and options object) is kept for the next call.
 *
 * Use it where one bad part must not fail the whole event, e.g. to skip a malformed record of a
 * batch; to refuse an event whose body is not valid, declare `withBody(Dto)` on its class instead.
 *
 * @example
 * ```ts
 * class OrderPlaced {
 *   @IsString() orderId!: string;
 * }
 * const order = await validateJson('{"orderId":"o-1"}', OrderPlaced);
 * ```
 */
export function validateJson<T extends object>(
  json: string | Buffer,
  type: Constructor<T>,
  options?: EventValidationOptions,
): Promise<T>;
export function validateJson<T extends object>(
  json: string | Buffer,
  type: readonly [Constructor<T>],
  options?: EventValidationOptions,
): Promise<T[]>;
export async function validateJson(
  json: string | Buffer,
  type: Constructor | ArrayEventType,
  options?: EventValidationOptions,
): Promise<unknown> {
  const decode = decoderOf(type, options);
  return decode(typeof json === 'string' ? Buffer.from(json, 'utf8') : json);
}

function decoderOf(type: Constructor | ArrayEventType, options: EventValidationOptions | undefined): EventDecoder {
  let cache = withDefaults;
  if (options) {
    let forOptions = byOptions.get(options);
    if (!forOptions) byOptions.set(options, (forOptions = new WeakMap()));
    cache = forOptions;
  }
  let decode = cache.get(type);
  if (!decode) {
    const validator = options?.validator ?? DEFAULT_EVENT_VALIDATOR;
    decode = compileEventDecoder(type, 'validateJson', validator, resolveValidationOptions(options));
    cache.set(type, decode);
  }
  return decode;
}
