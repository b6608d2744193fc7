import type { Counter, Histogram } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { InvocationMeasure } from './metricLine';
import type { OpenTelemetry } from './openTelemetry';
import type { TelemetrySettings } from './options';
import { INSTRUMENTATION_NAME } from './Tracing';

/**
 * The layer's OpenTelemetry metrics, with FaaS semantic conventions where they have a name:
 * `faas.invocations`, `faas.errors` (by `error.type`), `faas.invoke_duration` (seconds),
 * `faas.coldstarts`; and `fc_kernel.cold_start_duration` (seconds to the first answer),
 * `fc_kernel.replayed_invocations`, `fc_kernel.records` (by `outcome`). Exported when flushed
 * (with the traces), else once a minute.
 */
export class Metrics {
  readonly provider: MeterProvider;
  private readonly invocations: Counter;
  private readonly errors: Counter;
  private readonly duration: Histogram;
  private readonly coldStarts: Counter;
  private readonly coldStartDuration: Histogram;
  private readonly replayed: Counter;
  private readonly records: Counter;

  constructor(otel: OpenTelemetry, settings: TelemetrySettings, resource: Record<string, string | number>) {
    const sdk = otel.sdkMetrics!;
    const exporter = new otel.metricExporter!.OTLPMetricExporter({
      url: settings.metricsUrl,
      headers: settings.headers,
      timeoutMillis: settings.flushTimeoutMs,
    });
    this.provider = new sdk.MeterProvider({
      resource: otel.resources.resourceFromAttributes(resource),
      readers: [new sdk.PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
    });
    const meter = this.provider.getMeter(INSTRUMENTATION_NAME);
    this.invocations = meter.createCounter('faas.invocations', { description: 'Invocations' });
    this.errors = meter.createCounter('faas.errors', { description: 'Failed invocations' });
    this.duration = meter.createHistogram('faas.invoke_duration', { unit: 's', description: 'Invocation duration' });
    this.coldStarts = meter.createCounter('faas.coldstarts', { description: 'Cold starts' });
    this.coldStartDuration = meter.createHistogram('fc_kernel.cold_start_duration', {
      unit: 's',
      description: "From the process's start to its first answer",
    });
    this.replayed = meter.createCounter('fc_kernel.replayed_invocations', { description: 'Answers replayed' });
    this.records = meter.createCounter('fc_kernel.records', { description: "A batch's records, by outcome" });
  }

  record(measure: InvocationMeasure, trigger: string): void {
    const attributes = { 'faas.name': measure.functionName, 'faas.trigger': trigger };
    this.invocations.add(1, attributes);
    this.duration.record(measure.durationMs / 1000, attributes);
    if (measure.errorType !== undefined) this.errors.add(1, { ...attributes, 'error.type': measure.errorType });
    if (measure.coldStart) this.coldStarts.add(1, attributes);
    if (measure.coldStartMs !== undefined) this.coldStartDuration.record(measure.coldStartMs / 1000, attributes);
    if (measure.replayed) this.replayed.add(1, attributes);
    if (measure.recordsSucceeded) this.records.add(measure.recordsSucceeded, { ...attributes, outcome: 'success' });
    if (measure.recordsFailed) this.records.add(measure.recordsFailed, { ...attributes, outcome: 'failure' });
  }
}
