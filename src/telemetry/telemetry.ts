import type { InvocationObserver, KernelOptions } from '../kernel/KernelOptions';
import { resolveTelemetrySettings, type TelemetryOptions } from './options';
import { TelemetryRuntime } from './TelemetryRuntime';

/**
 * The telemetry layer, for a kernel's `observers`: OpenTelemetry traces (a server span per
 * invocation, child of the `traceparent` FC sends) and metrics over OTLP/HTTP, and metric lines
 * for the log store. Switched on by OpenTelemetry's variables (`OTEL_TRACES_EXPORTER=otlp`,
 * `OTEL_METRICS_EXPORTER=otlp`), by `FC_KERNEL_METRIC_LINES=true`, or by `options` (else the
 * kernel option `telemetry`). When nothing is on, no route is observed and OpenTelemetry is not
 * loaded.
 *
 * @example
 * ```ts
 * void serve({ functions: [CreateOrderFunction], observers: [telemetry()] });
 * ```
 */
export function telemetry(options?: TelemetryOptions): InvocationObserver {
  // One runtime per kernel (its options object), made when the kernel asks for its first route.
  const runtimes = new Map<Readonly<KernelOptions>, TelemetryRuntime | null>();
  const runtimeOf = (kernel: Readonly<KernelOptions>): TelemetryRuntime | null => {
    let runtime = runtimes.get(kernel);
    if (runtime === undefined) {
      const env = kernel.env ?? process.env;
      const settings = resolveTelemetrySettings(options ?? kernel.telemetry ?? {}, env);
      runtime =
        settings.traces || settings.metrics || settings.metricLines ? new TelemetryRuntime(settings, env) : null;
      runtimes.set(kernel, runtime);
    }
    return runtime;
  };
  return {
    name: 'telemetry',
    forRoute: (setup) => runtimeOf(setup.options)?.forRoute(setup) ?? null,
    shutdown: async () => {
      const running = [...runtimes.values()].filter((runtime) => runtime !== null);
      await Promise.all(running.map((runtime) => runtime.shutdown()));
    },
  };
}
