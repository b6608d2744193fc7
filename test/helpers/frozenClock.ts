/**
 * Runs `fn` with `Date.now()` held at one instant (timers are untouched), so a test can say
 * exactly which deadline an invocation gets instead of bracketing it between two readings.
 */
export async function withFrozenClock<T>(fn: (instant: number) => T | Promise<T>): Promise<T> {
  const realNow = Date.now;
  const instant = realNow();
  Date.now = () => instant;
  try {
    return await fn(instant);
  } finally {
    Date.now = realNow;
  }
}
