'use strict';

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHILDREN = path.join(__dirname, '..', 'children');
const live = new Set();

// A benchmark that crashes or is interrupted must not leave children behind.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

/**
 * The CPU a measured child is pinned to, so that it and the load generator do not compete for one
 * core; `undefined` (no pinning) on a single CPU, without `taskset`, or when turned off.
 */
function measuredCpu(enabled) {
  if (!enabled || os.cpus().length < 2 || process.platform !== 'linux') return undefined;
  const hasTaskset = ['/usr/bin/taskset', '/bin/taskset'].some((p) => fs.existsSync(p));
  return hasTaskset ? os.cpus().length - 1 : undefined;
}

/**
 * The command that runs `node ...nodeCommand`, pinned to `cpu` with `taskset` when one is given.
 * `taskset` execs node, so the child's pid is node's own (its /proc entries are the server's).
 */
function nodeCommand(cpu, nodeCommandArgs) {
  return cpu === undefined
    ? [process.execPath, nodeCommandArgs]
    : ['taskset', ['-c', String(cpu), process.execPath, ...nodeCommandArgs]];
}

/**
 * Keeps this process (the load generator, every thread of it) off the measured CPU, so that a
 * pinned server has its core to itself. Answers the CPUs it now runs on.
 */
function pinSelfAwayFrom(cpu) {
  if (cpu === undefined) return undefined;
  const others = os
    .cpus()
    .map((_, i) => i)
    .filter((i) => i !== cpu)
    .join(',');
  execFileSync('taskset', ['-a', '-p', '-c', others, String(process.pid)], { stdio: 'ignore' });
  return others;
}

/** `spawn`, with the child killed if the benchmark exits first; `exited` resolves on its exit. */
function spawnTracked(command, args, options) {
  const child = spawn(command, args, options);
  live.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => live.delete(child));
  return { child, exited };
}

/**
 * Runs `children/<script>.js ...args` with an IPC channel. Its stdout (fc-kernel's log and marker
 * lines) goes to /dev/null: written, as in FC, but not collected here.
 */
function startChild(script, args, { cpu, nodeArgs = [], env } = {}) {
  const [command, commandArgs] = nodeCommand(cpu, [...nodeArgs, path.join(CHILDREN, `${script}.js`), ...args]);
  const { child, exited } = spawnTracked(command, commandArgs, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const label = `${script} ${args.join(' ')}`;
  // Messages and failures are queued for `nextMessage`, with one listener each for the child's life.
  const messages = [];
  const waiting = [];
  let failure;
  const fail = (error) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  child.on('message', (message) => {
    const w = waiting.shift();
    if (w) w.resolve(message);
    else messages.push(message);
  });
  child.once('error', fail);
  exited.then(({ code, signal }) => fail(new Error(`${label} exited (${code ?? signal})`)));
  return {
    label,
    /** The child's next IPC message; rejects if it has exited or exits first. */
    nextMessage() {
      if (messages.length > 0) return Promise.resolve(messages.shift());
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    /** The child's `process.cpuUsage()`: microseconds of user and system CPU used so far. */
    async cpuUsage() {
      child.send('cpu');
      const { cpu } = await this.nextMessage();
      return cpu;
    },
    /** The child's `process.memoryUsage()`, after a full collection when it runs with `--expose-gc`. */
    async memoryUsage() {
      child.send('heap');
      const { heap } = await this.nextMessage();
      return heap;
    },
    /** Stops the child; `graceful` asks it to exit, which lets `--cpu-prof` write its profile. */
    async stop({ graceful = false } = {}) {
      if (graceful && child.connected) child.send('exit');
      else child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Starts a server child and resolves once it has reported its port. `arg` may be a list of arguments. */
async function startServer(script, arg, options) {
  const handle = startChild(script, Array.isArray(arg) ? arg : [arg], options);
  const { port } = await handle.nextMessage();
  return { ...handle, port };
}

module.exports = { CHILDREN, nodeCommand, pinSelfAwayFrom, spawnTracked, startChild, startServer, measuredCpu };
