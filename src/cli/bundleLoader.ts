/** Set, in the one run of a bundle that `fc-kernel build` makes to record its code cache. */
export const TRAINING_ENV = 'FC_KERNEL_BUNDLE_TRAINING';

/**
 * What the loader puts around the bundle before compiling it: Node's own CommonJS wrapper, so
 * that it runs as a module would. The code cache is of this text.
 */
export const MODULE_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'] as const;

/**
 * The `index.js` of a bundle: runs `bundleFile` (esbuild's output, beside it) the way Node runs a
 * CommonJS module, but through `vm.Script` with V8's code cache of it (`cacheFile`), so that a
 * cold start does not parse and compile again what loading it compiled when it was built (Node
 * 20 has no compile cache of its own). A missing cache, or one this Node.js rejects (another
 * V8), only means compiling as usual.
 *
 * With `TRAINING_ENV` set it records that cache instead: it loads the bundle, which then starts
 * nothing (see `startBundledEntry`), writes the cache and exits.
 */
export function loaderSource(bundleFile: string, cacheFile: string): string {
  return `'use strict';
// Written by fc-kernel build: runs ${bundleFile} with the V8 code cache recorded when it was built.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const file = join(__dirname, ${JSON.stringify(bundleFile)});
const cacheFile = join(__dirname, ${JSON.stringify(cacheFile)});
const training = process.env.${TRAINING_ENV} === '1';
if (process.sourceMapsEnabled && !training) {
  // Node maps stack traces through a module's source map, not through a vm.Script's.
  module.exports = require(file);
} else {
  let cachedData;
  if (!training) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(
    ${JSON.stringify(MODULE_WRAPPER[0])} + readFileSync(file, 'utf8') + ${JSON.stringify(MODULE_WRAPPER[1])},
    {
      filename: file,
      cachedData,
      importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier) => import(specifier)),
    },
  );
  script.runInThisContext().call(module.exports, module.exports, require, module, file, __dirname);
  if (training) {
    writeFileSync(cacheFile, script.createCachedData());
    process.exit(0);
  }
}
`;
}
