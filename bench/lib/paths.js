'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');

/** A compiled file under `dist/`; fails with the fix when the build is missing. */
function dist(...segments) {
  const file = path.join(DIST, ...segments);
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run build\` at the repository root first`);
  }
  return file;
}

module.exports = { ROOT, dist };
