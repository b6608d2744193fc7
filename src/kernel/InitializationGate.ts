/**
 * Runs a function's initialization until it succeeds once. Concurrent callers share one run; a
 * failed run (a timed-out one included) is forgotten so that the next caller retries it.
 */
export class InitializationGate<T, S> {
  private value: T | undefined;
  private done = false;
  private running: Promise<T> | undefined;

  /** `run` starts a run on behalf of `starter`, the caller that found no run in progress. */
  constructor(private readonly run: (starter: S) => Promise<T>) {}

  /** Whether initialization has succeeded (the per-request fast path reads this synchronously). */
  get initialized(): boolean {
    return this.done;
  }

  /** The initialized value; only meaningful once `initialized` is true. */
  get result(): T {
    return this.value as T;
  }

  /** Starts initialization on behalf of `caller`, or joins the run in progress. */
  enter(caller: S): Promise<T> {
    if (this.done) return Promise.resolve(this.value as T);
    if (this.running) return this.running;
    const attempt: Promise<T> = Promise.resolve(caller)
      .then(this.run)
      .then(
        (value) => {
          if (this.running === attempt) {
            this.value = value;
            this.done = true;
            this.running = undefined;
          }
          return value;
        },
        (error: unknown) => {
          if (this.running === attempt) this.running = undefined;
          throw error;
        },
      );
    this.running = attempt;
    return attempt;
  }
}
