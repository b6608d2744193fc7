import { createKernel, type KernelOptions } from '../kernel/Kernel';
import { flushLogs } from '../logging/LogSink';
import type { Constructor } from '../metadata/records';
import { runEnvironmentEvent } from './environmentEvent';
import { portFromEnvironment, type FcHttpServer, type HttpServerOptions } from './httpServer';

export interface ServeOptions extends KernelOptions, HttpServerOptions {
  /** Install SIGTERM/SIGINT handlers that drain and exit (default `true`). */
  handleSignals?: boolean;
}

/**
 * Runs functions the way FC starts a custom container. If `FC_CUSTOM_CONTAINER_EVENT` is set,
 * handles that one event, writes the result to stdout (or the error JSON to stderr) and exits 0
 * (or 1). Otherwise listens on `0.0.0.0` at `FC_CUSTOM_LISTEN_PORT`, else `FC_SERVER_PORT`, else
 * 9000, and on SIGTERM/SIGINT drains, runs `@OnPreStop` and exits 0. A promise rejection nobody
 * handled is logged under the request id of the invocation that started the work; the process
 * goes on serving.
 *
 * @example
 * ```ts
 * serve(CreateOrderFunction);
 * ```
 */
export async function serve(...args: [ServeOptions] | Constructor[]): Promise<FcHttpServer | undefined> {
  const options: ServeOptions =
    args.length === 1 && typeof args[0] === 'object' ? (args[0] as ServeOptions) : { functions: args as Constructor[] };
  const env = options.env ?? process.env;
  const kernel = createKernel(options);
  // Node's default ends the process on a rejection nobody handled, and every invocation in flight
  // with it: one handler's forgotten background promise must not take the instance down. The
  // listener is there only while the functions run, so that serve()'s own failures (a port in
  // use) still end the process with a non-zero code.
  const onRejection = (reason: unknown) => kernel.logUnhandledRejection(reason);

  const event = env.FC_CUSTOM_CONTAINER_EVENT;
  if (event !== undefined) {
    process.on('unhandledRejection', onRejection);
    const outcome = await runEnvironmentEvent(kernel, event, env).finally(() =>
      process.off('unhandledRejection', onRejection),
    );
    // The invocation's log lines come before its result (and its error) on the streams.
    flushLogs();
    if (outcome.stderr) process.stderr.write(outcome.stderr + '\n');
    const exit = () => process.exit(outcome.exitCode);
    if (outcome.stdout.length > 0) process.stdout.write(outcome.stdout, () => process.stdout.write('\n', exit));
    else exit();
    return undefined;
  }

  const server = await kernel.listen(options.port ?? portFromEnvironment(env), options);
  process.on('unhandledRejection', onRejection);
  server.server.once('close', () => process.off('unhandledRejection', onRejection));
  if (options.handleSignals !== false) exitOnSignals(server);
  return server;
}

/**
 * A signal this soon after the first is the same request delivered twice, not an impatient
 * operator: on Ctrl-C under `npm start` the terminal signals the whole process group and npm
 * forwards the signal to its child as well.
 */
const REPEATED_SIGNAL_WINDOW_MS = 1_000;

/** First signal: graceful shutdown, then exit 0. A later one: exit at once. */
function exitOnSignals(server: FcHttpServer): void {
  let stopping: { signal: NodeJS.Signals; at: number } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // Ctrl-C under `npm start` reaches node twice at once (from the terminal and from npm).
      const echo = signal === 'SIGINT' && stopping.signal === 'SIGINT';
      if (echo && Date.now() - stopping.at < REPEATED_SIGNAL_WINDOW_MS) return;
      process.stderr.write(`fc-kernel: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = { signal, at: Date.now() };
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`fc-kernel: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
