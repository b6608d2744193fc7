import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { KernelRequest } from '../../src';

/** The repository root, from `dist/test/samples/`. */
export const PROJECT_ROOT = resolve(__dirname, '../../..');

/** The headers FC sends with `POST /invoke` to the `create-order` function. */
export function invokeHeaders(requestId: string): Record<string, string> {
  return {
    'content-type': 'application/octet-stream',
    'x-fc-request-id': requestId,
    'x-fc-function-name': 'create-order',
    'x-fc-function-timeout': '10',
    'x-fc-function-memory': '512',
    'x-fc-region': 'cn-hangzhou',
    'x-fc-account-id': '1234567890',
    'x-fc-qualifier': 'LATEST',
  };
}

/** An `/invoke` request carrying `event` as JSON bytes, as FC sends it. */
export function invokeRequest(event: unknown, requestId = 'test-request'): KernelRequest {
  return {
    method: 'POST',
    path: '/invoke',
    headers: invokeHeaders(requestId),
    body: Buffer.from(JSON.stringify(event), 'utf8'),
  };
}

/** A sample's compiled entry point running as its own process, as `npm start` or a container runs it. */
export interface SampleProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `dist/<entry>` with `args`, and `env` added to this process's environment. */
export function startSample(entry: string, env: Record<string, string>, args: string[] = []): SampleProcess {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'dist', entry), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the sample's `listening on 0.0.0.0:<port>` line and answers the port. */
export async function listeningPort(sample: SampleProcess): Promise<number> {
  const pattern = /listening on 0\.0\.0\.0:(\d+)/;
  for (;;) {
    const match = pattern.exec(sample.stdout());
    if (match) return Number(match[1]);
    const stopped = await Promise.race([
      sample.exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 20)),
    ]);
    if (stopped) throw new Error(`the sample exited before listening:\n${sample.stdout()}\n${sample.stderr()}`);
  }
}

/** Kills the process if a failed test left it running. */
export function stopSample(sample: SampleProcess | undefined): void {
  if (sample && sample.child.exitCode === null && sample.child.signalCode === null) sample.child.kill('SIGKILL');
}
