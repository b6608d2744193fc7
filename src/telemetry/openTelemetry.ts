import { ConfigurationError } from '../errors/ConfigurationError';
import type { TelemetrySettings } from './options';

/** The OpenTelemetry packages the layer uses, loaded only when telemetry is switched on. */
export interface OpenTelemetry {
  api: typeof import('@opentelemetry/api');
  core: typeof import('@opentelemetry/core');
  contextAsyncHooks: typeof import('@opentelemetry/context-async-hooks');
  resources: typeof import('@opentelemetry/resources');
  sdkTrace?: typeof import('@opentelemetry/sdk-trace');
  traceExporter?: { OTLPTraceExporter: typeof import('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter };
  sdkMetrics?: typeof import('@opentelemetry/sdk-metrics');
  metricExporter?: {
    OTLPMetricExporter: typeof import('@opentelemetry/exporter-metrics-otlp-http').OTLPMetricExporter;
  };
}

/**
 * Requires the packages `settings` need, at boot: they are optional peer dependencies, and a
 * function that does not switch telemetry on never loads them.
 *
 * @throws ConfigurationError `MISSING_PEER_DEPENDENCY` naming what to install.
 */
export function loadOpenTelemetry(settings: TelemetrySettings): OpenTelemetry {
  const needed = [
    '@opentelemetry/api',
    '@opentelemetry/core',
    '@opentelemetry/context-async-hooks',
    '@opentelemetry/resources',
  ];
  const traceExporter =
    settings.protocol === 'http/json'
      ? '@opentelemetry/exporter-trace-otlp-http'
      : '@opentelemetry/exporter-trace-otlp-proto';
  if (settings.traces) needed.push('@opentelemetry/sdk-trace', traceExporter);
  const metricExporter =
    settings.protocol === 'http/json'
      ? '@opentelemetry/exporter-metrics-otlp-http'
      : '@opentelemetry/exporter-metrics-otlp-proto';
  if (settings.metrics) needed.push('@opentelemetry/sdk-metrics', metricExporter);
  const missing = needed.filter((name) => !resolvable(name));
  if (missing.length > 0) {
    throw new ConfigurationError(
      'MISSING_PEER_DEPENDENCY',
      `telemetry is switched on but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed: npm install ${missing.join(' ')}`,
    );
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only once telemetry is on */
  return {
    api: require('@opentelemetry/api') as OpenTelemetry['api'],
    core: require('@opentelemetry/core') as OpenTelemetry['core'],
    contextAsyncHooks: require('@opentelemetry/context-async-hooks') as OpenTelemetry['contextAsyncHooks'],
    resources: require('@opentelemetry/resources') as OpenTelemetry['resources'],
    sdkTrace: settings.traces ? (require('@opentelemetry/sdk-trace') as OpenTelemetry['sdkTrace']) : undefined,
    traceExporter: settings.traces ? (require(traceExporter) as OpenTelemetry['traceExporter']) : undefined,
    sdkMetrics: settings.metrics ? (require('@opentelemetry/sdk-metrics') as OpenTelemetry['sdkMetrics']) : undefined,
    metricExporter: settings.metrics ? (require(metricExporter) as OpenTelemetry['metricExporter']) : undefined,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function resolvable(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
