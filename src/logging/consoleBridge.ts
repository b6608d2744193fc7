import { isInsideLogSink, type FcLogger, type LogLevel } from './FcLogger';
import { format } from 'node:util';
import { stdoutSink, writeLogsNow } from './LogSink';

/** What an invocation says about `console.*` called inside it (the kernel's invocations say it). */
export interface ConsoleRoute {
  /** The logger its console lines go through; undefined when its kernel leaves console alone. */
  readonly consoleLogger?: FcLogger;
}

/**
 * The console methods routed, with the level of their line. `console.trace`, `assert`, `table`,
 * `count`, `group` and `time*` print through these and follow them; `console.dir` does not.
 */
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG' } as const;
type Method = keyof typeof LEVELS;
/** The methods that print to stdout, where the default sink's lines go. */
const TO_STDOUT = new Set<Method>(['log', 'info', 'debug']);
type ConsoleMethod = (...args: unknown[]) => void;

let installed: { originals: Record<Method, ConsoleMethod>; bridges: Record<Method, ConsoleMethod> } | undefined;

/**
 * Routes `console.log`, `info`, `warn`, `error` and `debug` called inside an invocation through
 * that invocation's logger, as FC's official Node.js runtime does: FC's line format with the time,
 * request id and level, the invocation's secrets redacted, the line length limit, the kernel's
 * sink. Outside any invocation (or in one whose kernel was created with `console: false`) console
 * prints as usual, after the log lines already batched for stdout. Installed once per process by
 * the first kernel created without `console: false`, which passes `currentRoute`: the invocation
 * the calling code runs in; idempotent.
 */
export function installConsoleBridge(currentRoute: () => ConsoleRoute | undefined): void {
  if (installed) return;
  const originals = {} as Record<Method, ConsoleMethod>;
  const bridges = {} as Record<Method, ConsoleMethod>;
  for (const method of Object.keys(LEVELS) as Method[]) {
    // Kept as it is, to be put back as it was; called with its console as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const original = console[method] as ConsoleMethod;
    const level: LogLevel = LEVELS[method];
    originals[method] = original;
    bridges[method] = function (this: unknown, ...args: unknown[]): void {
      // A sink that prints through console (a test's logSink) must not log its own line again.
      const logger = isInsideLogSink() ? undefined : currentRoute()?.consoleLogger;
      if (logger) {
        logger.write(level, args);
        return;
      }
      // Behind lines stdout does not take yet, a line for stdout waits in their queue: printed
      // now it would overtake them, and waiting for the reader would stop the event loop.
      if (writeLogsNow() || !TO_STDOUT.has(method)) original.apply(this, args);
      else stdoutSink(format(...args));
    };
    console[method] = bridges[method];
  }
  installed = { originals, bridges };
}

/** Puts back the console methods the bridge replaced (those nobody replaced again since). */
export function uninstallConsoleBridge(): void {
  if (!installed) return;
  for (const method of Object.keys(LEVELS) as Method[]) {
    if (console[method] === installed.bridges[method]) console[method] = installed.originals[method];
  }
  installed = undefined;
}
