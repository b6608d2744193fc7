import { inspect } from 'node:util';
import type { FcLogger } from '../logging/FcLogger';
import { headerCredentials, type FcCredentials } from './credentials';
import { headerNumber, headerSeconds, headerValue, type RequestHeaders } from './headers';
import { incomingTraceContext, type TraceContext } from './traceContext';

export type { FcCredentials };

/** Numbers are the header's first valid value (see `headerNumber`, `headerSeconds`), else 0. */
export interface FcFunctionInfo {
  name: string;
  handler: string;
  /** Memory in MB. */
  memory: number;
  /** Timeout in seconds: the value the invocation's deadline is taken from. */
  timeout: number;
  initializer: string;
  /** Initializer timeout in seconds. */
  initializationTimeout: number;
}

export interface FcServiceInfo {
  name: string;
  logProject: string;
  logStore: string;
  qualifier: string;
  versionId: string;
}

export interface FcTracing {
  openTracingSpanContext: string;
  /** Decoded from the base64 JSON FC sends; `{}` when absent or unreadable. */
  openTracingSpanBaggages: Record<string, string>;
  jaegerEndpoint: string;
}

/**
 * How FC invoked the function: `Async` for an asynchronous invocation (queued by FC, retried on
 * failure, its result sent to a destination), `Sync` otherwise.
 */
export type FcInvocationType = 'Sync' | 'Async';

/** What the kernel knows of an invocation before the handler runs. */
export interface ContextInit {
  requestId: string;
  headers: RequestHeaders;
  logger: FcLogger;
  /** Epoch milliseconds at which the invocation times out; `Infinity` when FC gave no timeout. */
  deadline: number;
  /**
   * The invocation's signal, or a function that makes it on first read: an AbortSignal costs a few
   * microseconds to create, and most invocations never look at it.
   */
  signal: AbortSignal | (() => AbortSignal);
  /** Used when the request carries no credential headers (non-web-server mode). */
  fallbackCredentials?: FcCredentials;
}

/** Set by the class's static block: it alone reaches the private field. */
let setContextTrace: (context: FcContext, trace: TraceContext | undefined) => void;

/**
 * The invocation context, with the field names of FC's official Node.js runtime plus a logger,
 * the deadline and an abort signal. Printing or JSON-serialising it never shows the credentials.
 *
 * `requestId`, `logger` and `deadline` are set when the invocation starts; the fields FC's headers
 * give (`region`, `accountId`, `retryCount`, `invocationType`, `asyncTaskId`, `function`,
 * `service`, `tracing`, `credentials`) are
 * read from the headers the first time they are asked for, then kept: most handlers read few of
 * them or none, and parsing them all cost every invocation about a microsecond.
 */
export class FcContext {
  readonly requestId: string;
  readonly logger: FcLogger;
  /** Epoch milliseconds at which FC stops waiting (`x-fc-function-timeout`); `Infinity` if unknown. */
  readonly deadline: number;
  // Private fields: the headers carry the credentials, and inspect/JSON must never show them.
  readonly #headers: RequestHeaders;
  readonly #fallbackCredentials: FcCredentials | undefined;
  #signal: AbortSignal | (() => AbortSignal);
  #region: string | undefined;
  #accountId: string | undefined;
  #retryCount: number | undefined;
  #invocationType: FcInvocationType | undefined;
  #asyncTaskId: string | undefined;
  #function: FcFunctionInfo | undefined;
  #service: FcServiceInfo | undefined;
  #tracing: FcTracing | undefined;
  #credentials: FcCredentials | undefined;
  /** `null` until read from the headers (or set by the tracing layer). */
  #trace: TraceContext | undefined | null = null;

  static {
    setContextTrace = (context, trace) => {
      context.#trace = trace;
    };
  }

  constructor(init: ContextInit) {
    this.requestId = init.requestId;
    this.logger = init.logger;
    this.deadline = init.deadline;
    this.#headers = init.headers;
    this.#signal = init.signal;
    this.#fallbackCredentials = init.fallbackCredentials;
  }

  /** `x-fc-region`, e.g. `cn-hangzhou`. */
  get region(): string {
    return (this.#region ??= headerValue(this.#headers, 'x-fc-region'));
  }

  /** `x-fc-account-id`: the function owner's account. */
  get accountId(): string {
    return (this.#accountId ??= headerValue(this.#headers, 'x-fc-account-id'));
  }

  /**
   * `x-fc-retry-count`: 0 on the first attempt of an asynchronous invocation, 1 on FC's first
   * retry, and so on; a retry keeps the `requestId`. 0 when FC sends none (a synchronous call).
   */
  get retryCount(): number {
    return (this.#retryCount ??= headerNumber(this.#headers, 'x-fc-retry-count') ?? 0);
  }

  /** `x-fc-invocation-type`: `Async` when it says so (in any case), else `Sync`. */
  get invocationType(): FcInvocationType {
    return (this.#invocationType ??=
      headerValue(this.#headers, 'x-fc-invocation-type').trim().toLowerCase() === 'async' ? 'Async' : 'Sync');
  }

  /**
   * `x-fc-async-task-id`: the id of an asynchronous task (a stateful asynchronous invocation; FC
   * refuses a second submission of the same id), or `''` when the invocation is not one.
   */
  get asyncTaskId(): string {
    return (this.#asyncTaskId ??= headerValue(this.#headers, 'x-fc-async-task-id'));
  }

  get function(): FcFunctionInfo {
    const h = this.#headers;
    return (this.#function ??= {
      name: headerValue(h, 'x-fc-function-name'),
      handler: headerValue(h, 'x-fc-function-handler'),
      memory: headerNumber(h, 'x-fc-function-memory') ?? 0,
      timeout: headerSeconds(h, 'x-fc-function-timeout') ?? 0,
      initializer: headerValue(h, 'x-fc-function-initializer'),
      initializationTimeout: headerSeconds(h, 'x-fc-initialization-timeout') ?? 0,
    });
  }

  get service(): FcServiceInfo {
    const h = this.#headers;
    return (this.#service ??= {
      name: headerValue(h, 'x-fc-service-name'),
      logProject: headerValue(h, 'x-fc-service-logproject'),
      logStore: headerValue(h, 'x-fc-service-logstore'),
      qualifier: headerValue(h, 'x-fc-qualifier'),
      versionId: headerValue(h, 'x-fc-version-id'),
    });
  }

  get tracing(): FcTracing {
    const h = this.#headers;
    return (this.#tracing ??= {
      openTracingSpanContext: headerValue(h, 'x-fc-tracing-opentracing-span-context'),
      openTracingSpanBaggages: decodeBaggages(headerValue(h, 'x-fc-tracing-opentracing-span-baggages')),
      jaegerEndpoint: headerValue(h, 'x-fc-tracing-jaeger-endpoint'),
    });
  }

  /**
   * The trace the invocation runs in (W3C `traceparent`, else FC's older span context header), to
   * send on with outgoing calls; `undefined` when the request carried none and no tracing layer
   * started one. With the telemetry layer on, its span is the invocation's own.
   *
   * @example
   * ```ts
   * await fetch(url, { headers: { ...ctx.trace?.headers } });
   * ```
   */
  get trace(): TraceContext | undefined {
    if (this.#trace === null) this.#trace = incomingTraceContext(this.#headers);
    return this.#trace;
  }

  /** Aborted at the deadline, or when the caller goes away. */
  get signal(): AbortSignal {
    if (typeof this.#signal === 'function') this.#signal = this.#signal();
    return this.#signal;
  }

  /** The function role's credentials. Not enumerable: never printed, never serialised. */
  get credentials(): FcCredentials {
    return (this.#credentials ??= credentialsOf(this.#headers, this.#fallbackCredentials));
  }

  /** Milliseconds left before the deadline (`Infinity` when FC gave no timeout), never negative. */
  remainingTimeMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  toJSON(): Record<string, unknown> {
    return {
      requestId: this.requestId,
      region: this.region,
      accountId: this.accountId,
      retryCount: this.retryCount,
      invocationType: this.invocationType,
      asyncTaskId: this.asyncTaskId,
      function: this.function,
      service: this.service,
      tracing: this.tracing,
      deadline: Number.isFinite(this.deadline) ? new Date(this.deadline).toISOString() : null,
      credentials: '[redacted]',
    };
  }

  [inspect.custom](): string {
    return `FcContext ${inspect(this.toJSON(), { depth: 4 })}`;
  }
}

/** Makes `trace` the invocation's trace context (`ctx.trace`): the tracing layer's span. */
export function useTraceContext(context: FcContext, trace: TraceContext | undefined): void {
  setContextTrace(context, trace);
}

/** The request's credentials; the fallback (the environment's) when it carries no access key id. */
function credentialsOf(headers: RequestHeaders, fallback: FcCredentials | undefined): FcCredentials {
  const fromHeaders = headerCredentials(headers);
  return fromHeaders.accessKeyId || !fallback ? fromHeaders : { ...fallback };
}

function decodeBaggages(encoded: string): Record<string, string> {
  if (!encoded) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]))
      : {};
  } catch {
    return {};
  }
}
