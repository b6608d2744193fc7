import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { ConfigurationError, metadataStore, type Constructor } from '../index';
import { CliError, usageError } from './CliError';
import { LEGACY_DECORATOR_FLAGS } from '../decorators/standardDecorators';
import { describeError } from './describeError';
import { PACKAGE_ROOT } from './packageManifest';

/** A loaded entry: the module and the functions it exports. */
export interface LoadedEntry {
  /** The entry as the user wrote it, for messages. */
  readonly name: string;
  /** The module file that was loaded. */
  readonly file: string;
  /** Its `@FcFunction` classes, each once, in the order of its exports. */
  readonly functions: Constructor[];
}

const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Loads an entry: a compiled module whose exports include `@FcFunction` classes, as named exports
 * or as a default array (`module.exports` may also be the class or the array). Other exports are
 * ignored, but a default array holds functions only. Loading must start nothing: a `main.js` that
 * calls `serve()` is not an entry.
 *
 * @throws CliError (exit 2) when the entry cannot be found or loaded, or exports no function.
 */
export function loadEntry(entry: string, cwd: string): LoadedEntry {
  const file = resolveEntry(entry, cwd);
  let exports: unknown;
  try {
    // The entry is a path known only at run time, loaded as Node loads any module: no import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exports = require(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'ERR_REQUIRE_ASYNC_MODULE') {
      throw new CliError(
        `${entry} (or a module it imports) awaits at its top level, so it cannot be loaded with require(), as fc-kernel loads entries: an entry only declares functions; move the awaited work into an @OnInitialize() hook`,
        { cause: error },
      );
    }
    const advice = compiledAsStandardDecorators(file, error)
      ? `\nIts code was compiled with standard (TC39) decorators, which fc-kernel, tsyringe and class-validator do not take: ${LEGACY_DECORATOR_FLAGS}.`
      : '';
    throw new CliError(`loading the entry ${entry} failed: ${describeError(error)}${advice}`, { cause: error });
  }
  const functions = functionsOf(exports, entry);
  if (functions.length === 0) throw new CliError(noFunctionMessage(entry, file, exports));
  return { name: entry, file, functions };
}

/** fc-kernel's own compiled code (this CLI among it): not the user's. */
const FC_KERNEL_CODE = join(PACKAGE_ROOT, 'dist', 'src') + sep;

/** tsc's helper for standard decorators, in every module it compiled with them. */
const STANDARD_DECORATOR_HELPER = '__esDecorate(';

/**
 * Whether the entry, or a module of the project where loading it failed, was compiled with
 * standard decorators: their first legacy decorator (a class-validator one, say) then throws a
 * `TypeError` that says nothing of the cause.
 */
function compiledAsStandardDecorators(entryFile: string, error: unknown): boolean {
  if (error instanceof ConfigurationError) return false;
  const stack = error instanceof Error ? String(error.stack) : '';
  const files = new Set([entryFile]);
  for (const match of stack.matchAll(/\(?(\/[^():\s]+\.[cm]?js):\d+:\d+/g)) {
    const frame = match[1];
    if (!frame.includes('/node_modules/') && !frame.startsWith(FC_KERNEL_CODE)) files.add(frame);
  }
  for (const file of files) {
    try {
      if (readFileSync(file, 'utf8').includes(STANDARD_DECORATOR_HELPER)) return true;
    } catch {
      // A frame of a file that is gone: nothing to read.
    }
  }
  return false;
}

/**
 * A kernel's boot failure as the CLI reports it: a `ConfigurationError` is the entry's mistake
 * (exit 2, with its code and where it is); anything else is rethrown as is.
 */
export function entryBootError(entry: LoadedEntry, error: unknown): unknown {
  return error instanceof ConfigurationError
    ? new CliError(`the functions of ${entry.name} are misconfigured: ${describeError(error)}`, { cause: error })
    : error;
}

/**
 * The file of an entry given on the command line, relative to `cwd`.
 *
 * @throws CliError (exit 2) for TypeScript source, or when no module is there.
 */
export function resolveEntry(entry: string, cwd: string): string {
  const path = resolve(cwd, entry);
  if (SOURCE_EXTENSIONS.has(extname(path))) {
    throw usageError(
      `${entry} is TypeScript source: an entry is the compiled module (build first, then pass e.g. dist/src/index.js)`,
    );
  }
  try {
    return require.resolve(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new CliError(`cannot find the entry ${entry} (no module at ${path})`);
  }
}

function isFunctionClass(value: unknown): value is Constructor {
  return typeof value === 'function' && metadataStore.functionOf(value as Constructor) !== undefined;
}

/**
 * The `@FcFunction` classes among a loaded entry's exports, each once, in the order of its
 * exports (see `loadEntry`); empty when it exports none.
 *
 * @throws CliError when its default export is an array holding anything but functions.
 */
export function functionsOf(exports: unknown, entry: string): Constructor[] {
  const found = new Set<Constructor>();
  const addList = (list: unknown[]) => {
    list.forEach((item, index) => {
      if (!isFunctionClass(item)) {
        throw new CliError(
          `the default export of ${entry} lists functions, but item ${index} (${describeValue(item)}) is not an @FcFunction class`,
        );
      }
      found.add(item);
    });
  };
  if (Array.isArray(exports)) addList(exports);
  else if (isFunctionClass(exports)) found.add(exports);
  else if (exports !== null && typeof exports === 'object') {
    const record = exports as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== 'default' && isFunctionClass(record[key])) found.add(record[key]);
    }
    const fallback = record.default;
    if (Array.isArray(fallback)) addList(fallback);
    else if (isFunctionClass(fallback)) found.add(fallback);
  }
  return [...found];
}

function noFunctionMessage(entry: string, file: string, exports: unknown): string {
  const names = exports !== null && typeof exports === 'object' ? Object.keys(exports) : [];
  const lines = [
    `${entry} exports no @FcFunction class (its exports: ${names.length > 0 ? names.join(', ') : 'none'}).`,
    'An entry exports its functions, as named exports or a default array, and starts nothing when loaded;',
    'a main.js that calls serve() is not an entry.',
  ];
  const theirs = fcKernelSeenFrom(file);
  const ours = require.resolve('../index');
  if (theirs !== undefined && theirs !== ours) {
    // Each copy keeps its own records of decorated classes: this CLI cannot see the entry's.
    lines.push(
      `The entry loads another copy of fc-kernel (${theirs}) than this command's (${ours});`,
      "run the project's own CLI (npx fc-kernel), or install a single copy.",
    );
  }
  return lines.join('\n');
}

/** The fc-kernel the entry's own `require('fc-kernel')` loads, if it can load one. */
export function fcKernelSeenFrom(file: string): string | undefined {
  try {
    return createRequire(file).resolve('fc-kernel');
  } catch {
    return undefined;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return value.name ? `class ${value.name}` : 'an anonymous function';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects are answered above
  return typeof value === 'object' ? 'an object' : String(value);
}
