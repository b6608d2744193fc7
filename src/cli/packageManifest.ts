import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The root of the fc-kernel package this CLI belongs to: the CLI runs from `dist/src/cli/`, in
 * this repository and in an installed package alike.
 */
export const PACKAGE_ROOT = join(__dirname, '../../..');

/** What the CLI reads of fc-kernel's own package.json. */
export interface PackageManifest {
  name: string;
  version: string;
  engines?: { node?: string };
  /** The libraries an app shares with fc-kernel, at the ranges fc-kernel is tested with. */
  peerDependencies: Record<string, string>;
  /** Which peers are optional: tools such as esbuild, which only some commands load. */
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  /** The tools fc-kernel's own tests run with, at the versions they are pinned to. */
  devDependencies: Record<string, string>;
}

/** fc-kernel's package.json, as installed beside this CLI. */
export function packageManifest(): PackageManifest {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageManifest;
}

/** The version of the fc-kernel package this CLI belongs to. */
export function packageVersion(): string {
  return packageManifest().version;
}
