import type { AddressInfo } from 'node:net';
import { PortUnavailableError, serve } from '../index';
import { CliError, usageError } from './CliError';
import type { CliIo } from './CliIo';
import type { Command } from './Command';
import { entryBootError, loadEntry, type LoadedEntry } from './loadEntry';
import { parseCommandArgs } from './parseCommandArgs';
import { serveWatching } from './serveWatching';

const OPTIONS = { watch: { type: 'boolean', short: 'w' } } as const;

const HELP = `Usage:
  fc-kernel serve <entry> [--watch]

Serves the entry's functions as FC runs a custom container: an HTTP server on 0.0.0.0, port
FC_CUSTOM_LISTEN_PORT, else FC_SERVER_PORT, else 9000 (0 picks a free one), answering POST
/invoke, POST /initialize, GET /pre-stop and GET /pre-freeze. When FC_CUSTOM_CONTAINER_EVENT is
set, handles that one event instead and exits (0, or 1 when it failed).

Prints "<functions> listening on <address>:<port>" once it listens; log and marker lines go
to stdout, where FC collects them. SIGTERM or Ctrl-C drains the requests in flight, runs
@OnPreStop if FC has not, and exits 0; so does the end of the process that started it (npx's
shell, killed by a SIGTERM sent to npx).

Options:
  -w, --watch  rebuild (npm run build) when a TypeScript or JSON file under the working
               directory changes, and restart the server on the same port
  -h, --help   show this help

Exit status: 0 after a graceful shutdown; 1 when the server cannot start (the port is taken);
2 for a usage error or an entry that cannot be loaded.

Example:
  FC_CUSTOM_LISTEN_PORT=9100 fc-kernel serve dist/src/index.js
`;

/** `fc-kernel serve`: the entry's functions on FC's port rules, until the process is signalled. */
export const serveCommand: Command = {
  name: 'serve',
  summary: "serve the entry's functions on FC's port rules",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length !== 1) throw usageError('give exactly one entry to serve');
    const serving = values.watch
      ? serveWatching(positionals[0], io)
      : serveFunctions(loadEntry(positionals[0], io.cwd), io);
    stopWhenOrphaned();
    return serving;
  },
};

/** How often the command checks that the process that started it is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Shuts down as on SIGTERM once the process that started this one is gone. `npx` and `npm exec`
 * run the command through `sh -c`: a SIGTERM to npm is forwarded to the shell, which dies of it,
 * and this process would serve on, never told, its pre-stop never run.
 */
function stopWhenOrphaned(): void {
  const parent = process.ppid;
  // Started by init (or a container's PID 1 reaper): no parent to outlive.
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, PARENT_CHECK_MS);
  timer.unref();
}

/** The command has no port option: the environment chooses. */
function portError(error: PortUnavailableError): CliError {
  return new CliError(
    `port ${error.port} ${error.reason}. Set FC_CUSTOM_LISTEN_PORT to another port (else FC_SERVER_PORT is read, else 9000 is used; 0 picks a free one)`,
    { exitCode: 1, cause: error },
  );
}

/**
 * Serves `entry`'s functions as `fc-kernel serve` does, for that command and for a bundle built
 * by `fc-kernel build`. Never resolves: once listening, `serve()` ends the process. Rejects when
 * the server cannot start, with a `CliError` when a function is misconfigured.
 */
export async function serveFunctions(entry: LoadedEntry, io: CliIo): Promise<number> {
  const server = await serve({
    functions: entry.functions,
    env: io.env,
    // The process's own stdout is the kernel's default sink already.
    logSink:
      io.stdout === process.stdout
        ? undefined
        : (line) => {
            io.stdout.write(line + '\n');
          },
  }).catch((error: unknown) => {
    if (error instanceof PortUnavailableError) throw portError(error);
    throw entryBootError(entry, error);
  });
  // Without a server, serve() handles FC_CUSTOM_CONTAINER_EVENT and exits the process itself.
  if (server) {
    const { address, port } = server.server.address() as AddressInfo;
    io.stdout.write(`${server.kernel.functionNames.join(', ')} listening on ${address}:${port}\n`);
  }
  // serve() ends the process: on SIGTERM/SIGINT once drained, or once the one event is handled.
  return new Promise<number>(() => undefined);
}
