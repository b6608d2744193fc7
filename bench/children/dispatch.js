'use strict';

/*
 * In-process cost, no HTTP: `kernel.dispatch` against the hand-written handler doing the same work,
 * sequentially, alternating rounds. Usage: `node dispatch.js <echo|order> <roundMs> <rounds>`;
 * answers the ops/sec of every round over IPC. The kernel's log sink is a no-op so that what is
 * measured is the kernel's own work (the marker lines are still built), not stdout.
 */

const { dist } = require('../lib/paths');
const { createKernel } = require(dist('src', 'index.js'));
const { FIXTURES } = require(dist('bench', 'fixtures', 'functions.js'));
const { baselineHandler } = require('../lib/baselineHandlers');
const { cpuMicrosPerOp } = require('../lib/cpuPerOp');
const { FC_HEADERS, JSON_BODY, ORDER_BODY } = require('../lib/payloads');

const [name, roundMs, rounds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const body = Buffer.from(name === 'order' ? ORDER_BODY : JSON_BODY);
const kernel = createKernel({ functions: [FIXTURES[name]], logSink: () => {} });
const request = { method: 'POST', path: '/invoke', headers: FC_HEADERS, body };
const handler = baselineHandler(name);

const candidates = {
  baseline: async () => handler(body),
  'fc-kernel': async () => {
    const answer = await kernel.dispatch(request);
    if (answer.statusCode !== 200) throw new Error(`dispatch answered ${answer.statusCode}: ${answer.body}`);
  },
};

/** Operations per CPU second of `op` run back to back for `ms` milliseconds. */
async function opsPerSecond(op, ms) {
  return 1e6 / (await cpuMicrosPerOp(op, ms));
}

async function main() {
  const out = { baseline: [], 'fc-kernel': [] };
  const names = Object.keys(candidates);
  for (const n of names) await opsPerSecond(candidates[n], roundMs);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) out[n].push(await opsPerSecond(candidates[n], roundMs));
  }
  process.send(out, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
