/** A response body with its content type. */
export interface EncodedBody {
  body: Buffer | string;
  contentType?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const BINARY_TYPE = 'application/octet-stream';

/**
 * Encodes a handler's result as FC's official Node.js runtime does: `null`/`undefined` → empty,
 * `Buffer` → raw bytes, string → as is, number/boolean/bigint → `String(x)`, anything else →
 * `JSON.stringify` (which throws on circular structures and BigInt: the kernel reports that as
 * the invocation's error).
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
  const json = JSON.stringify(result);
  // JSON.stringify answers undefined for functions and symbols: nothing to send.
  if (json === undefined) return { body: '' };
  return { body: json, contentType: JSON_TYPE };
}

/** An error body, always JSON. */
export function encodeJson(value: unknown): EncodedBody {
  return { body: JSON.stringify(value), contentType: JSON_TYPE };
}
