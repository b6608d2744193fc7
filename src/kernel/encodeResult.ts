/** A response body with its content type. */
export interface EncodedBody {
  body: Buffer | string;
  contentType?: string;
}

/**
 * An answer already encoded: the kernel sends its bytes and content type as they are. What an
 * interceptor returns to replay an answer it stored, byte for byte.
 *
 * @example
 * ```ts
 * const stored = encodeAnswer(await next()); // keep stored.body and stored.contentType
 * return new EncodedAnswer(stored.body, stored.contentType); // answered exactly so
 * ```
 */
export class EncodedAnswer implements EncodedBody {
  constructor(
    readonly body: Buffer | string,
    readonly contentType?: string,
  ) {}
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const BINARY_TYPE = 'application/octet-stream';

/**
 * Encodes a handler's result as FC's official Node.js runtime does: `null`/`undefined` → empty,
 * `Buffer` → raw bytes, string → as is, number/boolean/bigint → `String(x)`, anything else →
 * `JSON.stringify` (which throws on circular structures and BigInt: the kernel reports that as
 * the invocation's error); an `EncodedAnswer` as it is.
 */
export function encodeResult(result: unknown): EncodedBody {
  if (result === null || result === undefined) return { body: '' };
  if (typeof result === 'string') return { body: result, contentType: TEXT_TYPE };
  if (Buffer.isBuffer(result)) return { body: result, contentType: BINARY_TYPE };
  if (result instanceof Uint8Array) {
    return { body: Buffer.from(result.buffer, result.byteOffset, result.byteLength), contentType: BINARY_TYPE };
  }
  if (typeof result === 'number' || typeof result === 'boolean' || typeof result === 'bigint')
    return { body: String(result), contentType: TEXT_TYPE };
  if (result instanceof EncodedAnswer) return result;
  const json = JSON.stringify(result);
  // JSON.stringify answers undefined for functions and symbols: nothing to send.
  if (json === undefined) return { body: '' };
  return { body: json, contentType: JSON_TYPE };
}

/**
 * What the kernel would answer for a handler's `value`, encoded as it encodes it (so an
 * interceptor can store the answer and replay it with the same bytes).
 *
 * @throws what `JSON.stringify` throws for a value it cannot encode (a cycle, a BigInt inside).
 * @example
 * ```ts
 * encodeAnswer({ ok: true }); // EncodedAnswer { body: '{"ok":true}', contentType: 'application/json; charset=utf-8' }
 * ```
 */
export function encodeAnswer(value: unknown): EncodedAnswer {
  const encoded = encodeResult(value);
  return encoded instanceof EncodedAnswer ? encoded : new EncodedAnswer(encoded.body, encoded.contentType);
}

/** An error body, always JSON. */
export function encodeJson(value: unknown): EncodedBody {
  return { body: JSON.stringify(value), contentType: JSON_TYPE };
}
