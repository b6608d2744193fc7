import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './helpers';

/** Every file under `dir` (node_modules and dist left out), by path relative to it, with its text. */
export function projectTree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .filter((path) => !/^(node_modules|dist)\//.test(path))
    .sort();
  return Object.fromEntries(files.map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

/**
 * Gives a generated project this repository's packages instead of an `npm install`: fc-kernel is
 * the repository itself (its dist/, through its "exports"), typescript is the TypeScript 7 the
 * template names, the rest the same packages, so the project and fc-kernel share each peer.
 */
export function linkRepositoryPackages(project: string): void {
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  const repository = join(PROJECT_ROOT, 'node_modules');
  for (const name of readdirSync(repository)) {
    if (name === '.bin' || name === 'typescript' || name.startsWith('.')) continue;
    symlinkSync(join(repository, name), join(modules, name), 'dir');
  }
  symlinkSync(join(repository, 'tsc7'), join(modules, 'typescript'), 'dir');
  symlinkSync(PROJECT_ROOT, join(modules, 'fc-kernel'), 'dir');
}
