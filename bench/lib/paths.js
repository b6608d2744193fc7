'use strict';

const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const BENCH_DIST = path.join(ROOT, 'bench', 'dist');

function existing(file, fix) {
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: ${fix}`);
  return file;
}

/** A compiled file of the repository's build under `dist/`; fails with the fix when missing. */
function dist(...segments) {
  return existing(path.join(DIST, ...segments), 'run `npm run build` at the repository root first');
}

/** A compiled contender file under `bench/dist/`; fails with the fix when missing. */
function benchDist(...segments) {
  return existing(
    path.join(BENCH_DIST, ...segments),
    'run `npm run bench` at the repository root, or `npm run build` in bench/',
  );
}

/** Whether the repository's build holds this file (for parts another change may not have yet). */
function distHas(...segments) {
  return fs.existsSync(path.join(DIST, ...segments));
}

/**
 * `require` as the repository root resolves it. bench/ has its own node_modules (the peers'
 * class-validator and class-transformer among them); what is compiled into `dist/` uses the
 * root's copies, and class-transformer's metadata is per copy, so code working with `dist/`
 * classes loads the libraries through this.
 */
const rootRequire = createRequire(path.join(ROOT, 'package.json'));

module.exports = { ROOT, dist, benchDist, distHas, rootRequire };
