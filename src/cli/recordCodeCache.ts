import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { TRAINING_ENV } from './bundleLoader';

/** How long the recording run may take: loading a bundle takes well under a second. */
const RECORDING_TIMEOUT_MS = 60_000;

/**
 * Records V8's code cache of a bundle: runs its `loader` once in a child process, in
 * `environment` with `TRAINING_ENV` set, which loads the bundle (and creates the functions' kernel)
 * without serving, writes the cache and the identity of the Node.js that recorded it (`files`)
 * and exits. The entry's modules run as `fc-kernel serve` would load them; a
 * main module that calls `serve()` itself gets port 0 and the process ends before it answers
 * anything. Run with this Node.js: the bundle's loader uses the cache on this Node.js only.
 *
 * @returns undefined once recorded, else why not (the bundle then compiles at every start).
 */
export function recordCodeCache(
  loader: string,
  files: readonly [cache: string, identity: string],
  environment: NodeJS.ProcessEnv,
): string | undefined {
  for (const file of files) rmSync(file, { force: true });
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    // Neither FC's event (serve() would handle it) nor the builder's credentials.
    Object.entries(environment).filter(([name]) => !/^(FC_|ALIBABA_CLOUD_)/.test(name)),
  );
  env[TRAINING_ENV] = '1';
  env.FC_CUSTOM_LISTEN_PORT = '0';
  const run = spawnSync(process.execPath, [loader], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: RECORDING_TIMEOUT_MS,
  });
  if (run.status === 0 && files.every((file) => existsSync(file))) return undefined;
  const reason = run.error
    ? run.error.message
    : `loading the bundle ended with ${run.signal ?? `exit code ${run.status}`}`;
  const detail = run.stderr.trim();
  return detail === '' ? reason : `${reason}:\n${detail}`;
}
