import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OnResolveArgs, Plugin, PluginBuild } from 'esbuild';
import { requiredMembers } from './requiredMembers';

/**
 * The packages whose imports are narrowed to what each importer reads. class-validator's
 * CommonJS index loads every one of its validators, and with them validator.js and
 * libphonenumber-js (for `@IsPhoneNumber` alone), whichever the app uses.
 */
export const NARROWED_PACKAGES: readonly string[] = ['class-validator'];

const NAMESPACE = 'fc-kernel-narrowed';

/** A package's ES module build: its entry file and the names it exports. */
interface EsmBuild {
  file: string;
  exports: ReadonlySet<string>;
}

interface Manifest {
  es2015?: string;
  module?: string;
}

/**
 * An esbuild plugin that lets esbuild leave out what the app does not use of `packages`, which
 * it cannot do through `require`: a required module is kept whole. Each CommonJS importer (tsc's
 * output) gets a module of its own that re-exports, from the package's ES module build, only the
 * names it reads; esbuild then drops the rest of that build, the package being free of side
 * effects. All of them re-export from the one ES module build, so the app still has a single
 * copy of the package. An importer that uses the package in a way that cannot be read (passes it
 * on, enumerates it) gets the whole ES module build; an ES module importer gets it too, and
 * esbuild narrows it itself.
 */
export function narrowImports(packages: readonly string[] = NARROWED_PACKAGES): Plugin {
  return {
    name: 'fc-kernel-narrow-imports',
    setup(build) {
      const builds = new Map<string, Promise<EsmBuild | undefined>>();
      const filter = new RegExp(`^(?:${packages.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
      build.onResolve({ filter }, async (args) => {
        const manifest = await manifestOf(build, args);
        if (manifest === undefined) return undefined;
        let esm = builds.get(manifest);
        if (!esm) builds.set(manifest, (esm = esmBuildOf(manifest)));
        const found = await esm;
        if (!found) return undefined;
        if (args.kind !== 'require-call' || args.namespace !== 'file') return { path: found.file };
        const members = requiredMembers(await readFile(args.importer, 'utf8'), args.path);
        if (!members) return { path: found.file };
        const names = [...members].filter((name) => found.exports.has(name)).sort();
        return {
          path: `${found.file}?${names.join(',')}`,
          namespace: NAMESPACE,
          pluginData: { file: found.file, names },
        };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const { file, names } = args.pluginData as { file: string; names: string[] };
        return {
          contents:
            names.length > 0 ? `export { ${names.join(', ')} } from ${JSON.stringify(file)};\n` : 'export {};\n',
          resolveDir: dirname(file),
          loader: 'js',
        };
      });
    },
  };
}

/** The package.json of the package `args.path` names, as esbuild resolves it from the importer. */
async function manifestOf(build: PluginBuild, args: OnResolveArgs): Promise<string | undefined> {
  const resolved = await build.resolve(`${args.path}/package.json`, {
    kind: 'require-call',
    resolveDir: args.resolveDir,
    importer: args.importer,
  });
  return resolved.errors.length === 0 && resolved.path !== '' ? resolved.path : undefined;
}

/**
 * The package's ES module build (its `es2015` entry, else `module`) and the names it exports,
 * read off its CommonJS build, which has the same. Undefined when it has none: the package is
 * then bundled as it is.
 */
async function esmBuildOf(manifestFile: string): Promise<EsmBuild | undefined> {
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
  const entry = manifest.es2015 ?? manifest.module;
  if (entry === undefined) return undefined;
  const dir = dirname(manifestFile);
  try {
    const exported = createRequire(manifestFile)(dir) as object;
    return { file: join(dir, entry), exports: new Set(Object.keys(exported)) };
  } catch {
    return undefined;
  }
}
