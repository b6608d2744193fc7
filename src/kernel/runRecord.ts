import { currentInvocation } from '../context/invocation';
import { InvocationScope } from './InvocationScope';
import type { ObservedRecord } from './KernelOptions';

/**
 * Runs the work of one record of a batch inside the current invocation: through its observers
 * when one asked (the telemetry layer makes each record a root span of its own, linked to the
 * invocation's), else as it is. How a batch layer hands its records to the observers.
 *
 * @example
 * ```ts
 * for (const [index, message] of batch.entries()) {
 *   await runRecord({ index, id: message.id }, () => handle(message));
 * }
 * ```
 */
export function runRecord<T>(record: ObservedRecord, work: () => Promise<T>): Promise<T> {
  const invocation = currentInvocation();
  const observe = invocation instanceof InvocationScope ? invocation.recordObserver : undefined;
  return observe ? (observe(record, work) as Promise<T>) : work();
}
