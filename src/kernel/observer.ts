import type { ObserveInvocation } from './KernelOptions';

/** The observers of one route composed, outermost first; `null` when none observes it. */
export function composeObservers(observe: readonly ObserveInvocation[]): ObserveInvocation | null {
  if (observe.length === 0) return null;
  return observe.reduceRight<ObserveInvocation>(
    (inner, outer) => (invocation, run) => outer(invocation, () => inner(invocation, run)),
    (_invocation, run) => run(),
  );
}
