import { newRequestId } from '../context/requestId';
import type { TestCallOptions, TestKernel } from './TestKernel';
import type { TestResponse } from './TestResponse';

/** What every try of a delivery sends besides the event (the request id is the delivery's). */
export type DeliveryOptions = Omit<TestCallOptions, 'retryCount' | 'signal'>;

/**
 * One event as FC delivers it at least once: every try carries the same request id and
 * `x-fc-invocation-type: Async`, and a retry count one more than the try before (0 first), as FC
 * retries an asynchronous invocation that failed or timed out. A try goes to any test kernel:
 * two test kernels sharing a store are two instances of the function. Made by {@link deliver}.
 *
 * @example
 * ```ts
 * const delivery = deliver(order);
 * const first = await delivery.attempt(instanceA); // x-fc-retry-count: 0
 * const retry = await delivery.attempt(instanceB); // same request id, x-fc-retry-count: 1
 * ```
 */
export class Delivery<T = unknown> {
  /** The request id every try carries. */
  readonly requestId: string;
  private readonly options: DeliveryOptions;
  private tries = 0;

  constructor(
    readonly event: unknown,
    options: DeliveryOptions = {},
  ) {
    this.requestId = options.requestId ?? newRequestId();
    this.options = options;
  }

  /** The retry count of the next try: how many tries were sent so far. */
  get retryCount(): number {
    return this.tries;
  }

  /** Sends the next try to `instance`. */
  attempt(instance: TestKernel): Promise<TestResponse<T>> {
    return this.send(instance, this.tries++);
  }

  /**
   * Sends `count` copies of the next try at once, to `instances` in turn (one instance, or
   * several sharing a store): duplicates in flight together, as when a try times out while it
   * still runs and its retry arrives. They carry one retry count, and count as one try.
   */
  copies(instances: TestKernel | readonly TestKernel[], count: number): Promise<TestResponse<T>[]> {
    const targets = Array.isArray(instances) ? (instances as readonly TestKernel[]) : [instances as TestKernel];
    const retryCount = this.tries++;
    return Promise.all(Array.from({ length: count }, (_, i) => this.send(targets[i % targets.length], retryCount)));
  }

  /**
   * Sends the next try to `instance`, which dies once `running` settles (say, once the handler has
   * started): see `TestKernel.die()`. Answers what FC would: 502, `Process exited unexpectedly
   * before completing request`.
   */
  async attemptAndDie(instance: TestKernel, running: PromiseLike<unknown>): Promise<TestResponse<T>> {
    const answer = this.attempt(instance);
    await running;
    await instance.die();
    return answer;
  }

  private send(instance: TestKernel, retryCount: number): Promise<TestResponse<T>> {
    const headers = { 'x-fc-invocation-type': 'Async', ...this.options.headers };
    return instance.invoke<T>(this.event, { ...this.options, headers, requestId: this.requestId, retryCount });
  }
}

/**
 * Delivers `event` as FC does, at least once: see {@link Delivery}.
 *
 * @example
 * ```ts
 * const delivery = deliver(order, { timeoutSeconds: 3 });
 * const [a, b] = await delivery.copies([instanceA, instanceB], 2);
 * ```
 */
export function deliver<T = unknown>(event: unknown, options: DeliveryOptions = {}): Delivery<T> {
  return new Delivery<T>(event, options);
}
