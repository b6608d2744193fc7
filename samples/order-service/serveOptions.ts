import type { ServeOptions } from 'fc-kernel';
import {
  makeIdempotent,
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  type IdempotencyStore,
} from 'fc-kernel/idempotency';
import { CreateOrderFunction } from './CreateOrderFunction';

/**
 * How `main.ts` serves the sample: `create-order`, idempotent on the order id (an order FC or a
 * caller delivers again is answered as the first time, and stored once), its records in Redis or
 * Tair when `REDIS_URL` is set, else in this process's memory (one instance: enough to try it).
 */
export function serveOptions(env: NodeJS.ProcessEnv = process.env): ServeOptions {
  return {
    functions: [CreateOrderFunction],
    interceptors: [makeIdempotent({ key: 'orderId' })],
    idempotency: { store: idempotencyStore(env) },
  };
}

function idempotencyStore(env: NodeJS.ProcessEnv): IdempotencyStore {
  return env.REDIS_URL ? new RedisIdempotencyStore({ url: env.REDIS_URL }) : new MemoryIdempotencyStore();
}
