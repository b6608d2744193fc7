import type { TestCallOptions, TestKernel } from './TestKernel';
import type { TestResponse } from './TestResponse';

/** An EventBridge trigger's retry policy: how many times it pushes a batch whose invocation fails. */
export type PushRetryStrategy = 'BACKOFF_RETRY' | 'EXPONENTIAL_DECAY_RETRY';

/** Pushes of one batch by retry policy: the first and the retries. */
const TRIES: Record<PushRetryStrategy, number> = { BACKOFF_RETRY: 3, EXPONENTIAL_DECAY_RETRY: 176 };

/** What every push of a batch sends besides the batch (each push has a request id of its own). */
export interface BatchDeliveryOptions extends Omit<TestCallOptions, 'requestId' | 'retryCount' | 'signal'> {
  /** The trigger's `retryStrategy.PushRetryStrategy` (default `'BACKOFF_RETRY'`: 3 pushes in all). */
  retryStrategy?: PushRetryStrategy;
}

/** How a batch's delivery ended: answered, or given up once the trigger's tries ran out. */
export interface BatchDeliveryOutcome<T> {
  /** Whether a push succeeded; `false`: the trigger's tries ran out (`errorsTolerance` decides then). */
  readonly delivered: boolean;
  /** The answer of every push, in order. */
  readonly pushes: readonly TestResponse<T>[];
  /** The last push's answer. */
  readonly last: TestResponse<T>;
}

/**
 * One batch as an EventBridge trigger (Kafka, RocketMQ, MNS queue, RabbitMQ) delivers it: pushed
 * to the function, and pushed again, whole, while the invocation fails, until the trigger's retry
 * policy gives up (3 pushes with `BACKOFF_RETRY`, 176 with `EXPONENTIAL_DECAY_RETRY`; the kit does
 * not wait the 10 s to hours between them). Each push is an invocation of its own, with a request
 * id of its own. Made by {@link deliverBatch}.
 *
 * @example
 * ```ts
 * const delivery = deliverBatch(fixtures.kafka(records));
 * const first = await delivery.push(tk);        // fails: a record failed
 * const outcome = await delivery.untilDelivered(tk); // pushes again while it fails
 * expect(outcome.delivered).to.equal(true);
 * ```
 */
export class BatchDelivery<T = unknown> {
  /** How many pushes the trigger makes at most. */
  readonly maxPushes: number;
  private readonly options: TestCallOptions;
  private readonly answers: TestResponse<T>[] = [];

  constructor(
    readonly batch: unknown,
    options: BatchDeliveryOptions = {},
  ) {
    const { retryStrategy = 'BACKOFF_RETRY', ...call } = options;
    if (!(retryStrategy in TRIES)) throw new TypeError(`unknown retryStrategy: ${String(retryStrategy)}`);
    this.maxPushes = TRIES[retryStrategy];
    this.options = call;
  }

  /** The answers so far, in order. */
  get pushes(): readonly TestResponse<T>[] {
    return this.answers;
  }

  /** Whether the trigger would push the batch again: none succeeded, and tries are left. */
  get pending(): boolean {
    const last = this.answers.at(-1);
    return (last === undefined || !last.ok) && this.answers.length < this.maxPushes;
  }

  /** Pushes the batch to `instance` once more (even past the trigger's tries: a test may look further). */
  async push(instance: TestKernel): Promise<TestResponse<T>> {
    const answer = await instance.invoke<T>(this.batch, this.options);
    this.answers.push(answer);
    return answer;
  }

  /**
   * Pushes the batch while the trigger would: until a push succeeds or its tries run out. Pushes
   * go to `instances` in turn (one instance, or several sharing the stores).
   */
  async untilDelivered(instances: TestKernel | readonly TestKernel[]): Promise<BatchDeliveryOutcome<T>> {
    const targets = Array.isArray(instances) ? (instances as readonly TestKernel[]) : [instances as TestKernel];
    while (this.pending) await this.push(targets[this.answers.length % targets.length]);
    const last = this.answers.at(-1)!;
    return { delivered: last.ok, pushes: this.answers, last };
  }
}

/**
 * Delivers `batch` as an EventBridge trigger does, pushed again while it fails: see
 * {@link BatchDelivery}.
 *
 * @example
 * ```ts
 * const outcome = await deliverBatch(fixtures.rocketMqBatch(messages), { timeoutSeconds: 60 }).untilDelivered(tk);
 * ```
 */
export function deliverBatch<T = unknown>(batch: unknown, options: BatchDeliveryOptions = {}): BatchDelivery<T> {
  return new BatchDelivery<T>(batch, options);
}
