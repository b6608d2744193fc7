// tsyringe needs the Reflect polyfill before it loads, and an app may import this module first.
import 'reflect-metadata';

/**
 * `fc-kernel/idempotency`: handlers that answer a duplicate delivery of an event with the first
 * delivery's answer instead of running again, over a store shared by every instance.
 *
 * @example
 * ```ts
 * import { Idempotent, RedisIdempotencyStore } from 'fc-kernel/idempotency';
 *
 * @FcFunction({ name: 'create-order' })
 * class CreateOrderFunction {
 *   @OnInvoke() @Idempotent({ key: 'orderId' }) async create(@Event() order: CreateOrder) { ... }
 * }
 * serve({ functions: [CreateOrderFunction], idempotency: { store: new RedisIdempotencyStore({ url }) } });
 * ```
 */
export { Idempotent } from './Idempotent';
export { makeIdempotent } from './makeIdempotent';
export type { IdempotencyConfig, IdempotencyDefaults, IdempotentOptions, WhenStoreFails } from './options';
export type { IdempotencyKeySource } from './idempotencyKey';
export type { CompletedRecord, IdempotencyRecord, IdempotencyStore, InProgressRecord } from './IdempotencyStore';
export {
  MemoryIdempotencyStore,
  DEFAULT_MEMORY_STORE_RECORDS,
  type MemoryIdempotencyStoreOptions,
} from './MemoryIdempotencyStore';
export {
  RedisIdempotencyStore,
  DEFAULT_REDIS_PREFIX,
  type RedisCommandClient,
  type RedisCommandOptions,
  type RedisIdempotencyStoreOptions,
} from './RedisIdempotencyStore';
export {
  IdempotencyInProgressError,
  IdempotencyKeyError,
  IdempotencyKeyMismatchError,
  IdempotencyStoreError,
} from './errors';
