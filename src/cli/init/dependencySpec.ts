import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { usageError } from '../CliError';

/**
 * The spec of the project's fc-kernel dependency: `^version` by default, else `--dependency` as
 * npm reads it. A local path (`file:…`, `./…`, `../…`, `/…`) is a path on the command line, so it
 * is read from `cwd`, checked, and written relative to the new project, where npm resolves it.
 *
 * @throws CliError (exit 2) for an empty spec, or a local path that does not exist.
 */
export function fcKernelDependency(
  requested: string | undefined,
  version: string,
  cwd: string,
  projectDir: string,
): string {
  if (requested === undefined) return `^${version}`;
  const spec = requested.trim();
  if (spec === '') throw usageError('--dependency needs an npm spec, e.g. ^0.1.0 or file:../fc-kernel-0.1.0.tgz');
  const path = spec.startsWith('file:') ? spec.slice('file:'.length) : /^\.{0,2}\//.test(spec) ? spec : undefined;
  if (path === undefined) return spec;
  const target = resolve(cwd, path);
  if (!existsSync(target)) {
    throw usageError(
      `--dependency ${spec}: there is no ${target} (a relative path is read from the current directory)`,
    );
  }
  const fromProject = relative(projectDir, target).split('\\').join('/');
  return `file:${isAbsolute(path) ? target : fromProject}`;
}
