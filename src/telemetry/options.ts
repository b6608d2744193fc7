import { ConfigurationError } from '../errors/ConfigurationError';

/** OTLP over HTTP: protobuf (OpenTelemetry's default) or JSON. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** When spans and metrics leave the process (see the observability guide). */
export type TelemetryFlush = 'auto' | 'answer' | 'pre-freeze';

/**
 * The telemetry layer's settings: the kernel option `telemetry`, or `telemetry(options)`. Each
 * one left out is read from OpenTelemetry's standard variables of the kernel's environment.
 */
export interface TelemetryOptions {
  /** `'otlp'` exports traces, `'none'` turns tracing off. Default: `OTEL_TRACES_EXPORTER` (off unless `otlp`). */
  traces?: 'otlp' | 'none';
  /** `'otlp'` exports OpenTelemetry metrics. Default: `OTEL_METRICS_EXPORTER` (off unless `otlp`). */
  metrics?: 'otlp' | 'none';
  /**
   * One JSON line per invocation with its outcome, duration and cold start, for the log store to
   * aggregate. Default: `FC_KERNEL_METRIC_LINES=true`, else off.
   */
  metricLines?: boolean;
  /**
   * The collector's base URL (`/v1/traces` and `/v1/metrics` are appended). Default:
   * `OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://localhost:4318`. `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
   * and `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` are full URLs and win over it.
   */
  endpoint?: string;
  /** Default: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Headers of every export request. Default: `OTEL_EXPORTER_OTLP_HEADERS` (`key=value,key2=value2`). */
  headers?: Readonly<Record<string, string>>;
  /** `service.name`. Default: `OTEL_SERVICE_NAME`, else `FC_FUNCTION_NAME`, else the function's name. */
  serviceName?: string;
  /**
   * The share of traces started here that are sampled, 0 to 1; a trace FC (or any caller) started
   * keeps the caller's decision. Default: `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`,
   * else every trace (`parentbased_always_on`).
   */
  sampleRatio?: number;
  /**
   * `'answer'`: an invocation's spans are exported before its answer leaves; `'pre-freeze'`: at
   * FC's `/pre-freeze` and `/pre-stop`; `'auto'` (default): `'pre-freeze'` when FC says a
   * pre-freeze hook is configured (the `x-fc-instance-lifecycle-pre-freeze-handler` header), else
   * `'answer'`.
   */
  flush?: TelemetryFlush;
  /** The longest an export may hold an answer or a hook, in milliseconds (default 1000). */
  flushTimeoutMs?: number;
}

// Through the package's name, as an application augments it: two augmentations of one interface
// by different paths (this one by the internal file) made tsc drop the application's.
declare module 'fc-kernel' {
  interface KernelOptions {
    /** The telemetry layer's settings (`fc-kernel/telemetry`), over OpenTelemetry's variables. */
    telemetry?: TelemetryOptions;
  }
}

/** The settings once the environment has filled the gaps: decided at boot. */
export interface TelemetrySettings {
  traces: boolean;
  metrics: boolean;
  metricLines: boolean;
  tracesUrl: string;
  metricsUrl: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  serviceName: string | undefined;
  sampler: { name: string; ratio: number };
  flush: TelemetryFlush;
  flushTimeoutMs: number;
}

export const DEFAULT_FLUSH_TIMEOUT_MS = 1000;

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/**
 * `options` over the environment's OpenTelemetry variables.
 *
 * @throws ConfigurationError `INVALID_LAYER_OPTION` for a value the layer cannot use.
 */
export function resolveTelemetrySettings(options: TelemetryOptions, env: NodeJS.ProcessEnv): TelemetrySettings {
  const base = (options.endpoint ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://localhost:4318')).replace(/\/+$/, '');
  const protocol =
    options.protocol ?? (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf');
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw invalid(
      `the OTLP protocol must be 'http/protobuf' or 'http/json' (gRPC is not supported): got ${JSON.stringify(protocol)}`,
    );
  }
  const flush = options.flush ?? 'auto';
  if (!['auto', 'answer', 'pre-freeze'].includes(flush)) {
    throw invalid(`flush must be 'auto', 'answer' or 'pre-freeze': got ${JSON.stringify(flush)}`);
  }
  const flushTimeoutMs = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  if (!(Number.isFinite(flushTimeoutMs) && flushTimeoutMs > 0)) {
    throw invalid(`flushTimeoutMs must be a positive number of milliseconds: got ${String(flushTimeoutMs)}`);
  }
  return {
    traces: (options.traces ?? firstExporter(env.OTEL_TRACES_EXPORTER)) === 'otlp',
    metrics: (options.metrics ?? firstExporter(env.OTEL_METRICS_EXPORTER)) === 'otlp',
    metricLines: options.metricLines ?? env.FC_KERNEL_METRIC_LINES?.trim().toLowerCase() === 'true',
    tracesUrl:
      options.endpoint !== undefined
        ? `${base}/v1/traces`
        : env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `${base}/v1/traces`,
    metricsUrl:
      options.endpoint !== undefined
        ? `${base}/v1/metrics`
        : env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT || `${base}/v1/metrics`,
    protocol,
    headers: { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS ?? ''), ...options.headers },
    serviceName: options.serviceName ?? (env.OTEL_SERVICE_NAME || env.FC_FUNCTION_NAME || undefined),
    sampler: samplerOf(options.sampleRatio, env),
    flush,
    flushTimeoutMs,
  };
}

/** OpenTelemetry's exporter variables are lists: tracing is on when `otlp` is among them. */
function firstExporter(value: string | undefined): string {
  const names = (value ?? '').split(',').map((name) => name.trim().toLowerCase());
  return names.includes('otlp') ? 'otlp' : 'none';
}

function samplerOf(ratio: number | undefined, env: NodeJS.ProcessEnv): { name: string; ratio: number } {
  if (ratio !== undefined) {
    if (!(ratio >= 0 && ratio <= 1)) throw invalid(`sampleRatio must be between 0 and 1: got ${String(ratio)}`);
    return { name: 'parentbased_traceidratio', ratio };
  }
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  if (!SAMPLERS.includes(name)) {
    throw invalid(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}: got ${JSON.stringify(name)}`);
  }
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const parsed = arg ? Number(arg) : 1;
  // As OpenTelemetry's SDKs do, a ratio out of range or unreadable falls back to 1.
  return { name, ratio: parsed >= 0 && parsed <= 1 ? parsed : 1 };
}

/** `key=value,key2=value2`, percent-decoded, as OpenTelemetry's variable holds headers. */
function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw invalid('OTEL_EXPORTER_OTLP_HEADERS holds a badly percent-encoded header');
    }
  }
  return headers;
}

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_LAYER_OPTION', `telemetry: ${message}`);
}
