import { messageOf } from '../errors/FcError';
import { formatArguments } from './formatArguments';
import { say, type LogSink } from './LogSink';
import type { Redact } from './redaction';
import { truncateUtf8 } from '../errors/truncate';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Each level's rank: a logger writes the lines at or above its minimum. */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

/**
 * The longest line the kernel writes, in bytes of UTF-8: a longer one is cut and ends with
 * `… (N more bytes)`. A log store takes lines of this size whole (Docker's log drivers already
 * split lines at 16 KiB, FC's log store accepts far larger); one 30 MB message made a 60 MB line.
 */
export const MAX_LOG_LINE_BYTES = 64 * 1024;

/** How many loggers are inside their sink right now (a sink that logs, say through console.log). */
let sinkDepth = 0;

/** Whether a logger is handing a line to its sink: what the sink itself prints is not re-logged. */
export function isInsideLogSink(): boolean {
  return sinkDepth > 0;
}

let clockMs = NaN;
let clockText = '';

/**
 * `new Date().toISOString()`, made once per millisecond: formatting costs half a microsecond, and
 * a busy instance writes many lines within one.
 */
export function isoTimeNow(): string {
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockText = new Date(now).toISOString();
  }
  return clockText;
}

/**
 * The invocation's logger. Writes `<ISO time> <requestId> [<level>] <message>` as FC's official
 * Node.js runtime does, with every `\n` of the message turned into `\r` so one call stays one line
 * in the log store, and the invocation's secrets removed. Formatting never throws, whatever the
 * arguments; lines are redacted whole, then cut to `MAX_LOG_LINE_BYTES`. A sink that throws loses
 * its line and is said once on stderr; the caller never sees its error.
 */
export class FcLogger {
  /** Lines below this rank are not written (`LOG_LEVEL_RANK`). */
  protected readonly minimumRank: number;

  constructor(
    readonly requestId: string,
    private readonly sink: LogSink,
    protected readonly redact: Redact,
    minimumLevel: LogLevel = 'DEBUG',
  ) {
    this.minimumRank = LOG_LEVEL_RANK[minimumLevel];
  }

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
    if (LOG_LEVEL_RANK[level] < this.minimumRank) return;
    const message = this.redact(formatArguments(args)).replace(/\r?\n/g, '\r');
    this.emit(truncateUtf8(`${isoTimeNow()} ${this.requestId} [${level}] ${message}`, MAX_LOG_LINE_BYTES));
  }

  /** Writes a line verbatim (after redaction and the length limit): FC's marker lines. */
  raw(line: string): void {
    this.emit(truncateUtf8(this.redact(line), MAX_LOG_LINE_BYTES));
  }

  protected emit(line: string): void {
    sinkDepth++;
    try {
      this.sink(line);
    } catch (error) {
      // A log store that fails must not fail the invocation: FC would retry work already done.
      reportSinkFailure(this.sink, this.redact(messageOf(error)));
    } finally {
      sinkDepth--;
    }
  }
}

/** Sinks that threw, said once each on stderr. */
const failedSinks = new WeakSet<LogSink>();

function reportSinkFailure(sink: LogSink, message: string): void {
  if (failedSinks.has(sink)) return;
  failedSinks.add(sink);
  say(`the log sink threw (${message}): the lines it refuses are lost`);
}
