import { performance } from 'node:perf_hooks';
import { useTraceContext } from '../context/FcContext';
import { errorTypeOf } from '../errors/errorBody';
import { messageOf } from '../errors/FcError';
import type { ObservedInvocation, ObservedRecord, ObserveInvocation, ObserverSetup } from '../kernel/KernelOptions';
import { faasTriggerOf } from './faasTrigger';
import { Metrics } from './Metrics';
import { metricLine } from './metricLine';
import { loadOpenTelemetry, type OpenTelemetry } from './openTelemetry';
import type { TelemetrySettings } from './options';
import { Tracing, type SpanFailure, type StartedSpan } from './Tracing';

const PRE_FREEZE_HEADER = 'x-fc-instance-lifecycle-pre-freeze-handler';

/**
 * The telemetry of one kernel, set up at boot when something is switched on: its tracer and meter
 * providers (OpenTelemetry loaded now, never otherwise), and how each of FC's routes is observed.
 */
export class TelemetryRuntime {
  private readonly otel: OpenTelemetry | undefined;
  private readonly tracing: Tracing | undefined;
  private readonly metrics: Metrics | undefined;
  /** Whether an invocation has started in this process: the first one is the cold start. */
  private invoked = false;

  constructor(
    private readonly settings: TelemetrySettings,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    if (!settings.traces && !settings.metrics) return;
    this.otel = loadOpenTelemetry(settings);
    const resource = this.resource();
    if (settings.traces) this.tracing = new Tracing(this.otel, settings, resource);
    if (settings.metrics) this.metrics = new Metrics(this.otel, settings, resource);
  }

  forRoute(setup: ObserverSetup): ObserveInvocation | null {
    switch (setup.kind) {
      case 'invoke':
        return this.observeInvoke(setup);
      case 'initialize':
        return this.tracing ? this.observeInitialize(setup) : null;
      case 'preFreeze':
      case 'preStop':
        return this.otel ? (invocation, run) => this.flushAfter(run) : null;
    }
  }

  /** Exports what waits, within the flush bound; never rejects. */
  async flush(): Promise<void> {
    await this.bounded((provider) => provider.forceFlush());
  }

  /** Flushes and stops the providers, within the flush bound. */
  async shutdown(): Promise<void> {
    await this.bounded((provider) => provider.shutdown());
  }

  /** `act` on each provider, waited for within the flush bound, failures ignored. */
  private async bounded(
    act: (provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> }) => Promise<void>,
  ): Promise<void> {
    const pending: Promise<void>[] = [];
    if (this.tracing) pending.push(act(this.tracing.provider));
    if (this.metrics) pending.push(act(this.metrics.provider));
    await within(Promise.allSettled(pending), this.settings.flushTimeoutMs);
  }

  private observeInvoke(setup: ObserverSetup): ObserveInvocation {
    const trigger = faasTriggerOf(setup.eventType);
    return async (invocation, run) => {
      const startedAt = performance.now();
      const coldStart = !this.invoked;
      this.invoked = true;
      const span = this.tracing && this.startSpan(invocation, setup.functionName, trigger, coldStart);
      // A span not sampled leaves nothing to export: its invocation waits for nothing.
      const exports = this.metrics !== undefined || (span?.span.isRecording() ?? false);
      if (span)
        invocation.observeRecords((record, work) =>
          this.observeRecord(invocation, setup.functionName, span, record, work),
        );
      let failure: SpanFailure | undefined;
      try {
        return await (span ? this.otel!.api.context.with(span.context, run) : run());
      } catch (error) {
        failure = failureOf(error, invocation);
        throw error;
      } finally {
        const annotations = invocation.annotations;
        if (span && this.tracing) {
          span.span.setAttributes(annotations);
          this.tracing.end(span.span, failure);
        }
        const measure = {
          functionName: setup.functionName,
          requestId: invocation.requestId,
          durationMs: performance.now() - startedAt,
          errorType: failure?.type,
          coldStart,
          coldStartMs: coldStart ? process.uptime() * 1000 : undefined,
          replayed: annotations['fc_kernel.replayed'] === true,
          recordsSucceeded: countOf(annotations['fc_kernel.records.succeeded']),
          recordsFailed: countOf(annotations['fc_kernel.records.failed']),
          traceId: invocation.context.trace?.traceId,
        };
        this.metrics?.record(measure, trigger);
        if (this.settings.metricLines) invocation.context.logger.raw(metricLine(measure));
        if (exports && this.flushesAtAnswer(invocation)) await this.flush();
      }
    };
  }

  /** One record of a batch as a root span of its own, linked to the invocation's. */
  private async observeRecord(
    invocation: ObservedInvocation,
    functionName: string,
    parent: StartedSpan,
    record: ObservedRecord,
    work: () => Promise<unknown>,
  ): Promise<unknown> {
    const attributes: Record<string, string | number | boolean> = {
      'faas.invocation_id': invocation.requestId,
      'fc_kernel.record.index': record.index,
    };
    if (record.id !== undefined) attributes['messaging.message.id'] = record.id;
    const span = this.tracing!.startRecord(`${functionName} record`, parent.span, attributes);
    let failure: SpanFailure | undefined;
    try {
      return await this.otel!.api.context.with(span.context, work);
    } catch (error) {
      failure = failureOf(error, invocation);
      throw error;
    } finally {
      this.tracing!.end(span.span, failure);
    }
  }

  /** A span for `/initialize` (the initializer's run), exported as an invocation's are. */
  private observeInitialize(setup: ObserverSetup): ObserveInvocation {
    return async (invocation, run) => {
      const span = this.startSpan(invocation, setup.functionName, undefined, true, `initialize ${setup.functionName}`);
      let failure: SpanFailure | undefined;
      try {
        return await this.otel!.api.context.with(span.context, run);
      } catch (error) {
        failure = failureOf(error, invocation);
        throw error;
      } finally {
        this.tracing!.end(span.span, failure);
        if (this.flushesAtAnswer(invocation)) await this.flush();
      }
    };
  }

  private startSpan(
    invocation: ObservedInvocation,
    functionName: string,
    trigger: string | undefined,
    coldStart: boolean,
    name = functionName,
  ): StartedSpan {
    const ctx = invocation.context;
    const incoming = ctx.trace;
    const attributes: Record<string, string | number | boolean> = {
      'faas.invocation_id': invocation.requestId,
      'faas.name': ctx.function.name || this.env.FC_FUNCTION_NAME || functionName,
      'faas.coldstart': coldStart,
      'cloud.provider': 'alibaba_cloud',
      'cloud.platform': 'alibaba_cloud_fc',
    };
    if (trigger) attributes['faas.trigger'] = trigger;
    const region = ctx.region || this.env.FC_REGION;
    if (region) attributes['cloud.region'] = region;
    if (ctx.accountId) attributes['cloud.account.id'] = ctx.accountId;
    const started = this.tracing!.start(name, ctx, attributes);
    useTraceContext(ctx, this.tracing!.traceContextOf(started.span, incoming));
    return started;
  }

  private async flushAfter(run: () => Promise<unknown>): Promise<unknown> {
    try {
      return await run();
    } finally {
      await this.flush();
    }
  }

  /** Whether this invocation's telemetry leaves before its answer (see `TelemetryOptions.flush`). */
  private flushesAtAnswer(invocation: ObservedInvocation): boolean {
    const { flush } = this.settings;
    return flush === 'answer' || (flush === 'auto' && invocation.header(PRE_FREEZE_HEADER) === '');
  }

  private resource(): Record<string, string | number> {
    const env = this.env;
    const resource: Record<string, string | number> = {
      'cloud.provider': 'alibaba_cloud',
      'cloud.platform': 'alibaba_cloud_fc',
      'telemetry.sdk.language': 'nodejs',
    };
    if (this.settings.serviceName) resource['service.name'] = this.settings.serviceName;
    if (env.FC_REGION) resource['cloud.region'] = env.FC_REGION;
    if (env.FC_ACCOUNT_ID) resource['cloud.account.id'] = env.FC_ACCOUNT_ID;
    if (env.FC_FUNCTION_NAME) resource['faas.name'] = env.FC_FUNCTION_NAME;
    if (env.FC_FUNCTION_VERSION) resource['faas.version'] = env.FC_FUNCTION_VERSION;
    if (env.FC_INSTANCE_ID) resource['faas.instance'] = env.FC_INSTANCE_ID;
    const memory = Number(env.FC_FUNCTION_MEMORY_SIZE);
    if (memory > 0) resource['faas.max_memory'] = memory * 1024 * 1024;
    return resource;
  }
}

/** What a failure puts on a span: its type, message and stack, without the invocation's secrets. */
function failureOf(error: unknown, invocation: ObservedInvocation): SpanFailure {
  const stack = error instanceof Error && typeof error.stack === 'string' ? invocation.redact(error.stack) : undefined;
  return { type: errorTypeOf(error), message: invocation.redact(messageOf(error)), stack };
}

function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Waits for `work`, at most `ms` milliseconds; the timer does not keep the process alive. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms).unref();
  });
  try {
    await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}
