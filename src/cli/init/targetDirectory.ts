import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { CliError } from '../CliError';

/**
 * Makes sure `dir` can take a new project: creates it (with its parents) when it does not exist,
 * accepts it when it is an empty directory.
 *
 * @throws CliError (exit 2) when `dir` is a file or a directory that holds anything: init never
 * writes over a user's files.
 */
export function prepareTargetDirectory(dir: string, shown: string): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new CliError(`${shown} exists and is not a directory`);
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (entries.length > 0) {
    const listed = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new CliError(
      `${shown} is not empty (it holds ${listed}): init writes a new project into an empty or a new directory`,
    );
  }
}
