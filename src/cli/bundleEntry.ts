import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BuildFailure, Message, Metafile } from 'esbuild';
import { bootstrapScript } from './bootstrapScript';
import { loaderSource } from './bundleLoader';
import { checkBundledInputs } from './bundledInputs';
import { CliError } from './CliError';
import { fcKernelSeenFrom } from './loadEntry';
import { loadEsbuild } from './loadEsbuild';
import { narrowImports } from './narrowImports';
import { recordCodeCache } from './recordCodeCache';

/** What `fc-kernel build` writes: a bundle for an image, or one with FC's custom-runtime `bootstrap`. */
export type BundleTarget = 'container' | 'custom-runtime';

/** What `node <dir>/index.js` runs: the loader of the bundle (see `loaderSource`). */
export const LOADER_FILE = 'index.js';
export const BUNDLE_FILE = 'bundle.js';
export const CODE_CACHE_FILE = 'bundle.cache';
/** Which Node.js, with which flags, recorded `CODE_CACHE_FILE`: the loader uses the cache on that one only. */
export const CODE_CACHE_IDENTITY_FILE = 'bundle.cache.json';
export const BOOTSTRAP_FILE = 'bootstrap';

/** fc-kernel's compiled sources, whose dynamic `require`s a bundle never reaches. */
const OWN_DIR = dirname(__dirname) + sep;

/** The Node.js the bundle is written for: fc-kernel's lowest (and FC's custom runtime's). */
const NODE_TARGET = 'node20';

export interface BundleRequest {
  /** The entry module's file. */
  entryFile: string;
  /** The entry as the user named it, for messages. */
  entryName: string;
  /** The directory to write into. */
  outDir: string;
  target: BundleTarget;
  /** Whether to record V8's code cache of the bundle, which loads it once (see `recordCodeCache`). */
  codeCache: boolean;
  /** What the bundle's paths and messages are relative to. */
  cwd: string;
  /** The environment the code cache is recorded in. */
  env: NodeJS.ProcessEnv;
}

/** What was written: the files, and the bundle's bytes by the package they come from. */
export interface BundleReport {
  files: string[];
  bytes: number;
  bytesByPackage: Map<string, number>;
  /** esbuild's warnings about the app's code (fc-kernel's own are known and harmless). */
  warnings: string[];
  /** Why no code cache was recorded, when it was asked for and could not be. */
  codeCacheProblem?: string;
}

/**
 * Bundles the entry (compiled JavaScript: tsc's output, with the decorator metadata it emits)
 * and everything it loads into `outDir/bundle.js`, beside the `index.js` that runs it (`node
 * index.js` serves the entry) with the V8 code cache recorded here; for the custom runtime, with
 * the `bootstrap` that starts it. Class and function
 * names are kept, since the kernel and its messages use them; what the app does not use of
 * class-validator is left out (see `narrowImports`). Nothing is written when bundling fails or
 * the bundle would be unsound (see `checkBundledInputs`).
 *
 * @throws CliError when esbuild is missing, fails, or the bundle would be unsound.
 */
export async function bundleEntry(request: BundleRequest): Promise<BundleReport> {
  const { entryFile, entryName, outDir, target, codeCache, cwd, env } = request;
  const theirs = fcKernelSeenFrom(entryFile);
  const ours = require.resolve('../index');
  if (theirs !== undefined && theirs !== ours) {
    // The bundle starts with this copy's bundleMain: it would not see the entry's functions.
    throw new CliError(
      `${entryName} loads another copy of fc-kernel (${theirs}) than this command's (${ours}); ` +
        "run the project's own CLI (npx fc-kernel build), or install a single copy",
    );
  }
  const esbuild = loadEsbuild([entryFile, __filename]);
  const outfile = join(outDir, BUNDLE_FILE);
  const result = await esbuild
    .build({
      stdin: {
        contents: mainModule(entryFile, entryName),
        resolveDir: dirname(entryFile),
        sourcefile: 'fc-kernel-bundle-main.js',
        loader: 'js',
      },
      absWorkingDir: cwd,
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: NODE_TARGET,
      keepNames: true,
      // A tsconfig's `paths` would lead esbuild to TypeScript sources, whose decorator metadata
      // esbuild does not emit: what is bundled is what tsc wrote.
      tsconfigRaw: {},
      // CommonJS builds first, as Node loads them: fc-kernel's internal modules of tsyringe and
      // class-transformer are then the very ones their public entry points load.
      mainFields: ['main', 'module'],
      plugins: [narrowImports()],
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      write: false,
      logLevel: 'silent',
    })
    .catch((error: unknown) => {
      const errors = (error as Partial<BuildFailure>).errors;
      if (!errors) throw error;
      const advice = errors.some((e) => e.text.startsWith('Top-level await')) ? `\n${TOP_LEVEL_AWAIT_ADVICE}` : '';
      throw new CliError(`bundling ${entryName} failed:\n${errors.map(describeMessage).join('\n')}${advice}`, {
        exitCode: 1,
      });
    });
  checkBundledInputs(inputFiles(result.metafile, cwd));

  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const output of result.outputFiles) {
    writeFileSync(output.path, output.contents);
    files.push(output.path);
  }
  const loader = join(outDir, LOADER_FILE);
  writeFileSync(loader, loaderSource(BUNDLE_FILE, CODE_CACHE_FILE, CODE_CACHE_IDENTITY_FILE));
  files.push(loader);
  // A bundle inside a project of "type": "module" is still the CommonJS esbuild wrote.
  const manifest = join(outDir, 'package.json');
  writeFileSync(manifest, `${JSON.stringify({ private: true, type: 'commonjs' }, null, 2)}\n`);
  files.push(manifest);
  const bootstrap = join(outDir, BOOTSTRAP_FILE);
  if (target === 'custom-runtime') {
    writeFileSync(bootstrap, bootstrapScript(LOADER_FILE));
    chmodSync(bootstrap, 0o755);
    files.push(bootstrap);
  } else {
    // Left from a custom-runtime build into the same directory, it would not match this bundle.
    rmSync(bootstrap, { force: true });
  }
  // Recorded last, on the files as they will run; a stale one would only be rejected, but goes.
  const cacheFiles = [join(outDir, CODE_CACHE_FILE), join(outDir, CODE_CACHE_IDENTITY_FILE)] as const;
  let codeCacheProblem: string | undefined;
  if (codeCache) {
    codeCacheProblem = recordCodeCache(loader, cacheFiles, env);
    if (codeCacheProblem === undefined) files.push(...cacheFiles);
  } else {
    for (const file of cacheFiles) rmSync(file, { force: true });
  }
  const output = result.metafile.outputs[relative(cwd, outfile)];
  return {
    files: files.sort(),
    bytes: output?.bytes ?? 0,
    bytesByPackage: bytesByPackage(output?.inputs ?? {}),
    warnings: result.warnings
      .filter((warning) => !warning.location || !resolve(cwd, warning.location.file).startsWith(OWN_DIR))
      .map(describeMessage),
    codeCacheProblem,
  };
}

/**
 * The bundle's own entry point: fc-kernel's start of a bundle, then the entry, by their paths.
 * fc-kernel loading first also gives the entry's decorators the Reflect metadata API.
 */
function mainModule(entryFile: string, entryName: string): string {
  return [
    "'use strict';",
    `const { startBundledEntry } = require(${JSON.stringify(join(__dirname, 'bundleMain.js'))});`,
    `startBundledEntry(require(${JSON.stringify(entryFile)}), ${JSON.stringify(entryName)});`,
    '',
  ].join('\n');
}

/** The files esbuild read, absolute; not the modules plugins made up, nor the main module. */
function inputFiles(metafile: Metafile, cwd: string): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !/^[\w-]+:/.test(input) && input !== '<stdin>')
    .map((input) => resolve(cwd, input));
}

/** What each package (or the app's own code) adds to the bundle. */
function bytesByPackage(inputs: Record<string, { bytesInOutput: number }>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    if (bytesInOutput === 0) continue;
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/^[\w-]+:/, ''));
    const owner = match ? match[1] : '(app)';
    totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput);
  }
  return new Map([...totals].sort((a, b) => b[1] - a[1]));
}

/** What an ESM main module that awaits at its top level is to change. */
const TOP_LEVEL_AWAIT_ADVICE =
  'fc-kernel build makes a CommonJS bundle (V8 caches its compiled code only for those), where nothing can await at the top level: write void serve(...) in main (serve() needs no await), and move other awaited work into an @OnInitialize() hook';

function describeMessage(message: Message): string {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
    : '';
  return `  ${where}${message.text}`;
}
