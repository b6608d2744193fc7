import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { ConfigurationError } from '../errors/ConfigurationError';

/** The libraries fc-kernel builds on and shares with the functions it runs. */
export const PEER_PACKAGES = ['reflect-metadata', 'tsyringe', 'class-validator', 'class-transformer'] as const;
export type PeerPackage = (typeof PEER_PACKAGES)[number];

const NODE_MODULES = `${sep}node_modules${sep}`;

/**
 * The installed package a file belongs to, read from its path: the directory right after the last
 * `node_modules`. Undefined for a file outside any `node_modules` (the app's own code).
 */
export function packageOfFile(file: string): { name: string; dir: string } | undefined {
  const at = file.lastIndexOf(NODE_MODULES);
  if (at === -1) return undefined;
  const start = at + NODE_MODULES.length;
  const parts = file.slice(start).split(sep);
  const nameParts = parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1);
  if (nameParts.length === 0 || nameParts.some((p) => p === '')) return undefined;
  return { name: nameParts.join('/'), dir: file.slice(0, start) + nameParts.join(sep) };
}

/** The directory of the copy of `name` that fc-kernel's own `import`s load. */
export function resolvedPackageDir(name: string): string | undefined {
  try {
    const entry = require.resolve(name);
    return packageOfFile(entry)?.dir ?? dirname(entry);
  } catch {
    return undefined;
  }
}

/** The `version` in `dir`'s package.json, or `unknown`. */
export function versionAt(dir: string | undefined): string {
  if (dir === undefined) return 'unknown';
  return readManifest(join(dir, 'package.json'))?.version ?? 'unknown';
}

/** The range of `name` fc-kernel declares (and is tested against), from its own package.json. */
export function testedRange(name: string): string {
  const manifest = ownManifest();
  return (
    manifest?.peerDependencies?.[name] ??
    manifest?.dependencies?.[name] ??
    manifest?.devDependencies?.[name] ??
    "(see fc-kernel's package.json)"
  );
}

/**
 * The error for a dependency fc-kernel cannot work with: names the copy found (where, which
 * version) and the range fc-kernel is tested against.
 */
export function incompatibleDependency(name: PeerPackage, problem: string, cause?: unknown): ConfigurationError {
  const dir = resolvedPackageDir(name);
  return new ConfigurationError(
    'INCOMPATIBLE_DEPENDENCY',
    `fc-kernel cannot use ${name} ${versionAt(dir)} (${dir ?? 'not found'}): ${problem}. ` +
      `fc-kernel is tested with ${name} ${testedRange(name)}; install a version in that range ` +
      `(\`npm ls ${name}\` shows the copies installed)`,
    {},
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Loads a module of `name` that is not on its public entry point with `load`, a `require` of the
 * literal path `${name}/${subpath}`: literal, so that a bundler follows it and inlines the very
 * module the public entry point loads. A missing one is an incompatible version, reported as such
 * instead of as a crash while fc-kernel loads.
 */
export function requireInternal(name: PeerPackage, subpath: string, load: () => unknown): unknown {
  try {
    return load();
  } catch (error) {
    throw incompatibleDependency(name, `its internal module ${name}/${subpath} cannot be loaded`, error);
  }
}

interface Manifest {
  name?: string;
  version?: string;
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** fc-kernel's package.json: the nearest one above this file that is named fc-kernel. */
function ownManifest(): Manifest | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === 'fc-kernel') return manifest;
    if (dirname(dir) === dir) return undefined;
  }
}
