/** Set, in the one run of a bundle that `fc-kernel build` makes to record its code cache. */
export const TRAINING_ENV = 'FC_KERNEL_BUNDLE_TRAINING';

/**
 * What the loader puts around the bundle before compiling it: Node's own CommonJS wrapper, so
 * that it runs as a module would. The code cache is of this text.
 */
export const MODULE_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'] as const;

/** The `NODE_DEBUG` section under which the loader says whether it used the code cache. */
export const LOADER_DEBUG_SECTION = 'fc-kernel';

/**
 * The `index.js` of a bundle: runs `bundleFile` (esbuild's output, beside it) the way Node runs a
 * CommonJS module, but through `vm.Script` with V8's code cache of it (`cacheFile`), so that a
 * cold start does not parse and compile again what loading it compiled when it was built (Node
 * 20 has no compile cache of its own). A missing cache only means compiling as usual.
 *
 * The cache is handed to V8 only when `identityFile`, written beside it as it was recorded, names
 * this very Node.js: its versions, build configuration, platform and flags (command line and
 * `NODE_OPTIONS`). V8 checks its own version but not Node.js's patches to it: another Node.js 20
 * build accepts the cache and crashes on it. `NODE_DEBUG=fc-kernel` says what the loader decided.
 *
 * With `TRAINING_ENV` set it records that cache instead: it loads the bundle, which then starts
 * nothing (see `startBundledEntry`), writes the cache and its identity and exits.
 */
export function loaderSource(bundleFile: string, cacheFile: string, identityFile: string): string {
  return `'use strict';
// Written by fc-kernel build: runs ${bundleFile} with the V8 code cache recorded when it was built,
// if this is the Node.js (and flags) that recorded it; NODE_DEBUG=${LOADER_DEBUG_SECTION} says whether it was used.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const debug = require('node:util').debuglog(${JSON.stringify(LOADER_DEBUG_SECTION)});
const file = join(__dirname, ${JSON.stringify(bundleFile)});
const cacheFile = join(__dirname, ${JSON.stringify(cacheFile)});
const identityFile = join(__dirname, ${JSON.stringify(identityFile)});
const training = process.env.${TRAINING_ENV} === '1';
if (process.sourceMapsEnabled && !training) {
  // Node maps stack traces through a module's source map, not through a vm.Script's.
  debug('code cache not used: source maps are enabled');
  module.exports = require(file);
} else {
  // What V8's code cache depends on: the binary (its versions and build) and the flags it runs with.
  const identity = JSON.stringify({
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    versions: process.versions,
    config: process.config,
    flags: { execArgv: process.execArgv, NODE_OPTIONS: process.env.NODE_OPTIONS ?? '' },
  });
  let cachedData;
  if (!training) {
    let recordedBy;
    try {
      recordedBy = readFileSync(identityFile, 'utf8');
    } catch {
      recordedBy = undefined;
    }
    if (recordedBy === identity) {
      try {
        cachedData = readFileSync(cacheFile);
      } catch {
        cachedData = undefined;
      }
    }
    if (cachedData === undefined && debug.enabled) debug('code cache not used: %s', whyNot(recordedBy));
  }
  const script = new vm.Script(
    ${JSON.stringify(MODULE_WRAPPER[0])} + readFileSync(file, 'utf8') + ${JSON.stringify(MODULE_WRAPPER[1])},
    {
      filename: file,
      cachedData,
      importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier) => import(specifier)),
    },
  );
  if (cachedData !== undefined) debug(script.cachedDataRejected ? 'code cache rejected by V8' : 'code cache used');
  script.runInThisContext().call(module.exports, module.exports, require, module, file, __dirname);
  if (training) {
    writeFileSync(cacheFile, script.createCachedData());
    writeFileSync(identityFile, identity);
    process.exit(0);
  }

  function whyNot(recordedBy) {
    if (recordedBy === undefined) return 'none was recorded';
    let recorded;
    try {
      recorded = JSON.parse(recordedBy);
    } catch {
      return identityFile + ' is not what fc-kernel build writes';
    }
    const own = JSON.parse(identity);
    const running = 'this is ' + own.node + ' on ' + own.platform + '-' + own.arch;
    if (recorded.node !== own.node || recorded.platform !== own.platform || recorded.arch !== own.arch) {
      return 'recorded by Node.js ' + recorded.node + ' on ' + recorded.platform + '-' + recorded.arch + ', ' + running;
    }
    if (JSON.stringify(recorded.flags) !== JSON.stringify(own.flags)) {
      return 'recorded with other flags (' + JSON.stringify(recorded.flags) + '), this runs with ' + JSON.stringify(own.flags);
    }
    if (recordedBy === identity) return 'its file cannot be read';
    return 'recorded by another build of Node.js ' + recorded.node;
  }
}
`;
}
