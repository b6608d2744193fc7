import { UseInterceptors } from '../decorators/UseInterceptors';
import { makeIdempotent } from './makeIdempotent';
import type { IdempotentOptions } from './options';

/**
 * Makes an `@OnInvoke` handler idempotent: the first delivery of an event runs it and stores its
 * answer; a duplicate (FC's retry of an asynchronous invocation, a trigger's redelivery, a caller
 * sending again) gets that answer, byte for byte, without running it, on any instance sharing the
 * store; one that arrives while the first still runs is refused with `IdempotencyInProgressError`
 * (FC retries later). The key is FC's request id unless `key` says otherwise. The store is the
 * kernel's `idempotency` option; a kernel without one fails at boot.
 *
 * @example
 * ```ts
 * @FcFunction({ name: 'create-order' })
 * class CreateOrderFunction {
 *   @OnInvoke()
 *   @Idempotent({ key: 'orderId' })
 *   async create(@Event() order: CreateOrder): Promise<OrderAccepted> { ... }
 * }
 * ```
 */
export function Idempotent<TEvent = never>(options: IdempotentOptions<TEvent> = {}): MethodDecorator {
  return UseInterceptors(makeIdempotent(options));
}
