// fc-kernel/telemetry: OpenTelemetry traces and metrics, and metric lines, loaded only when on.
export { telemetry } from './telemetry';
export { DEFAULT_FLUSH_TIMEOUT_MS, type OtlpProtocol, type TelemetryFlush, type TelemetryOptions } from './options';
