'use strict';

const net = require('node:net');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { CHILDREN, spawnTracked } = require('../lib/children');
const { invoke } = require('../lib/invoke');
const { dist } = require('../lib/paths');
const { FC_HEADERS, ORDER_BODY } = require('../lib/payloads');
const { median, percentile } = require('../lib/stats');

const GIVE_UP_MS = 30_000;

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
 * Milliseconds from `spawn` to the first successful `POST /invoke` answer, polling every
 * millisecond while the port refuses connections. This is what an FC cold start costs the first
 * caller: process start, module loading, listening, and the first invocation (which initializes).
 */
async function timeToFirstAnswer(script, args) {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const { child, exited } = spawnTracked(process.execPath, [script, ...args], {
    stdio: 'ignore',
    env: { ...process.env, FC_CUSTOM_LISTEN_PORT: String(port) },
  });
  let early;
  exited.then(({ code, signal }) => (early = new Error(`${script} exited (${code ?? signal}) before answering`)));
  try {
    for (;;) {
      if (early) throw early;
      try {
        const answer = await invoke(port, ORDER_BODY, FC_HEADERS);
        if (answer.statusCode !== 200) throw new Error(`${script} answered ${answer.statusCode}: ${answer.body}`);
        return Number(process.hrtime.bigint() - start) / 1e6;
      } catch (error) {
        if (error.code !== 'ECONNREFUSED' && error.code !== 'ECONNRESET') throw error;
        if (Number(process.hrtime.bigint() - start) / 1e6 > GIVE_UP_MS) throw new Error(`${script} never answered`);
        await sleep(1);
      }
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Milliseconds a fresh process spends in `require` of the given modules, measured inside it. */
async function requireTime(modules) {
  const code = [
    'const start = process.hrtime.bigint();',
    ...modules.map((m) => `require(${JSON.stringify(m)});`),
    'process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));',
  ].join('\n');
  const { child, exited } = spawnTracked(process.execPath, ['-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: path.dirname(dist('src', 'index.js')),
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const { code: exitCode } = await exited;
  if (exitCode !== 0) throw new Error(`require of ${modules.join(', ')} failed`);
  return Number(out);
}

/** The measured cases, in the order they alternate within each run. */
function coldStartCases() {
  return [
    {
      name: 'bare node:http server',
      kind: 'first answer',
      measure: () => timeToFirstAnswer(path.join(CHILDREN, 'baseline.js'), ['echo']),
    },
    {
      name: 'order-service sample',
      kind: 'first answer',
      measure: () => timeToFirstAnswer(dist('samples', 'order-service', 'main.js'), []),
    },
    {
      name: 'require dist/src/index.js',
      kind: 'require',
      measure: () => requireTime([dist('src', 'index.js')]),
    },
    {
      name: 'require its dependencies alone',
      kind: 'require',
      measure: () => requireTime(['reflect-metadata', 'tsyringe', 'class-transformer', 'class-validator']),
    },
  ];
}

async function runColdStart(settings, log) {
  const cases = coldStartCases();
  const samples = cases.map(() => []);
  // One discarded run each fills the OS file cache, as on a warm FC host.
  for (const c of cases) await c.measure();
  for (let run = 0; run < settings.coldRuns; run++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(await cases[i].measure());
  }
  const results = cases.map((c, i) => ({
    name: c.name,
    kind: c.kind,
    runs: samples[i],
    median: median(samples[i]),
    p90: percentile(samples[i], 90),
  }));
  for (const r of results) log(`  cold-start ${r.name}: median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms`);
  return results;
}

module.exports = { runColdStart };
