import { ConfigurationError } from '../errors/ConfigurationError';
import { createKernel, type KernelOptions } from '../kernel/Kernel';
import { flushLogs } from '../logging/LogSink';
import type { Constructor } from '../metadata/records';
import { runEnvironmentEvent } from './environmentEvent';
import { listen, portFromEnvironment, type FcHttpServer, type HttpServerOptions } from './httpServer';
import { logUnhandledRejections, stopOnUncaughtExceptions } from './processFaults';
import { ProcessShutdown } from './ProcessShutdown';
import { shutdownOnSignals } from './signals';
import { capYoungGeneration, DEFAULT_YOUNG_GENERATION_MIB } from './youngGeneration';

export interface ServeOptions extends KernelOptions, HttpServerOptions {
  /**
   * Whether `serve()` owns the process (default `true`): SIGTERM and SIGINT shut it down
   * gracefully, an uncaught exception too, and the process exits when the shutdown ends. With
   * `false` it installs none of that and never exits: the caller closes the server.
   */
  handleSignals?: boolean;
  /**
   * How large V8's young generation may grow while the server runs, in MiB per
   * semi-space (default 4; V8's own limit is 16): under load the server's garbage dies within an
   * event-loop turn, and a young generation four times as large saves about 1 µs of garbage
   * collection per request for 20 MB more resident. The limit gives way while much survives each
   * scavenge (many requests in flight, awaiting). `false` leaves V8's sizing alone, as does an
   * application that sizes it itself: `--max-semi-space-size` (or another sizing option) on the
   * command line, in `NODE_OPTIONS`, or given to `v8.setFlagsFromString()`.
   */
  youngGenerationMiB?: number | false;
}

/**
 * Runs functions the way FC starts a custom container. If `FC_CUSTOM_CONTAINER_EVENT` is set,
 * handles that one event, writes the result to stdout (or the error JSON to stderr) and exits 0
 * (or 1). Otherwise listens on `0.0.0.0` at `FC_CUSTOM_LISTEN_PORT`, else `FC_SERVER_PORT`, else
 * 9000, and resolves to the server.
 *
 * - SIGTERM or SIGINT: stop accepting, answer the requests that arrived (up to `drainTimeoutMs`),
 *   run `@OnPreStop` (up to `preStopTimeoutMs`), exit 0, or 1 if a request went unanswered or a
 *   hook failed. Repeated signals do not cut the drain short; a SIGINT more than 3 s after the
 *   first exits at once with 130.
 * - A promise rejection nobody handled is logged under the request id of the invocation that
 *   started the work, redacted; the process goes on serving.
 * - An exception nobody caught is logged the same way, then the process shuts down as on SIGTERM
 *   and exits 1.
 *
 * @example
 * ```ts
 * void serve(CreateOrderFunction);
 * ```
 */
export async function serve(...args: [ServeOptions] | Constructor[]): Promise<FcHttpServer | undefined> {
  const options: ServeOptions =
    args.length === 1 && typeof args[0] === 'object' ? args[0] : { functions: args as Constructor[] };
  const env = options.env ?? process.env;
  const youngGenerationMiB = options.youngGenerationMiB ?? DEFAULT_YOUNG_GENERATION_MIB;
  checkYoungGeneration(youngGenerationMiB);
  const kernel = createKernel(options);
  const owned = options.handleSignals !== false;

  const event = env.FC_CUSTOM_CONTAINER_EVENT;
  if (event !== undefined) {
    // The handlers are there only while the functions run, so that serve()'s own failures still
    // end the process with a non-zero code.
    let faulted = false;
    const removers = [logUnhandledRejections(kernel)];
    if (owned) removers.push(stopOnUncaughtExceptions(kernel, () => (faulted = true)));
    const outcome = await runEnvironmentEvent(kernel, event, env).finally(() => removers.forEach((off) => off()));
    // The invocation's log lines come before its result (and its error) on the streams.
    flushLogs();
    if (outcome.stderr) process.stderr.write(outcome.stderr + '\n');
    const exit = () => process.exit(faulted ? 1 : outcome.exitCode);
    if (outcome.stdout.length > 0) process.stdout.write(outcome.stdout, () => process.stdout.write('\n', exit));
    else exit();
    return undefined;
  }

  const server = await listen(kernel, {
    port: options.port ?? portFromEnvironment(env),
    host: options.host,
    drainTimeoutMs: options.drainTimeoutMs,
    preStopTimeoutMs: options.preStopTimeoutMs,
  });
  const removers = [logUnhandledRejections(kernel)];
  if (owned) {
    const shutdown = new ProcessShutdown(server);
    removers.push(
      shutdownOnSignals(shutdown),
      stopOnUncaughtExceptions(kernel, () => shutdown.begin('uncaught exception')),
    );
  }
  // Once everything is loaded: a V8 option changed earlier would cost the start its code caches.
  if (youngGenerationMiB !== false) removers.push(capYoungGeneration(youngGenerationMiB));
  server.server.once('close', () => removers.forEach((off) => off()));
  return server;
}

/** Refuses at boot a young-generation size V8 could not be held to. */
function checkYoungGeneration(value: unknown): void {
  if (value === false || (Number.isInteger(value) && (value as number) >= 1)) return;
  throw new ConfigurationError(
    'INVALID_YOUNG_GENERATION',
    `youngGenerationMiB must be false or a whole number of MiB, at least 1: got ${String(value)}`,
  );
}
