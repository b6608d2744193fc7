import { extname, sep } from 'node:path';
import { PEER_PACKAGES, packageOfFile } from '../dependencies/installedPackage';
import { findDuplicateCopies } from '../dependencies/loadedCopies';
import { CliError } from './CliError';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
/** The directories packages keep one build of themselves in (`cjs/`, `esm2015/`, `dist/esm5/`). */
const BUILD_DIR = /^(?:cjs|commonjs|esm\d*|es\d{4}|umd|bundles?)$/;
const PEERS: ReadonlySet<string> = new Set(PEER_PACKAGES);

/**
 * Refuses, before anything is written, a bundle that would not run as the entry runs unbundled.
 * In a bundle the boot check of loaded copies (which reads `require.cache`) sees one file, so
 * what it guards is checked here, on the files esbuild read:
 * - no TypeScript source: esbuild would compile it without the decorator metadata tsc emits;
 * - one copy of each of fc-kernel's peer libraries, and one build of it (its CommonJS and its ES
 *   module build side by side are two copies too, each with its own state).
 *
 * @throws CliError naming the files at fault.
 */
export function checkBundledInputs(files: readonly string[]): void {
  const sources = files.filter((file) => TYPESCRIPT.has(extname(file)) && !file.endsWith('.d.ts'));
  if (sources.length > 0) {
    throw new CliError(
      `the bundle would compile TypeScript source (${sources.join(', ')}), without the decorator metadata ` +
        'tsc emits: bundle the compiled JavaScript (run tsc first, and give its output as the entry)',
    );
  }
  const [duplicate] = findDuplicateCopies(files);
  if (duplicate) {
    throw new CliError(
      `the bundle would hold two copies of ${duplicate.name} (${duplicate.dirs.join(' and ')}), which do not share ` +
        `state; install it once (\`npm ls ${duplicate.name}\` shows every copy)`,
    );
  }
  for (const [name, builds] of buildsOfPeers(files)) {
    if (builds.size > 1) {
      throw new CliError(
        `the bundle would hold two builds of ${name} (${[...builds].map((b) => b || 'its root').join(' and ')}), ` +
          `which do not share state: import ${name} by its name, not a path inside one of its builds`,
      );
    }
  }
}

/** For each peer library, the builds of it (`cjs`, `esm2015`, ...) that the files come from. */
function buildsOfPeers(files: readonly string[]): Map<string, Set<string>> {
  const builds = new Map<string, Set<string>>();
  for (const file of files) {
    const owner = packageOfFile(file);
    if (!owner || !PEERS.has(owner.name)) continue;
    const segments = file.slice(owner.dir.length + 1).split(sep);
    const at = segments.findIndex((segment) => BUILD_DIR.test(segment));
    const build = at === -1 ? '' : segments.slice(0, at + 1).join('/');
    let set = builds.get(owner.name);
    if (!set) builds.set(owner.name, (set = new Set()));
    set.add(build);
  }
  return builds;
}
