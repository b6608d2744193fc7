import type { DeadLetterSink } from './DeadLetter';

/**
 * What a batch handler does with a record that fails, and so what FC does next:
 *
 * - `'fail-batch'` (the default): every record is tried (an ordered source's partition up to its
 *   first failure); the invocation fails, so the trigger delivers the whole batch again, by its
 *   retry policy, and the records done before are skipped (remembered in the idempotency store).
 *   A record that always fails (a poison record) fails every delivery, until the trigger's tries
 *   run out: then `errorsTolerance: ALL` skips the batch (to its dead-letter queue when set), and
 *   `NONE` (the trigger's default) blocks the stream.
 * - `'dead-letter'`: a record that fails (after `attempts` tries) goes to the dead-letter sink
 *   with its error and coordinates, and the invocation succeeds: the stream goes on. A sink that
 *   fails fails the invocation, and the batch comes again.
 * - `'stop-at-first-failure'`: for sources whose order matters everywhere (a RocketMQ ordered
 *   topic, an array of commands): in each partition (the whole batch when records name none), the
 *   records after a failure are not tried; the invocation fails, and the redelivery resumes at the
 *   failed record.
 */
export type BatchPolicy = 'fail-batch' | 'dead-letter' | 'stop-at-first-failure';

/**
 * How a batch handler runs.
 *
 * @example
 * ```ts
 * const options: BatchOptions = { body: OrderPlaced, policy: 'dead-letter', attempts: 3, concurrency: 8 };
 * ```
 */
export interface BatchOptions {
  /**
   * The DTO class each record's body is validated as (the JSON the source carries, a string of
   * it included): a record whose body is not valid fails alone. Default: the body as it comes.
   */
  body?: new () => object;
  /** What a failed record does to the batch (default `'fail-batch'`): see {@link BatchPolicy}. */
  policy?: BatchPolicy;
  /**
   * The dead-letter policy's sink for this function (default: the kernel's `batch.deadLetters`).
   */
  deadLetters?: DeadLetterSink;
  /**
   * How many times the dead-letter policy tries a record whose handler fails before it sets it
   * aside (default 3); a record that does not decode is set aside at once. The other policies try
   * a record once per delivery: FC's redelivery is their retry.
   */
  attempts?: number;
  /**
   * How many records run at once (default 1: one after another). Records of an ordered source
   * (a Kafka partition; every partition under `'stop-at-first-failure'`) still run in order within
   * their partition: partitions run side by side.
   */
  concurrency?: number;
  /**
   * Whether records of one partition run in their order (default: `true` for Kafka, always under
   * `'stop-at-first-failure'`, else `false`).
   */
  ordered?: boolean;
  /**
   * Records are not taken once fewer than this many milliseconds are left before the invocation's
   * deadline (default 1000): they are reported "not attempted", the invocation fails, and they
   * come again with the redelivery, instead of being cut off in the middle.
   */
  deadlineMarginMs?: number;
  /**
   * Whether records done (or dead-lettered) are remembered in the kernel's idempotency store, so
   * that a redelivered batch skips them (default `true`: the store is then required). `false`
   * says the handler is idempotent on its own: a redelivery runs every record again.
   */
  remember?: boolean;
  /** How long a record done is remembered, in seconds (default 172,800: two days, longer than any trigger retries). */
  rememberSeconds?: number;
}

/** The kernel's `batch` option: what every batch handler shares. */
export interface BatchConfig {
  /** The dead-letter sink of handlers whose policy is `'dead-letter'` and that name none. */
  deadLetters?: DeadLetterSink;
}

declare module '../kernel/KernelOptions' {
  interface KernelOptions {
    /** What batch handlers (from `fc-kernel/batch`) share: the dead-letter sink. */
    batch?: BatchConfig;
  }
}
