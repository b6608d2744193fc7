import { headerSeconds, type RequestHeaders } from '../context/headers';
import { TimeoutError } from '../errors/FcError';

/**
 * setTimeout's longest delay (about 24.8 days). A longer one fires after 1 ms, so a timeout
 * header past it (FC's own maximum is a day) is treated as no timeout rather than as an instant
 * one.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A timeout FC sent in seconds: the header's first valid value (`headerSeconds`: `3`, `2.5`, `3s`;
 * of `1, 1`, a repeated header, the first), or `undefined` when it has none or it is past
 * setTimeout's range.
 */
export function timeoutSecondsOf(headers: RequestHeaders, name: string): number | undefined {
  const seconds = headerSeconds(headers, name);
  return seconds !== undefined && seconds * 1000 <= MAX_TIMER_MS ? seconds : undefined;
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
  return new RacedDeadline(work, seconds, what, onExpire);
}

/**
 * A class with a plain `expired` field, not an object literal with `get expired()`: V8 allocates
 * each such literal's accessor pair directly in the old generation, and the young-generation GC
 * treats that dead pair as a root until the next full GC. Through the getter's closure context
 * (which holds `onExpire`, and with it the whole invocation) every invocation's objects then
 * survived each scavenge and were promoted, doubling the kernel's own cost per invocation.
 */
class RacedDeadline<T> implements Deadline<T> {
  readonly promise: Promise<T>;
  expired = false;
  private readonly timer: NodeJS.Timeout;

  constructor(work: Promise<T>, seconds: number, what: string, onExpire: (timeout: TimeoutError) => void) {
    let timer: NodeJS.Timeout | undefined;
    // Settled by the work or the timer directly: Promise.race over a second, timer promise cost
    // half a microsecond more per invocation.
    this.promise = new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => {
        this.expired = true;
        const error = new TimeoutError(what, seconds);
        onExpire(error);
        reject(error);
      }, seconds * 1000);
      work.then(resolve, reject);
    });
    this.timer = timer!;
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}
