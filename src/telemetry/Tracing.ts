import type { Context, Span, Tracer } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { FcContext } from '../context/FcContext';
import type { TraceContext } from '../context/traceContext';
import type { OpenTelemetry } from './openTelemetry';
import type { TelemetrySettings } from './options';

/** The instrumentation scope of the kernel's spans. */
export const INSTRUMENTATION_NAME = 'fc-kernel';

/** A span the layer started for an invocation, and the context its work runs in. */
export interface StartedSpan {
  readonly span: Span;
  readonly context: Context;
}

/** What a failed invocation puts on its span, already redacted. */
export interface SpanFailure {
  type: string;
  message: string;
  stack: string | undefined;
}

/**
 * The layer's traces: a tracer provider exporting over OTLP/HTTP with a batch processor, the
 * sampler OpenTelemetry's variables name (parent-based by default, so FC's sampling decision
 * holds), and, when no other SDK registered them first, the process's context manager and W3C
 * propagators, so that instrumented clients called from a handler join the invocation's span.
 */
export class Tracing {
  readonly provider: TracerProvider;
  private readonly tracer: Tracer;

  constructor(
    private readonly otel: OpenTelemetry,
    settings: TelemetrySettings,
    resource: Record<string, string | number>,
  ) {
    const { api, core, contextAsyncHooks, resources } = otel;
    const sdk = otel.sdkTrace!;
    const exporter = new otel.traceExporter!.OTLPTraceExporter({
      url: settings.tracesUrl,
      headers: settings.headers,
      timeoutMillis: settings.flushTimeoutMs,
    });
    this.provider = new sdk.TracerProvider({
      resource: resources.resourceFromAttributes(resource),
      sampler: samplerOf(sdk, settings.sampler),
      spanProcessors: [new sdk.BatchSpanProcessor({ exporter, exportTimeoutMillis: settings.flushTimeoutMs })],
    });
    this.tracer = this.provider.getTracer(INSTRUMENTATION_NAME);
    // Each returns false when an SDK of the application's registered first: that one stays.
    api.context.setGlobalContextManager(new contextAsyncHooks.AsyncLocalStorageContextManager().enable());
    api.propagation.setGlobalPropagator(
      new core.CompositePropagator({
        propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
      }),
    );
    api.trace.setGlobalTracerProvider(this.provider);
  }

  /**
   * A server span named `name`, child of the trace the request arrived in (`ctx.trace` as FC
   * sent it), made `ctx.trace` for the handler's outgoing calls.
   */
  start(name: string, ctx: FcContext, attributes: Record<string, string | number | boolean>): StartedSpan {
    const { api } = this.otel;
    const incoming = ctx.trace;
    let parent = api.ROOT_CONTEXT;
    if (incoming) {
      parent = api.trace.setSpanContext(parent, {
        traceId: incoming.traceId,
        spanId: incoming.spanId,
        traceFlags: incoming.sampled ? api.TraceFlags.SAMPLED : api.TraceFlags.NONE,
        isRemote: true,
        traceState: incoming.headers.tracestate ? api.createTraceState(incoming.headers.tracestate) : undefined,
      });
      if (incoming.headers.baggage) {
        parent = api.propagation.extract(parent, { baggage: incoming.headers.baggage });
      }
    }
    const span = this.tracer.startSpan(name, { kind: api.SpanKind.SERVER, attributes }, parent);
    return { span, context: api.trace.setSpan(parent, span) };
  }

  /**
   * A root span of its own for one record of a batch (a record is a message of its own trace, as
   * OpenTelemetry's messaging conventions have it), linked to the invocation's span.
   */
  startRecord(name: string, invocation: Span, attributes: Record<string, string | number | boolean>): StartedSpan {
    const { api } = this.otel;
    const span = this.tracer.startSpan(
      name,
      { kind: api.SpanKind.CONSUMER, root: true, attributes, links: [{ context: invocation.spanContext() }] },
      api.ROOT_CONTEXT,
    );
    return { span, context: api.trace.setSpan(api.ROOT_CONTEXT, span) };
  }

  /** The trace context of `span`, for `ctx.trace`: the caller's `tracestate` and `baggage` carried on. */
  traceContextOf(span: Span, incoming: TraceContext | undefined): TraceContext {
    const { traceId, spanId, traceFlags } = span.spanContext();
    const headers: Record<string, string> = {
      traceparent: `00-${traceId}-${spanId}-${traceFlags & 1 ? '01' : '00'}`,
    };
    if (incoming?.headers.tracestate) headers.tracestate = incoming.headers.tracestate;
    if (incoming?.headers.baggage) headers.baggage = incoming.headers.baggage;
    return { traceId, spanId, sampled: (traceFlags & 1) === 1, headers };
  }

  /** Ends `span` with the invocation's outcome: an error status and an exception event on failure. */
  end(span: Span, failure: SpanFailure | undefined): void {
    if (failure) {
      const { type, message, stack } = failure;
      span.setAttribute('error.type', type);
      span.recordException({ name: type, message, stack });
      span.setStatus({ code: this.otel.api.SpanStatusCode.ERROR, message });
    }
    span.end();
  }
}

function samplerOf(
  sdk: NonNullable<OpenTelemetry['sdkTrace']>,
  { name, ratio }: TelemetrySettings['sampler'],
):
  | InstanceType<typeof sdk.ParentBasedSampler>
  | InstanceType<typeof sdk.TraceIdRatioBasedSampler>
  | InstanceType<typeof sdk.AlwaysOnSampler>
  | InstanceType<typeof sdk.AlwaysOffSampler> {
  const root = name.endsWith('always_on')
    ? new sdk.AlwaysOnSampler()
    : name.endsWith('always_off')
      ? new sdk.AlwaysOffSampler()
      : new sdk.TraceIdRatioBasedSampler(ratio);
  return name.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
}
