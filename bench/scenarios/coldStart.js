'use strict';

const path = require('node:path');
const { spawnTracked } = require('../lib/children');
const { startContender } = require('../lib/contenderProcess');
const { ORDER_SAMPLE } = require('../lib/contenders');
const { dist } = require('../lib/paths');
const { median, percentile } = require('../lib/stats');

/**
 * Milliseconds from `spawn` to the first successful `POST /invoke` answer. This is what an FC cold
 * start costs the first caller: process start, module loading, listening, and the first
 * invocation (which initializes).
 */
async function timeToFirstAnswer(contender, cpu) {
  const server = await startContender(contender, { cpu });
  try {
    return await server.firstAnswer();
  } finally {
    await server.stop();
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

/**
 * The measured cases, in the order they alternate within each run: every contender, the order
 * sample as it ships, and, to tell fc-kernel's own loading from its dependencies', two `require`
 * timings.
 */
function coldStartCases(contenders, cpu) {
  return [
    ...[...contenders, ORDER_SAMPLE].map((c) => ({
      name: c.name,
      label: c.label,
      kind: 'first answer',
      measure: () => timeToFirstAnswer(c, cpu),
    })),
    {
      name: 'require-fc-kernel',
      label: 'require dist/src/index.js',
      kind: 'require',
      measure: () => requireTime([dist('src', 'index.js')]),
    },
    {
      name: 'require-dependencies',
      label: 'require its dependencies alone',
      kind: 'require',
      measure: () => requireTime(['reflect-metadata', 'tsyringe', 'class-transformer', 'class-validator']),
    },
  ];
}

async function runColdStart(contenders, settings, log) {
  const cases = coldStartCases(contenders, settings.cpu);
  const samples = cases.map(() => []);
  // Discarded runs fill the OS file cache, as on a warm FC host.
  for (let run = 0; run < settings.coldDiscarded; run++) for (const c of cases) await c.measure();
  for (let run = 0; run < settings.coldRuns; run++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(await cases[i].measure());
  }
  const results = cases.map((c, i) => ({
    name: c.name,
    label: c.label,
    kind: c.kind,
    runs: samples[i],
    median: median(samples[i]),
    p90: percentile(samples[i], 90),
  }));
  for (const r of results) log(`  cold-start ${r.label}: median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms`);
  return results;
}

module.exports = { runColdStart };
