import { currentInvocation } from '../context/invocation';
import { InvocationScope } from './InvocationScope';
import type { InvocationAnnotations } from './KernelOptions';

/**
 * Adds attributes to the invocation the calling code runs in, for the observers to read when it
 * ends: the telemetry layer puts them on the invocation's span, and counts
 * `fc_kernel.replayed: true` (an answer replayed by idempotency) and
 * `fc_kernel.records.succeeded` / `fc_kernel.records.failed` (a batch's records) in its metrics.
 * Outside an invocation it does nothing.
 *
 * @example
 * ```ts
 * annotateInvocation({ 'order.id': order.orderId });
 * ```
 */
export function annotateInvocation(attributes: Readonly<InvocationAnnotations>): void {
  const invocation = currentInvocation();
  if (invocation instanceof InvocationScope) invocation.annotate(attributes);
}
