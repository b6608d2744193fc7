/**
 * Runs a function's initialization until it succeeds once. Concurrent callers share one run; a
 * failed or abandoned run is forgotten so that the next caller retries it.
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
    const attempt: Promise<T> = Promise.resolve()
      .then(this.run)
      .then(
        (value) => {
          // An abandoned run's late outcome is ignored: a newer run may be in progress.
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

  /**
   * Forgets the run in progress (it timed out): the next caller starts a new one. The abandoned
   * run goes on in the background, and its outcome no longer counts.
   */
  abandon(): void {
    this.running = undefined;
  }
}
