import { headerValue, type RequestHeaders } from './headers';

/**
 * The trace an invocation runs in, as W3C Trace Context says it: what outgoing calls send on so
 * that their spans join it. With the telemetry layer on, `spanId` is the invocation's own span;
 * without it, the caller's (the context is passed through unchanged).
 *
 * @example
 * ```ts
 * await fetch(url, { headers: { ...ctx.trace?.headers } });
 * ```
 */
export interface TraceContext {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits: the span outgoing calls are children of. */
  readonly spanId: string;
  /** Whether the trace is sampled (the `01` flag): FC decides it for the traces it starts. */
  readonly sampled: boolean;
  /** `traceparent`, `tracestate` and `baggage` headers for an outgoing request (the last two when present). */
  readonly headers: Readonly<Record<string, string>>;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The trace context a request arrived with: its W3C `traceparent` (with `tracestate` and
 * `baggage`), else FC's older `x-fc-tracing-opentracing-span-context` (Jaeger's
 * `traceId:spanId:parentId:flags` in hex); `undefined` when neither is there or valid.
 */
export function incomingTraceContext(headers: RequestHeaders): TraceContext | undefined {
  const parent = headerValue(headers, 'traceparent');
  if (parent) {
    const fromW3c = parseTraceparent(parent.trim().toLowerCase());
    if (fromW3c) {
      return traceContext(fromW3c.traceId, fromW3c.spanId, fromW3c.sampled, {
        tracestate: headerValue(headers, 'tracestate'),
        baggage: headerValue(headers, 'baggage'),
      });
    }
  }
  const legacy = parseJaegerSpanContext(headerValue(headers, 'x-fc-tracing-opentracing-span-context'));
  return legacy && traceContext(legacy.traceId, legacy.spanId, legacy.sampled, {});
}

/** A trace context, with the headers that carry it on. */
export function traceContext(
  traceId: string,
  spanId: string,
  sampled: boolean,
  extra: { tracestate?: string; baggage?: string },
): TraceContext {
  const headers: Record<string, string> = { traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}` };
  if (extra.tracestate) headers.tracestate = extra.tracestate;
  if (extra.baggage) headers.baggage = extra.baggage;
  return { traceId, spanId, sampled, headers };
}

interface SpanReference {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/** `00-<trace id>-<span id>-<flags>`; version `ff` and all-zero ids are invalid. */
function parseTraceparent(value: string): SpanReference | undefined {
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** Jaeger's `traceId:spanId:parentId:flags`, ids in hex of up to 32 (trace) and 16 (span) digits. */
function parseJaegerSpanContext(value: string): SpanReference | undefined {
  const parts = value.trim().toLowerCase().split(':');
  if (parts.length !== 4) return undefined;
  const [traceId, spanId, , flags] = parts;
  if (!/^[0-9a-f]{1,32}$/.test(traceId) || !/^[0-9a-f]{1,16}$/.test(spanId) || !/^[0-9a-f]{1,2}$/.test(flags)) {
    return undefined;
  }
  const paddedTrace = traceId.padStart(32, '0');
  const paddedSpan = spanId.padStart(16, '0');
  if (paddedTrace === ZERO_TRACE || paddedSpan === ZERO_SPAN) return undefined;
  return { traceId: paddedTrace, spanId: paddedSpan, sampled: (parseInt(flags, 16) & 1) === 1 };
}
