import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';

/** The repository root, from `dist/test/package/`. */
export const PROJECT_ROOT = resolve(__dirname, '../../..');

/** The repository's TypeScript 7 compiler. */
export const TSC = join(PROJECT_ROOT, 'node_modules/tsc7/bin/tsc');

interface PackageJson {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bin: Record<string, string>;
}

/** The repository's package.json. */
export function repositoryPackage(): PackageJson {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as PackageJson;
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting its output. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Runs a command and fails with its output unless it exits 0. */
export async function runOk(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> {
  const ran = await run(command, args, cwd, env);
  if (ran.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${ran.code} in ${cwd}\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran;
}

/** What is never in a fresh clone. */
const NOT_IN_A_CLONE = new Set(['node_modules', 'dist', '.git', 'coverage', '.nyc_output']);

export interface Packed {
  /** The tarball's absolute path. */
  tarball: string;
  /** The paths it holds, relative to the package root. */
  files: string[];
  /** Those of them that are executable. */
  executables: string[];
}

/**
 * Packs the repository as a fresh clone would be packed: a copy without `dist/` (nor
 * `node_modules`, `.git`), which borrows the repository's `node_modules` for its build, so that
 * `npm pack` must build first. Packing the repository in place would rebuild the `dist/` the
 * running tests load from.
 */
export async function packFreshClone(workDir: string): Promise<Packed> {
  const clone = join(workDir, 'clone');
  cpSync(PROJECT_ROOT, clone, {
    recursive: true,
    filter: (source) =>
      !relative(PROJECT_ROOT, source)
        .split(sep)
        .some((part) => NOT_IN_A_CLONE.has(part)),
  });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const { stdout } = await runOk('npm', ['pack', '--json', '--pack-destination', workDir], clone);
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    files: { path: string; mode: number }[];
  }[];
  return {
    tarball: join(workDir, basename(result!.filename)),
    files: result!.files.map((f) => f.path),
    executables: result!.files.filter((f) => (f.mode & 0o111) !== 0).map((f) => f.path),
  };
}

/**
 * Makes a project in `dir` that depends on the tarball and on fc-kernel's peers but redis (at the
 * versions the repository tests with), as the README tells a user to install them, and installs it.
 */
export async function installApp(dir: string, tarball: string, extra: Record<string, string> = {}): Promise<void> {
  const repo = repositoryPackage();
  // redis is for RedisIdempotencyStore alone: an app installs it when it uses one.
  const peers = Object.fromEntries(
    Object.keys(repo.peerDependencies)
      .filter((name) => name !== 'redis')
      .map((name) => [name, repo.devDependencies[name]!]),
  );
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: 'fc-kernel-app',
    version: '1.0.0',
    private: true,
    dependencies: { [repo.name]: `file:${tarball}`, ...peers, ...extra },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  // The registry is asked only for what the npm cache lacks.
  await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
}
