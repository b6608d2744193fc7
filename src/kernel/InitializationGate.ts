/**
 * Runs a function's initialization until it succeeds once. Concurrent callers share one run; a
 * failed run is forgotten so that the next caller retries it.
 */
export class InitializationGate<T> {
  private value: T | undefined;
  private done = false;
  private running: Promise<T> | undefined;

  constructor(private readonly run: () => Promise<T>) {}

  /** Whether initialization has succeeded (the per-request fast path reads this synchronously). */
  get initialized(): boolean {
    return this.done;
  }

  /** The initialized value; only meaningful once `initialized` is true. */
  get result(): T {
    return this.value as T;
  }

  /** Starts initialization, or joins the run in progress. */
  enter(): Promise<T> {
    if (this.done) return Promise.resolve(this.value as T);
    if (this.running) return this.running;
    const attempt = Promise.resolve()
      .then(this.run)
      .then(
        (value) => {
          this.value = value;
          this.done = true;
          this.running = undefined;
          return value;
        },
        (error: unknown) => {
          this.running = undefined;
          throw error;
        },
      );
    this.running = attempt;
    return attempt;
  }
}
