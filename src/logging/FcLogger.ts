import { format } from 'node:util';
import type { LogSink } from './LogSink';
import type { Redact } from './redaction';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * The invocation's logger. Writes `<ISO time> <requestId> [<level>] <message>` as FC's official
 * Node.js runtime does, with every `\n` of the message turned into `\r` so one call stays one line
 * in the log store, and the invocation's secrets removed.
 */
export class FcLogger {
  constructor(
    readonly requestId: string,
    private readonly sink: LogSink,
    private readonly redact: Redact,
  ) {}

  debug(...args: unknown[]): void {
    this.write('DEBUG', args);
  }

  info(...args: unknown[]): void {
    this.write('INFO', args);
  }

  /** Same as `info`. */
  log(...args: unknown[]): void {
    this.write('INFO', args);
  }

  warn(...args: unknown[]): void {
    this.write('WARN', args);
  }

  error(...args: unknown[]): void {
    this.write('ERROR', args);
  }

  write(level: LogLevel, args: unknown[]): void {
    const message = this.redact(format(...args)).replace(/\r?\n/g, '\r');
    this.sink(`${new Date().toISOString()} ${this.requestId} [${level}] ${message}`);
  }

  /** Writes a line verbatim (after redaction): FC's marker lines. */
  raw(line: string): void {
    this.sink(this.redact(line));
  }
}
