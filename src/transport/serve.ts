import { createKernel, type KernelOptions } from '../kernel/Kernel';
import { flushLogs } from '../logging/LogSink';
import type { Constructor } from '../metadata/records';
import { runEnvironmentEvent } from './environmentEvent';
import { listen, portFromEnvironment, type FcHttpServer, type HttpServerOptions } from './httpServer';
import { logUnhandledRejections, stopOnUncaughtExceptions } from './processFaults';
import { ProcessShutdown } from './ProcessShutdown';
import { shutdownOnSignals } from './signals';

export interface ServeOptions extends KernelOptions, HttpServerOptions {
  /**
   * Whether `serve()` owns the process (default `true`): SIGTERM and SIGINT shut it down
   * gracefully, an uncaught exception too, and the process exits when the shutdown ends. With
   * `false` it installs none of that and never exits: the caller closes the server.
   */
  handleSignals?: boolean;
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
  server.server.once('close', () => removers.forEach((off) => off()));
  return server;
}
