import type { IdempotencyKeySource } from './idempotencyKey';
import type { IdempotencyStore } from './IdempotencyStore';

/** What a delivery does when the store cannot be read or written before its handler runs. */
export type WhenStoreFails = 'refuse' | 'run';

/** Settings a handler takes from the kernel's `idempotency` option unless it sets its own. */
export interface IdempotencyDefaults {
  /** How long an answer is kept and replayed, in seconds (default 3600: one hour). */
  ttlSeconds?: number;
  /**
   * When the store fails before the handler runs: `'refuse'` (the default) answers
   * `IdempotencyStoreError` and runs nothing, so FC's retry can; `'run'` runs the handler
   * unguarded, and logs that it did.
   */
  whenStoreFails?: WhenStoreFails;
  /**
   * How long a claim lasts when FC sends no timeout (a local run, a test), in seconds (default 60).
   * With a timeout, a claim expires at the invocation's deadline.
   */
  claimSecondsWithoutTimeout?: number;
}

/**
 * The kernel's `idempotency` option: the store every `@Idempotent` handler shares, and their
 * defaults.
 *
 * @example
 * ```ts
 * const idempotency: IdempotencyConfig = { store: new MemoryIdempotencyStore(), ttlSeconds: 600 };
 * const kernel = createKernel({ functions: [CreateOrderFunction], idempotency });
 * ```
 */
export interface IdempotencyConfig extends IdempotencyDefaults {
  store: IdempotencyStore;
}

/**
 * How one handler is made idempotent: its key (default: FC's request id) and settings over the
 * kernel's.
 *
 * @example
 * ```ts
 * const options: IdempotentOptions<CreateOrder> = { key: (order) => order.orderId, ttlSeconds: 86400 };
 * ```
 */
export interface IdempotentOptions<TEvent = never> extends IdempotencyDefaults {
  /**
   * Default: FC's request id, which an asynchronous retry keeps. A dotted path into the validated
   * event (`'orderId'`), or a function of the event and the context, for duplicates FC does not
   * make itself (a caller sending again, a trigger redelivering a message under a new request id).
   */
  key?: IdempotencyKeySource<TEvent>;
}

declare module '../kernel/KernelOptions' {
  interface KernelOptions {
    /**
     * The store of `@Idempotent` handlers (from `fc-kernel/idempotency`) and their defaults.
     * Required as soon as one handler is idempotent.
     */
    idempotency?: IdempotencyConfig;
  }
}
