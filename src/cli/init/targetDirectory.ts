import { lstatSync, mkdirSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { CliError } from '../CliError';
import { fileErrorReason } from '../fileErrorReason';

/**
 * Makes sure `dir` can take a new project: creates it (with its parents) when it does not exist,
 * accepts it when it is an empty directory.
 *
 * @throws CliError (exit 2) when `dir` is a file, a directory that holds anything (init never
 * writes over a user's files), a symbolic link to nothing, or cannot be created: each said in a
 * sentence that names the path at fault.
 */
export function prepareTargetDirectory(dir: string, shown: string): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new CliError(`${shown} exists and is not a directory`);
    entries = readdirSync(dir);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw cannot('read', dir, shown, error);
    createDirectory(dir, shown);
    return;
  }
  if (entries.length > 0) {
    const listed = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new CliError(
      `${shown} is not empty (it holds ${listed}): init writes a new project into an empty or a new directory`,
    );
  }
}

/** Creates `dir` and its parents, or says in a sentence why it cannot be. */
function createDirectory(dir: string, shown: string): void {
  const link = linkTarget(dir);
  if (link !== undefined) {
    // mkdir does not follow a link: the project would have nowhere to go.
    throw new CliError(
      `${shown} is a symbolic link to ${link}, which does not exist: create that directory, or give another path`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const file = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? fileOnTheWay(dir) : undefined;
    if (file !== undefined) {
      throw new CliError(`cannot create ${shown}: ${shownAs(file, dir, shown)} is a file, not a directory`, {
        cause: error,
      });
    }
    throw cannot('create', dir, shown, error);
  }
}

/** Where `path` points when it is a symbolic link; undefined when it is none or cannot be read. */
function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest ancestor of `dir` that exists and is not a directory. */
function fileOnTheWay(dir: string): string | undefined {
  for (let path = dirname(dir); path !== dirname(path); path = dirname(path)) {
    try {
      if (!statSync(path).isDirectory()) return path;
    } catch {
      // Not there (or not reachable): look further up.
    }
  }
  return undefined;
}

/** `path`, an ancestor of `dir`, written as the user wrote `dir` (relative to where they are). */
function shownAs(path: string, dir: string, shown: string): string {
  const up = relative(path, dir);
  return shown.endsWith(up) ? shown.slice(0, shown.length - up.length).replace(/\/+$/, '') || path : path;
}

function cannot(what: 'read' | 'create', dir: string, shown: string, error: unknown): CliError {
  return new CliError(`cannot ${what} ${shown}: ${fileErrorReason(error as NodeJS.ErrnoException)}`, {
    cause: error,
  });
}
