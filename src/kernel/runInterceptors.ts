import type { Invocation, InterceptorFunction } from './interceptor';

/**
 * Runs `chain` around `handler`, outermost first. Each `next` runs the rest of the chain again, so
 * an interceptor may retry; one that throws rejects like one that rejects.
 */
export function runInterceptors(
  chain: readonly InterceptorFunction[],
  invocation: Invocation,
  handler: () => unknown,
): Promise<unknown> {
  const step = (index: number): Promise<unknown> => {
    try {
      const outcome = index < chain.length ? chain[index](invocation, () => step(index + 1)) : handler();
      return Promise.resolve(outcome);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return step(0);
}
