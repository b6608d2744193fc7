/*
 * The parts of FC's custom-container contract every contender speaks the same way (see the
 * repository's FC contract notes): the marker lines that group a request's log lines in FC's
 * console, the request id they carry, and the error JSON of the official runtimes.
 */

/** The header FC puts the request id in. */
export const REQUEST_ID_HEADER = 'x-fc-request-id';

/** FC's largest synchronous request body: every contender accepts what FC may send. */
export const FC_BODY_LIMIT = 32 * 1024 * 1024;

export function invokeStartLine(requestId: unknown): string {
  return `FC Invoke Start RequestId: ${String(requestId)}`;
}

export function invokeEndLine(requestId: unknown, failed: boolean): string {
  return `FC Invoke End RequestId: ${String(requestId)}${failed ? ', Error: Handled function error' : ''}`;
}

/** The error JSON of FC's official runtimes. */
export interface FcErrorBody {
  errorMessage: string;
  errorType: string;
  stackTrace: string[];
}

/** A bad event: answered with 404 and FC's error JSON, like every failure. */
export class InvalidEvent extends Error {
  override readonly name = 'ValidationError';
}

export function fcErrorBody(error: unknown): FcErrorBody {
  if (!(error instanceof Error)) return { errorMessage: String(error), errorType: 'Error', stackTrace: [] };
  const frames = error instanceof InvalidEvent ? [] : (error.stack ?? '').split('\n').slice(1);
  return { errorMessage: error.message, errorType: error.name, stackTrace: frames.map((line) => line.trim()) };
}
