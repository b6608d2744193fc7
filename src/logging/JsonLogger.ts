import { formatArguments } from './formatArguments';
import { FcLogger, isoTimeNow, LOG_LEVEL_RANK, MAX_LOG_LINE_BYTES, type LogLevel } from './FcLogger';
import { truncateUtf8 } from '../errors/truncate';

/** The ids of the trace a line belongs to (`ctx.trace` satisfies it). */
export interface LineTrace {
  readonly traceId: string;
  readonly spanId: string;
}

/** Room kept for the keys around a cut message. */
const ENVELOPE_ROOM = 1024;

/**
 * The invocation's logger in `logFormat: 'json'`: one JSON object per line, its first key the
 * time, so a line starts with `{"time":"<ISO-8601>"` and parses whole as JSON in the log store:
 *
 * `{"time":"…","level":"INFO","requestId":"…","message":"…","traceId":"…","spanId":"…","fields":{…}}`
 *
 * A plain object given last becomes `fields`; the trace ids are the invocation's (`ctx.trace`).
 * Lines are redacted whole; one longer than `MAX_LOG_LINE_BYTES` has its message cut and its
 * fields left out, so it stays one valid JSON object. FC's marker lines stay plain text.
 */
export class JsonLogger extends FcLogger {
  /** The invocation's trace, read for each line (the tracing layer sets it once its span starts). */
  traceOf: (() => LineTrace | undefined) | undefined;

  override write(level: LogLevel, args: unknown[]): void {
    if (LOG_LEVEL_RANK[level] < this.minimumRank) return;
    const trace = this.traceOf?.();
    const fields = fieldsOf(args);
    const message = formatArguments(fields === undefined ? args : args.slice(0, -1));
    const line = this.redact(this.line(level, message, trace, fields));
    this.emit(Buffer.byteLength(line) <= MAX_LOG_LINE_BYTES ? line : this.cut(level, message, trace));
  }

  private line(level: LogLevel, message: string, trace: LineTrace | undefined, fields?: string): string {
    let line = `{"time":"${isoTimeNow()}","level":"${level}","requestId":${JSON.stringify(this.requestId)},"message":${JSON.stringify(message)}`;
    if (trace) line += `,"traceId":"${trace.traceId}","spanId":"${trace.spanId}"`;
    if (fields !== undefined) line += `,"fields":${fields}`;
    return line + '}';
  }

  /** The line with its message cut to fit (escapes can grow a character to six bytes) and no fields. */
  private cut(level: LogLevel, message: string, trace: LineTrace | undefined): string {
    const room = MAX_LOG_LINE_BYTES - ENVELOPE_ROOM;
    for (const share of [1, 2, 6]) {
      const line = this.redact(this.line(level, truncateUtf8(this.redact(message), Math.floor(room / share)), trace));
      if (Buffer.byteLength(line) <= MAX_LOG_LINE_BYTES) return line;
    }
    return this.redact(this.line(level, '(message cut)', trace));
  }
}

/** The last argument as JSON when it is a plain object (and serialisable), else `undefined`. */
function fieldsOf(args: readonly unknown[]): string | undefined {
  const last = args[args.length - 1];
  if (last === null || typeof last !== 'object') return undefined;
  const prototype = Object.getPrototypeOf(last) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  try {
    return JSON.stringify(last);
  } catch {
    // A cycle or a BigInt: the object is printed in the message instead.
    return undefined;
  }
}
