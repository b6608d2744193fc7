import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { portFromEnvironment } from '../transport/httpServer';
import { CliError } from './CliError';
import type { CliIo } from './CliIo';

/** How long the watcher waits after a change for more: an editor's save is several events. */
const SETTLE_MS = 150;
/** Folders whose changes never call for a rebuild. */
const IGNORED_FOLDERS = new Set(['node_modules', '.git']);
/** The files a build reads. */
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|json)$/;

/**
 * `fc-kernel serve --watch`: builds the project (`npm run build`), serves the entry in a child
 * `fc-kernel serve`, and on each change of a TypeScript source or JSON file under the working
 * directory rebuilds, then restarts the child on the same port (its pre-stop runs, as on
 * SIGTERM). A failed build keeps the running server. SIGTERM or Ctrl-C stops the child
 * gracefully and exits with its code.
 */
export async function serveWatching(entry: string, io: CliIo): Promise<number> {
  const project = io.cwd;
  if (!hasBuildScript(project)) {
    throw new CliError(
      `--watch rebuilds with \`npm run build\`: ${join(project, 'package.json')} has no build script (e.g. "build": "tsc")`,
    );
  }
  const output = outputFolderOf(project, entry);
  const say = (text: string) => io.stderr.write(`fc-kernel serve --watch: ${text}\n`);
  let port = portFromEnvironment(io.env);
  let server: ChildProcess | undefined;
  let building = false;
  let changedMeanwhile = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const build = async (): Promise<boolean> => {
    const child = spawn('npm', ['run', 'build', '--silent'], {
      cwd: project,
      env: io.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    const [code] = (await once(child, 'close')) as [number | null];
    return code === 0;
  };

  const start = () => {
    const child = spawn(process.execPath, [join(__dirname, 'main.js'), 'serve', entry], {
      cwd: project,
      env: { ...io.env, FC_CUSTOM_LISTEN_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Its output until it says where it listens, while port 0 leaves the port to it.
    let head: string | undefined = port === 0 ? '' : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      io.stdout.write(chunk);
      if (head === undefined) return;
      head += chunk.toString('utf8');
      const match = / listening on \S+:(\d+)\n/.exec(head);
      // The next server takes the port this one picked.
      if (match) [port, head] = [Number(match[1]), undefined];
    });
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    server = child;
  };

  const stopServer = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? 0;
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    return code ?? 1;
  };

  const rebuild = async (why: string) => {
    if (building) {
      changedMeanwhile = true;
      return;
    }
    building = true;
    say(`${why}: rebuilding`);
    const built = await build();
    building = false;
    if (stopping) return;
    if (built) {
      await stopServer();
      if (!stopping) start();
      say(`restarted on port ${port}`);
    } else {
      say('the build failed: the server goes on with the code it has');
    }
    if (changedMeanwhile) {
      changedMeanwhile = false;
      void rebuild('changed during the build');
    }
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(project, { recursive: true }, (_event, file) => {
      if (!file || !isSource(file, output)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void rebuild(`${file} changed`), SETTLE_MS);
    });
  } catch (error) {
    throw new CliError(`cannot watch ${project}: ${(error as Error).message}`, { cause: error });
  }

  const stopped = new Promise<number>((resolve) => {
    // A repeated signal (npm forwards one, a terminal signals the whole group) is the same request.
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      watcher.close();
      void stopServer().then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  say('building');
  if (await build()) {
    if (!stopping) start();
  } else {
    say('the build failed: fix it, the server starts once it builds');
  }
  return stopped;
}

function hasBuildScript(project: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      scripts?: { build?: unknown };
    };
    return typeof manifest.scripts?.build === 'string';
  } catch {
    return false;
  }
}

/** The top folder of the entry under the project (`dist` for `dist/src/index.js`): the build writes there. */
function outputFolderOf(project: string, entry: string): string | undefined {
  const path = relative(project, join(project, entry));
  const first = path.split(sep)[0];
  return first && first !== '..' && first !== path ? first : undefined;
}

/** Whether a change of `file` (relative to the project) calls for a rebuild. */
function isSource(file: string, output: string | undefined): boolean {
  const parts = file.split(sep);
  if (parts.some((part) => IGNORED_FOLDERS.has(part)) || parts[0] === output) return false;
  return SOURCE_FILE.test(file);
}
