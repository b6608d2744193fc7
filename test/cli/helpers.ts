import { spawn } from 'node:child_process';
import { collectOutput, type CollectedProcess } from '../helpers/collectedProcess';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/runCli';
import type { CliIo, OutputStream } from '../../src/cli/CliIo';

/** The repository root, from `dist/test/cli/`. */
export const PROJECT_ROOT = resolve(__dirname, '../../..');
/** The compiled CLI, as the package's `bin` runs it. */
export const CLI_MAIN = join(PROJECT_ROOT, 'dist/src/cli/main.js');
/** The order sample's entry and its valid event, relative to the repository root. */
export const ORDER_ENTRY = 'dist/samples/order-service/index.js';
export const ORDER_EVENT = 'samples/order-service/event.json';
export const ORDER_ACCEPTED = { orderId: 'A-1001', itemCount: 4, total: 60.07, status: 'ACCEPTED' };

/** A compiled fixture entry of `test/cli/fixtures/`, relative to the repository root. */
export function fixture(name: string): string {
  return `dist/test/cli/fixtures/${name}.js`;
}

/** What a run of the CLI printed and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

class Collector implements OutputStream {
  readonly chunks: Buffer[] = [];
  constructor(readonly isTTY = false) {}
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** What `--event -` reads. */
  stdin?: string | Buffer;
  answerGraceMs?: number;
  /** Whether stdout claims to be a terminal. */
  tty?: boolean;
  /** The working directory (default: the repository root). */
  cwd?: string;
}

/** Runs `fc-kernel <argv>` in this process, from the repository root unless told, with a clean environment. */
export async function cli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  const stdout = new Collector(options.tty);
  const stderr = new Collector();
  const io: Partial<CliIo> = {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    cwd: options.cwd ?? PROJECT_ROOT,
    answerGraceMs: options.answerGraceMs,
  };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.bytes.toString('utf8'), stdoutBytes: stdout.bytes, stderr: stderr.bytes.toString() };
}

/** The parent's environment without FC's variables and credentials, plus `env`. */
export function cleanEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(FC_|ALIBABA_CLOUD_)/.test(name)),
  ) as NodeJS.ProcessEnv;
  return { ...base, ...env };
}

/** A running `node dist/src/cli/main.js <argv>` (or another process), its output collected. */
export type CliProcess = CollectedProcess;

const running = new Set<CliProcess>();

/** Starts the compiled CLI as its own process, from the repository root. */
export function startCli(argv: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): CliProcess {
  return startProcess(process.execPath, [CLI_MAIN, ...argv], options);
}

/**
 * Starts `command` with `args` (from the repository root unless `cwd` says otherwise) in the
 * parent's environment cleaned of FC's variables, plus `env`; its output collected.
 */
export function startProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {},
): CliProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.end(options.stdin ?? '');
  const process_ = collectOutput(child);
  running.add(process_);
  void process_.exited.then(() => running.delete(process_));
  return process_;
}

/** Runs the compiled CLI to its end. */
export async function spawnCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(argv, options);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Waits for the `<functions> listening on <address>:<port>` line of `fc-kernel serve` (or a sample). */
export async function servingPort(run: CliProcess): Promise<{ address: string; port: number }> {
  const pattern = / listening on (\S+):(\d+)\n/;
  for (;;) {
    const match = pattern.exec(run.stdout());
    if (match) return { address: match[1]!, port: Number(match[2]) };
    const ended = await Promise.race([
      run.exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 20)),
    ]);
    if (ended) throw new Error(`the server exited before listening:\n${run.stdout()}\n${run.stderr()}`);
  }
}

/** Kills (by pid) every CLI process a test left running, and waits for it: for `afterEach`. */
export async function stopClis(): Promise<void> {
  await Promise.all(
    [...running].map(async (run) => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      await run.exited;
    }),
  );
}
