import { headerCredentials } from '../context/credentials';
import { FcContext } from '../context/FcContext';
import { headerValue, normalizeHeaders, type RequestHeaders } from '../context/headers';
import { timeoutSecondsOf } from '../kernel/deadline';
import { TimeoutError } from '../errors/FcError';
import { FcLogger } from '../logging/FcLogger';
import type { LogSink } from '../logging/LogSink';
import { createRedactor } from '../logging/redaction';
import { newRequestId } from '../context/requestId';

/**
 * What a test context is made from; everything is optional.
 *
 * @example
 * ```ts
 * const init: TestContextInit = { requestId: 'unit-1', headers: { 'x-fc-function-name': 'create-order' } };
 * const ctx = createTestContext(init);
 * ```
 */
export interface TestContextInit {
  /** Default: a new FC-style id. */
  requestId?: string;
  /** FC's `x-fc-*` headers the context reads (region, function, service, tracing, credentials). */
  headers?: RequestHeaders;
  /**
   * `x-fc-function-timeout` in seconds: sets `deadline`, and `signal` aborts with a `TimeoutError`
   * when it passes, as in an invocation. Default: none (`deadline` is `Infinity`).
   */
  timeoutSeconds?: number;
  /** Aborting it aborts the context's `signal` (the caller going away). */
  signal?: AbortSignal;
  /** Also receives every line the context's logger writes. */
  logSink?: LogSink;
}

/**
 * An `FcContext` whose logger's lines can be read: made by {@link createTestContext}.
 *
 * @example
 * ```ts
 * const ctx: TestContext = createTestContext();
 * ctx.logger.warn('low stock');
 * expect(ctx.logs[0]).to.match(/\[WARN\] low stock$/);
 * ```
 */
export class TestContext extends FcContext {
  /** The lines `logger` wrote, in order, as FC's runtime formats them. */
  readonly logs: string[];

  constructor(init: TestContextInit = {}) {
    const headers = normalizeHeaders({
      ...init.headers,
      ...(init.timeoutSeconds === undefined ? {} : { 'x-fc-function-timeout': String(init.timeoutSeconds) }),
    });
    const requestId = init.requestId ?? (headerValue(headers, 'x-fc-request-id') || newRequestId());
    const logs: string[] = [];
    const sink: LogSink = (line) => {
      logs.push(line);
      init.logSink?.(line);
    };
    // The credentials never print, as in an invocation.
    const { accessKeyId, accessKeySecret, securityToken } = headerCredentials(headers);
    const redact = createRedactor([accessKeyId, accessKeySecret, securityToken]);
    const seconds = timeoutSecondsOf(headers, 'x-fc-function-timeout');
    const deadline = seconds === undefined ? Infinity : Date.now() + seconds * 1000;
    super({
      requestId,
      headers,
      logger: new FcLogger(requestId, sink, redact),
      deadline,
      signal: () => signalOf(init.signal, seconds, deadline),
    });
    this.logs = logs;
  }
}

/**
 * An `FcContext` for unit-testing a service directly, without a kernel: the fields FC's headers
 * give, a logger whose lines are kept in `logs`, a deadline and a signal.
 *
 * @example
 * ```ts
 * import { createTestContext } from 'fc-kernel/testing';
 *
 * const ctx = createTestContext({ headers: { 'x-fc-region': 'cn-hangzhou' }, timeoutSeconds: 3 });
 * await new OrderService().accept(order, ctx);
 * expect(ctx.logs.some((line) => line.endsWith('[INFO] accepted A-1'))).to.equal(true);
 * ```
 */
export function createTestContext(init: TestContextInit = {}): TestContext {
  return new TestContext(init);
}

/** Made on first read of `ctx.signal`, as in an invocation: most tests never look at it. */
function signalOf(caller: AbortSignal | undefined, seconds: number | undefined, deadline: number): AbortSignal {
  if (seconds === undefined) return caller ?? new AbortController().signal;
  const timeout = new AbortController();
  const abort = () => timeout.abort(new TimeoutError('Function', seconds));
  // Unref'd: a test that is done does not wait for a context's deadline.
  setTimeout(abort, Math.max(0, deadline - Date.now())).unref();
  return caller ? AbortSignal.any([caller, timeout.signal]) : timeout.signal;
}
