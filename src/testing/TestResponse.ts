import type { ErrorBody } from '../errors/errorBody';
import type { KernelResponse } from '../kernel/Kernel';

/**
 * The kernel's answer to one call of a test kernel, decoded for assertions.
 *
 * @example
 * ```ts
 * const res = await tk.invoke<{ total: number }>({ orderId: 'A-1', items: [] });
 * if (!res.ok) throw new Error(`${res.error?.errorType}: ${res.error?.errorMessage}`);
 * console.log(res.body.total, res.logs);
 * ```
 */
export interface TestResponse<T = unknown> {
  /** The HTTP status: 200, or 404 for every failure. */
  statusCode: number;
  /** The `x-fc-status` header as a number: what FC counts the call as. */
  xFcStatus: number;
  /** Both the status and `x-fc-status` are 200. */
  ok: boolean;
  /** The response headers (`x-fc-status`, `content-type`). */
  headers: Record<string, string>;
  /**
   * The body decoded by its content type: parsed JSON (a result object, or FC's error body), a
   * string for text, the bytes for binary, `undefined` when empty.
   */
  body: T;
  /** The body's bytes, exactly as FC would receive them. */
  raw: Buffer;
  /** FC's error body when the call failed, else `undefined`. */
  error: ErrorBody | undefined;
  /**
   * The lines this call printed, in order: FC's markers, `ctx.logger` (and `FC_LOGGER`) lines,
   * `console.*` called inside the invocation (unless the test kernel has `console: false`) and the
   * kernel's own error lines. Lines of calls running at the same time are kept apart.
   */
  logs: string[];
  /** The `x-fc-request-id` the call carried: the id in its log lines. */
  requestId: string;
}

export function toTestResponse<T>(response: KernelResponse, logs: string[], requestId: string): TestResponse<T> {
  const raw = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  const xFcStatus = Number(response.headers['x-fc-status']);
  const ok = response.statusCode === 200 && xFcStatus === 200;
  const body = decodeBody(raw, response.headers['content-type'] ?? '');
  return {
    statusCode: response.statusCode,
    xFcStatus,
    ok,
    headers: response.headers,
    body: body as T,
    raw,
    error: ok ? undefined : (body as ErrorBody),
    logs,
    requestId,
  };
}

function decodeBody(raw: Buffer, contentType: string): unknown {
  if (contentType.startsWith('application/json')) return JSON.parse(raw.toString('utf8'));
  if (contentType.startsWith('text/')) return raw.toString('utf8');
  return raw.length === 0 ? undefined : raw;
}
