import { createHash } from 'node:crypto';
import type { FcContext } from '../context/FcContext';
import { ConfigurationError } from '../errors/ConfigurationError';
import { IdempotencyKeyError } from './errors';

/**
 * Where a delivery's key comes from: FC's request id (the default: what an asynchronous retry
 * keeps), a dotted path into the validated event (`'orderId'`, `'order.id'`, `'items.0.sku'`),
 * or a function of the event and the context.
 */
export type IdempotencyKeySource<TEvent = never> = string | ((event: TEvent, ctx: FcContext) => string | number);

/** The key of one delivery, before it is namespaced. */
export type KeyReader = (event: unknown, ctx: FcContext) => string;

/** Keys longer than this are stored as their hash. */
const MAX_KEY_LENGTH = 200;

/** Compiles a key source at boot: a malformed path fails then, naming the function and method. */
export function compileKeyReader(
  source: IdempotencyKeySource<never> | undefined,
  where: { className: string; method: string },
): KeyReader {
  if (source === undefined) return (_event, ctx) => ctx.requestId;
  if (typeof source === 'function') {
    const read = source as (event: unknown, ctx: FcContext) => unknown;
    return (event, ctx) => keyText(read(event, ctx), 'the key function');
  }
  const path = typeof source === 'string' ? source.split('.') : [];
  if (path.length === 0 || path.some((part) => part === '')) {
    throw new ConfigurationError(
      'INVALID_LAYER_OPTION',
      `@Idempotent on ${where.className}.${where.method}: key must be a dotted path into the event ` +
        `('orderId', 'order.id') or a function: got ${JSON.stringify(source)}`,
      where,
    );
  }
  return (event) => keyText(valueAt(event, path), `the event's "${source}"`);
}

/** The own property at `path`, or undefined. */
function valueAt(event: unknown, path: readonly string[]): unknown {
  let value = event;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function keyText(value: unknown, from: string): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') text = String(value);
  else text = '';
  if (text === '') {
    throw new IdempotencyKeyError(
      `No idempotency key: ${from} is ${describe(value)}, and a key is a non-empty string or a number`,
    );
  }
  return text.length > MAX_KEY_LENGTH ? `sha256:${createHash('sha256').update(text).digest('base64url')}` : text;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === '') return 'empty';
  return value === null ? 'null' : `a ${typeof value}`;
}
