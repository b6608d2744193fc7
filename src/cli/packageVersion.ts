import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version of the fc-kernel package this CLI belongs to. */
export function packageVersion(): string {
  // dist/src/cli/ in this repository and in an installed package alike.
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
