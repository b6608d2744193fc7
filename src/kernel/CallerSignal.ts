/**
 * What the kernel reads of a caller's abort signal: an `AbortSignal` is one, and a transport may
 * pass something cheaper.
 */
export interface CallerSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
