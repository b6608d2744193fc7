'use strict';

/*
 * Preloaded with `node -r`: times the loading of every module by the package it belongs to, and
 * answers the figures from `report()`. A module's own time is its reading, compiling and running,
 * less that of the modules it loads (which are charged to their own packages); resolving the
 * paths it requires is its own. fc-kernel's compiled files (dist/src) count as "fc-kernel",
 * other files outside node_modules as "(app)".
 */

const Module = require('node:module');
const path = require('node:path');

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
const FC_KERNEL = `${path.sep}dist${path.sep}src${path.sep}`;
const own = new Map();
const stack = [];
const originalLoad = Module.prototype.load;

function ownerOf(file) {
  const at = file.lastIndexOf(NODE_MODULES);
  if (at === -1) return file.includes(FC_KERNEL) ? 'fc-kernel' : '(app)';
  const parts = file.slice(at + NODE_MODULES.length).split(path.sep);
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

Module.prototype.load = function timedLoad(filename) {
  const frame = { owner: ownerOf(filename), start: process.hrtime.bigint(), children: 0n };
  stack.push(frame);
  try {
    return originalLoad.call(this, filename);
  } finally {
    stack.pop();
    const total = process.hrtime.bigint() - frame.start;
    own.set(frame.owner, (own.get(frame.owner) ?? 0n) + total - frame.children);
    const parent = stack.at(-1);
    if (parent) parent.children += total;
  }
};

/** Milliseconds of own loading time by package, so far. */
function report() {
  return Object.fromEntries([...own].map(([owner, ns]) => [owner, Number(ns) / 1e6]));
}

module.exports = { report };
