/**
 * An invocation's `AbortController`, made the first time its signal is read or it aborts: most
 * invocations do neither, and Node spends microseconds making one.
 */
export class LazyAbort {
  #controller: AbortController | undefined;

  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  abort(reason: unknown): void {
    (this.#controller ??= new AbortController()).abort(reason);
  }
}
