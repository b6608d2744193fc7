import { isoTimeNow } from '../logging/FcLogger';

/** What the layer measures of one `/invoke`. */
export interface InvocationMeasure {
  functionName: string;
  requestId: string;
  durationMs: number;
  /** `undefined` when it succeeded. */
  errorType: string | undefined;
  coldStart: boolean;
  /** Milliseconds from the process's start to this answer, on the instance's first one. */
  coldStartMs: number | undefined;
  replayed: boolean;
  recordsSucceeded: number | undefined;
  recordsFailed: number | undefined;
  traceId: string | undefined;
}

/**
 * One invocation's measures as one JSON line, shaped as the JSON log lines are (its first key the
 * time), for the log store to aggregate: `metric` names what it measures.
 */
export function metricLine(measure: InvocationMeasure): string {
  const line: Record<string, unknown> = {
    time: isoTimeNow(),
    level: 'INFO',
    requestId: measure.requestId,
    message: 'invocation measured',
    metric: 'fc_kernel.invocation',
    function: measure.functionName,
    outcome: measure.errorType === undefined ? 'success' : 'error',
    durationMs: Math.round(measure.durationMs * 1000) / 1000,
    coldStart: measure.coldStart,
    replayed: measure.replayed,
  };
  if (measure.errorType !== undefined) line.errorType = measure.errorType;
  if (measure.coldStartMs !== undefined) line.coldStartMs = Math.round(measure.coldStartMs);
  if (measure.recordsSucceeded !== undefined) line.recordsSucceeded = measure.recordsSucceeded;
  if (measure.recordsFailed !== undefined) line.recordsFailed = measure.recordsFailed;
  if (measure.traceId !== undefined) line.traceId = measure.traceId;
  return JSON.stringify(line);
}
