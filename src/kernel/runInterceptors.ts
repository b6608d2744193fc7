import type { CallNext, Invocation, InterceptorFunction } from './interceptor';

/**
 * Runs `chain` around `handler`, outermost first. Each `next` runs the rest of the chain again, so
 * an interceptor may retry; one that throws rejects like one that rejects. `next(event)` runs the
 * rest with `event` in place of the invocation's, at `eventIndex` of the handler's arguments (-1:
 * the handler takes no event).
 */
export function runInterceptors(
  chain: readonly InterceptorFunction[],
  invocation: Invocation,
  handler: (args: readonly unknown[]) => unknown,
  eventIndex: number,
): Promise<unknown> {
  const step = (index: number, current: Invocation): Promise<unknown> => {
    try {
      if (index === chain.length) return Promise.resolve(handler(current.args));
      const next: CallNext = (...event: unknown[]) =>
        step(index + 1, event.length === 0 ? current : withEvent(current, event[0], eventIndex));
      return Promise.resolve(chain[index](current, next));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return step(0, invocation);
}

/** The invocation as the rest of the chain sees it when an interceptor passes another event on. */
function withEvent(invocation: Invocation, event: unknown, eventIndex: number): Invocation {
  if (eventIndex === -1) return { ...invocation, event };
  const args = invocation.args.slice();
  args[eventIndex] = event;
  return { ...invocation, event, args };
}
