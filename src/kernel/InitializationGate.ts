import type { CallerSignal } from './CallerSignal';

/** One initialization run, as the gate drives it. */
export interface InitializationRun<T> {
  /** Settles with the run's outcome; a run that times out rejects at its timeout. */
  readonly promise: Promise<T>;
  /** Ends the run early: every caller that waited for it has gone. */
  abandon(): void;
}

/** A run in progress and the callers that wait for it. */
class Attempt<T> {
  waiters = 0;
  run: InitializationRun<T> | undefined;
  /** Set when every caller left before `run` was there to abandon. */
  abandoned = false;
  readonly outcome: Promise<T>;
  settle!: { resolve(value: T): void; reject(error: unknown): void };

  constructor() {
    this.outcome = new Promise<T>((resolve, reject) => (this.settle = { resolve, reject }));
    // Every caller may have left: the outcome of an abandoned run is nobody's to handle.
    this.outcome.catch(() => undefined);
  }
}

/**
 * Runs a function's initialization until it succeeds once. Concurrent callers share one run,
 * which ends early only when every one of them has stopped waiting (each caller's own signal: its
 * timeout, its connection closing); a failed or abandoned run is forgotten so that the next caller
 * starts a new one.
 */
export class InitializationGate<T, S> {
  private value: T | undefined;
  private done = false;
  private current: Attempt<T> | undefined;

  /** `start` begins a run on behalf of `starter`, the caller that found none in progress. */
  constructor(private readonly start: (starter: S) => InitializationRun<T>) {}

  /** Whether initialization has succeeded (the per-request fast path reads this synchronously). */
  get initialized(): boolean {
    return this.done;
  }

  /** Whether a run is in progress: a caller entering now joins it rather than starting one. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** The initialized value; only meaningful once `initialized` is true. */
  get result(): T {
    return this.value as T;
  }

  /**
   * Starts a run on behalf of `caller`, or joins the one in progress, and waits for it until
   * `leave` aborts: the caller's wait then rejects with the signal's reason, and a run nobody
   * waits for any more is abandoned. Without `leave`, the caller waits until the run ends. A
   * caller that has already gone neither starts nor joins a run.
   */
  enter(caller: S, leave?: CallerSignal): Promise<T> {
    if (this.done) return Promise.resolve(this.value as T);
    if (leave?.aborted) return Promise.reject(leave.reason);
    const joining = this.current;
    // Counted before the run starts, so that a caller entering from within it joins it.
    const attempt = joining ?? (this.current = new Attempt<T>());
    attempt.waiters++;
    const waiting = leave ? this.follow(attempt, leave) : attempt.outcome;
    if (!joining) this.launch(attempt, caller);
    return waiting;
  }

  private launch(attempt: Attempt<T>, starter: S): void {
    let run: InitializationRun<T>;
    try {
      run = this.start(starter);
    } catch (error) {
      run = { promise: Promise.reject(error), abandon: () => undefined };
    }
    attempt.run = run;
    if (attempt.abandoned) run.abandon();
    run.promise.then(
      (value) => {
        if (this.current === attempt) {
          this.value = value;
          this.done = true;
          this.current = undefined;
        }
        attempt.settle.resolve(value);
      },
      (error: unknown) => {
        if (this.current === attempt) this.current = undefined;
        attempt.settle.reject(error);
      },
    );
  }

  private follow(attempt: Attempt<T>, leave: CallerSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onLeave = () => {
        this.leave(attempt);
        reject(leave.reason);
      };
      leave.addEventListener('abort', onLeave, { once: true });
      attempt.outcome.then(
        (value) => {
          leave.removeEventListener('abort', onLeave);
          resolve(value);
        },
        (error: unknown) => {
          leave.removeEventListener('abort', onLeave);
          reject(error);
        },
      );
    });
  }

  private leave(attempt: Attempt<T>): void {
    if (--attempt.waiters > 0 || this.current !== attempt) return;
    this.current = undefined;
    if (attempt.run) attempt.run.abandon();
    else attempt.abandoned = true;
  }
}
