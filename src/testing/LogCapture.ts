import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogSink } from '../logging/LogSink';

/**
 * A kernel's log sink that keeps every line, and also hands each line to the call it belongs to.
 * A line belongs to the call in whose async context it is written: the kernel writes markers,
 * `ctx.logger` lines and `console.*` called inside an invocation synchronously from the
 * invocation's own code, so lines of calls that run at the same time never mix, whatever their
 * request ids, and lines the kernel writes for a request it refuses (no invocation, no markers)
 * are kept too. Anything that writes through the sink from inside an invocation lands in that
 * invocation's lines.
 */
export class LogCapture {
  /** Every line, in the order written. */
  readonly lines: string[] = [];
  private readonly calls = new AsyncLocalStorage<string[]>();

  constructor(private readonly forward?: LogSink) {}

  readonly sink: LogSink = (line) => {
    this.lines.push(line);
    this.calls.getStore()?.push(line);
    this.forward?.(line);
  };

  /** Runs `call`, collecting the lines written in its async context until it settles. */
  async collect<T>(call: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const result = await this.calls.run(lines, call);
    // A copy: work the call left running (a handler past its deadline) keeps writing to `lines`.
    return { result, lines: lines.slice() };
  }
}
