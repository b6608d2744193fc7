import { BatchedLogWriter } from './BatchedLogWriter';

/** Where log lines go. One call per line, without the trailing newline. */
export type LogSink = (line: string) => void;

let stdout: BatchedLogWriter | undefined;

function stdoutWriter(): BatchedLogWriter {
  if (!stdout) {
    // A pipe or socket is handed over blocking: a write to it would stop the event loop while the
    // reader is behind. Opening process.stdout puts it in non-blocking mode, as any print would.
    void process.stdout;
    stdout = new BatchedLogWriter({ fd: 1 });
    // 'exit' comes after process.exit(), the loop running dry and an uncaught exception alike.
    process.on('exit', () => stdout!.flushSync());
  }
  return stdout;
}

/**
 * The default sink: stdout (file descriptor 1), which FC collects into the function's log store.
 * Lines are batched, written once per event-loop turn in order, and flushed before the process
 * exits (see {@link flushLogs}).
 */
export const stdoutSink: LogSink = (line) => stdoutWriter().write(line);

/**
 * Writes the log lines still waiting in the default sink's batch, before returning. The kernel
 * does it on the process's `exit` event; call it before writing to stdout or stderr yourself
 * (`process.stdout.write`, a crash report) so that those words come after the lines logged before
 * them, or before ending the process in a way that skips `exit` (`process.abort()`).
 *
 * @example
 * ```ts
 * process.on('uncaughtException', (error) => {
 *   flushLogs();
 *   process.stderr.write(`fatal: ${error.stack}\n`);
 *   process.exit(1);
 * });
 * ```
 */
export function flushLogs(): void {
  if (stdout?.hasPending) stdout.flushSync();
}

/** Whether log lines of the default sink wait to be written (see {@link flushLogs}). */
export function logsPending(): boolean {
  return stdout?.hasPending ?? false;
}

/**
 * Writes what stdout takes now of the default sink's lines, without waiting for a reader that is
 * behind. Returns whether nothing is left waiting.
 */
export function writeLogsNow(): boolean {
  if (!stdout?.hasPending) return true;
  stdout.flush();
  return !stdout.hasPending;
}

/**
 * Writes a line of the process's own to stderr, after what stdout takes now of the log lines
 * batched before it; a broken stderr must not turn into another fault.
 */
export function say(line: string): void {
  try {
    writeLogsNow();
    process.stderr.write(`fc-kernel: ${line}\n`);
  } catch {
    // Nowhere left to say it.
  }
}
