import { ConfigurationError } from '../errors/ConfigurationError';
import { FcLogger, type LogLevel } from './FcLogger';
import { JsonLogger } from './JsonLogger';
import type { LogSink } from './LogSink';
import type { Redact } from './redaction';

/** How ordinary log lines are written: FC's text lines (the default) or one JSON object per line. */
export type LogFormat = 'text' | 'json';

/** The lowest level written, as `logLevel` and `FC_KERNEL_LOG_LEVEL` name it. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** The log settings a kernel takes (its options first, then its environment). */
export interface LogSettingsInput {
  logFormat?: LogFormat;
  logLevel?: LogLevelName;
}

/** Makes the logger of a request id, redacting with `redact`. */
export type MakeLogger = (requestId: string, redact: Redact) => FcLogger;

const FORMATS: readonly string[] = ['text', 'json'];
const LEVELS: Readonly<Record<string, LogLevel>> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };

/**
 * The logger maker of a kernel: `logFormat` (else `FC_KERNEL_LOG_FORMAT`, else `text`) and
 * `logLevel` (else `FC_KERNEL_LOG_LEVEL`, else `debug`: every line). Decided at boot.
 *
 * @throws ConfigurationError `INVALID_LOG_OPTION` for a format or level it does not know.
 */
export function loggerMaker(input: LogSettingsInput, env: NodeJS.ProcessEnv, sink: LogSink): MakeLogger {
  const format = pick('logFormat', 'FC_KERNEL_LOG_FORMAT', input.logFormat, env.FC_KERNEL_LOG_FORMAT, FORMATS);
  const level = pick('logLevel', 'FC_KERNEL_LOG_LEVEL', input.logLevel, env.FC_KERNEL_LOG_LEVEL, Object.keys(LEVELS));
  const minimum = level === undefined ? 'DEBUG' : LEVELS[level];
  return format === 'json'
    ? (requestId, redact) => new JsonLogger(requestId, sink, redact, minimum)
    : (requestId, redact) => new FcLogger(requestId, sink, redact, minimum);
}

function pick(
  option: string,
  variable: string,
  given: string | undefined,
  fromEnv: string | undefined,
  allowed: readonly string[],
): string | undefined {
  const [value, source] =
    given !== undefined ? [given, option] : [fromEnv?.trim().toLowerCase() || undefined, variable];
  if (value === undefined || allowed.includes(value)) return value;
  throw new ConfigurationError(
    'INVALID_LOG_OPTION',
    `${source} must be one of ${allowed.map((each) => `'${each}'`).join(', ')}: got ${JSON.stringify(value)}`,
  );
}
