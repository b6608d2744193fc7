import { headerValue, type RequestHeaders } from '../context/headers';
import { TimeoutError } from '../errors/FcError';

/**
 * setTimeout's longest delay (about 24.8 days). A longer one fires after 1 ms, so a timeout
 * header past it (FC's own maximum is a day) is treated as no timeout rather than as an instant
 * one.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timeout FC sent in seconds (fractions allowed), or `undefined` when absent or unusable. */
export function timeoutSecondsOf(headers: RequestHeaders, name: string): number | undefined {
  const seconds = Number(headerValue(headers, name));
  return seconds > 0 && seconds * 1000 <= MAX_TIMER_MS ? seconds : undefined;
}

/** Work raced against a timer. */
export interface Deadline<T> {
  /** Settles as the work does, or rejects with a `TimeoutError` when the time runs out first. */
  readonly promise: Promise<T>;
  /** Whether the time ran out before the work settled (the work may still be running). */
  readonly expired: boolean;
  /** Stops the timer; call it once the promise has settled. */
  cancel(): void;
}

/**
 * Races `work` against `seconds`. On expiry `onExpire` runs first (abort the invocation's signal,
 * abandon an initialization), then `promise` rejects with `<what> timed out after N seconds`,
 * FC's own wording.
 */
export function withDeadline<T>(
  work: Promise<T>,
  seconds: number,
  what: string,
  onExpire: (timeout: TimeoutError) => void,
): Deadline<T> {
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      const error = new TimeoutError(what, seconds);
      onExpire(error);
      reject(error);
    }, seconds * 1000);
  });
  // Cleared by the caller after its await rather than from a reaction on `work`: measured, the
  // latter doubles the kernel's own cost per invocation on Node 20.
  return {
    promise: Promise.race([work, timeout]),
    get expired() {
      return expired;
    },
    cancel: () => clearTimeout(timer),
  };
}
