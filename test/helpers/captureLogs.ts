import type { LogSink } from '../../src';
import { linesOf, markersIn } from './logLines';

/** Log and marker lines a kernel wrote, kept in memory instead of going to stdout. */
export interface CapturedLogs {
  /** Every line, in the order written. */
  readonly lines: string[];
  /** Pass as `createKernel({ logSink })`. */
  readonly sink: LogSink;
  /** FC's marker lines (`FC Invoke Start RequestId: ...`). */
  markers(): string[];
  /** Ordinary log lines (not markers) of one request id. */
  linesOf(requestId: string): string[];
}

/** A log sink that records lines, so tests can assert on what the kernel printed. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  return {
    lines,
    sink: (line) => {
      lines.push(line);
    },
    markers: () => markersIn(lines),
    linesOf: (requestId) => linesOf(lines, requestId),
  };
}
