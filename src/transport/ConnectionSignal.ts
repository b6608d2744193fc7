import type { CallerSignal } from '../kernel/CallerSignal';

/**
 * Tells the kernel that an HTTP caller went away. An `AbortSignal` would do, but Node 20 spends
 * microseconds (and garbage) creating one per request, while few requests ever abort.
 */
export class ConnectionSignal implements CallerSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
