'use strict';

/*
 * Preloaded with `node -r`: times every `require` by the package it loads, and on exit (or on
 * `process.emit('requireTimes')`) sends the figures over IPC, or prints them as JSON on stderr.
 * Time is charged to the package whose module is being loaded, its own time only: a package's
 * require of another package is charged to the other one. Modules outside node_modules are
 * charged to "(app)", their path under the working directory.
 */

const Module = require('node:module');
const path = require('node:path');

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
const own = new Map();
const stack = [];
const originalLoad = Module._load;

function ownerOf(file) {
  const at = file.lastIndexOf(NODE_MODULES);
  if (at === -1) return file.startsWith('node:') || !path.isAbsolute(file) ? '(node)' : '(app)';
  const parts = file.slice(at + NODE_MODULES.length).split(path.sep);
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

Module._load = function timedLoad(request, parent, isMain) {
  let file;
  try {
    file = Module._resolveFilename(request, parent, isMain);
  } catch {
    return originalLoad.apply(this, arguments);
  }
  if (Module._cache[file] || !path.isAbsolute(file)) return originalLoad.apply(this, arguments);
  const owner = ownerOf(file);
  const frame = { owner, start: process.hrtime.bigint(), children: 0n };
  stack.push(frame);
  try {
    return originalLoad.apply(this, arguments);
  } finally {
    stack.pop();
    const total = process.hrtime.bigint() - frame.start;
    own.set(owner, (own.get(owner) ?? 0n) + total - frame.children);
    const parentFrame = stack.at(-1);
    if (parentFrame) parentFrame.children += total;
  }
};

function report() {
  return Object.fromEntries([...own].map(([owner, ns]) => [owner, Number(ns) / 1e6]));
}

process.once('requireTimes', () => {
  const figures = report();
  if (process.send) process.send({ requireTimes: figures });
  else process.stderr.write(`${JSON.stringify(figures)}\n`);
});

module.exports = { report };
