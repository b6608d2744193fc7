import { spawn } from 'node:child_process';
import { collectOutput, type CollectedProcess } from '../helpers/collectedProcess';
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
export type SampleProcess = CollectedProcess;

/** Starts `dist/<entry>` with `args`, and `env` added to this process's environment. */
export function startSample(entry: string, env: Record<string, string>, args: string[] = []): SampleProcess {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'dist', entry), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collectOutput(child);
}

/** Waits for the sample's `listening on <host>:<port>` line and answers the port. */
export async function listeningPort(sample: SampleProcess, host = '0.0.0.0'): Promise<number> {
  const pattern = new RegExp(`listening on ${host.replaceAll('.', '\\.')}:(\\d+)`);
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
