'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const { setTimeout: sleep } = require('node:timers/promises');
const { nodeCommand, spawnTracked } = require('./children');
const { invoke } = require('./invoke');
const { FC_HEADERS, ORDER_BODY } = require('./payloads');

const GIVE_UP_MS = 30_000;
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** A TCP port nothing listens on now, for a child to listen on. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * User and system CPU microseconds `pid` has used, from /proc/<pid>/stat: the contenders are
 * plain servers with no channel to ask them, and this is what the kernel counts for them anyway.
 */
function cpuUsageOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name, in parentheses, may hold spaces: the fields that matter follow its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const toMicros = (ticks) => (Number(ticks) * 1e6) / TICKS_PER_SECOND;
  return { user: toMicros(fields[11]), system: toMicros(fields[12]) };
}

/** The peak resident set of `pid` so far, in bytes (VmHWM, the kernel's high-water mark). */
function peakRssOf(pid) {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * Spawns a contender as FC starts a custom container (FC_CUSTOM_LISTEN_PORT set, nothing else),
 * pinned to `cpu`. `stdout` is where its log and marker lines go: /dev/null unless a check reads
 * them. The clock of `firstAnswer` starts just before the spawn.
 */
async function startContender(contender, { cpu, stdout = 'ignore' } = {}) {
  const port = await freePort();
  const [command, args] = nodeCommand(cpu, [contender.script(), ...contender.args]);
  const spawnedAt = process.hrtime.bigint();
  const { child, exited } = spawnTracked(command, args, {
    stdio: ['ignore', stdout, 'inherit'],
    env: { ...process.env, FC_CUSTOM_LISTEN_PORT: String(port) },
  });
  let exit;
  exited.then(({ code, signal }) => (exit = code ?? signal));
  return {
    label: contender.label,
    port,
    child,
    /** Milliseconds from the spawn to the first `200` with `x-fc-status: 200` from `/invoke`. */
    async firstAnswer() {
      for (;;) {
        if (exit !== undefined) throw new Error(`${contender.label} exited (${exit}) before answering`);
        try {
          const answer = await invoke(port, ORDER_BODY, FC_HEADERS);
          if (answer.statusCode !== 200 || answer.fcStatus !== '200') {
            throw new Error(
              `${contender.label} answered ${answer.statusCode} (x-fc-status ${answer.fcStatus}): ${answer.body}`,
            );
          }
          return Number(process.hrtime.bigint() - spawnedAt) / 1e6;
        } catch (error) {
          if (error.code !== 'ECONNREFUSED' && error.code !== 'ECONNRESET') throw error;
          if (Number(process.hrtime.bigint() - spawnedAt) / 1e6 > GIVE_UP_MS) {
            throw new Error(`${contender.label} never answered`);
          }
          await sleep(1);
        }
      }
    },
    async cpuUsage() {
      return cpuUsageOf(child.pid);
    },
    peakRss() {
      return peakRssOf(child.pid);
    },
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

module.exports = { freePort, startContender };
