'use strict';

// What @Idempotent costs a handler: `kernel.dispatch` of the order function in process, plain,
// then idempotent (makeIdempotent, keyed by FC's request id) on the memory store and on a Redis
// of its own (redis-server on 127.0.0.1, started and stopped here). For each, a first delivery
// (a new request id every call: claim, run, store the answer) and a duplicate (one request id:
// the stored answer replayed). Sequential calls, CPU µs per call of this process (the client
// side of Redis included, the server's not) and wall µs per call (Redis round trips included);
// then 50 calls in flight at once for Redis, wall calls per second. Alternating rounds, medians.
// Prints a table; no thresholds.
//
//   npm run build && node bench/idempotency.js [--quick]

const { dist, rootRequire } = require('./lib/paths');
const { cpuMicrosPerOp } = require('./lib/cpuPerOp');
const { median } = require('./lib/stats');
const { baselineHandler } = require('./lib/baselineHandlers');
const { FC_HEADERS, ORDER_BODY } = require('./lib/payloads');
const { startRedis } = require('./lib/redisServer');

rootRequire('reflect-metadata');
const { createKernel } = require(dist('src', 'index.js'));
const { makeIdempotent, MemoryIdempotencyStore, RedisIdempotencyStore } = require(
  dist('src', 'idempotency', 'index.js'),
);
const { FIXTURES } = require(dist('bench', 'fixtures', 'functions.js'));

const quick = process.argv.includes('--quick');
const SETTINGS = quick ? { rounds: 3, roundMs: 100 } : { rounds: 9, roundMs: 400 };
const IN_FLIGHT = 50;
const body = Buffer.from(ORDER_BODY);

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

async function main() {
  const redis = await startRedis();
  const stores = { memory: new MemoryIdempotencyStore(), redis: new RedisIdempotencyStore({ url: redis.url }) };
  try {
    const handler = baselineHandler('order');
    const kernels = {
      plain: kernelWith(undefined),
      memory: kernelWith(stores.memory),
      redis: kernelWith(stores.redis),
    };
    const cases = {
      'hand-written handler': () => handler(body),
      'fc-kernel, plain': dispatcher(kernels.plain, true),
      'memory store, first delivery': dispatcher(kernels.memory, true),
      'memory store, duplicate': dispatcher(kernels.memory, false),
      'Redis store, first delivery': dispatcher(kernels.redis, true),
      'Redis store, duplicate': dispatcher(kernels.redis, false),
    };
    const cpu = await alternate(cases, (op) => cpuMicrosPerOp(op, SETTINGS.roundMs));
    const wall = await alternate(cases, (op) => wallMicrosPerOp(op, SETTINGS.roundMs));
    const concurrent = await alternate(
      {
        'fc-kernel, plain': dispatcher(kernels.plain, true),
        'Redis store, first delivery': dispatcher(kernels.redis, true),
        'Redis store, duplicate': dispatcher(kernels.redis, false),
      },
      (op) => callsPerSecondInFlight(op, SETTINGS.roundMs),
    );
    const plainCpu = median(cpu['fc-kernel, plain']);
    console.log(`\n@Idempotent, kernel.dispatch of the order in process (${SETTINGS.rounds} rounds, medians)\n`);
    console.log('| case | CPU µs/call | × plain | wall µs/call, one at a time | calls/s, 50 in flight |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const name of Object.keys(cases)) {
      const c = median(cpu[name]);
      const inFlight = concurrent[name] ? Math.round(median(concurrent[name])) : '';
      console.log(
        `| ${name} | ${c.toFixed(1)} | ${(c / plainCpu).toFixed(2)} | ${median(wall[name]).toFixed(1)} | ${inFlight} |`,
      );
    }
  } finally {
    await stores.redis.close();
    await redis.stop();
  }
}

function kernelWith(store) {
  const options = { functions: [FIXTURES.order], logSink: () => {} };
  if (store) Object.assign(options, { interceptors: [makeIdempotent()], idempotency: { store } });
  return createKernel(options);
}

let sequence = 0;

/** A call of `kernel.dispatch`: a new request id each time (a first delivery), or always the same. */
function dispatcher(kernel, fresh) {
  const duplicate = { method: 'POST', path: '/invoke', headers: { ...FC_HEADERS, 'x-fc-request-id': 'dup-1' }, body };
  return async () => {
    const request = fresh
      ? { method: 'POST', path: '/invoke', headers: { ...FC_HEADERS, 'x-fc-request-id': `req-${++sequence}` }, body }
      : duplicate;
    const answer = await kernel.dispatch(request);
    if (answer.statusCode !== 200) throw new Error(`dispatch answered ${answer.statusCode}: ${answer.body}`);
  };
}

/** Rounds of every case in alternating order (A B C, C B A...), after one discarded round each. */
async function alternate(cases, measure) {
  const names = Object.keys(cases);
  const out = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) await measure(cases[name]);
  for (let r = 0; r < SETTINGS.rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) out[name].push(await measure(cases[name]));
  }
  return out;
}

async function wallMicrosPerOp(op, ms) {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await op();
    count++;
  }
  return ((performance.now() - start) * 1000) / count;
}

async function callsPerSecondInFlight(op, ms) {
  let count = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() - start < ms) {
      await op();
      count++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return count / ((performance.now() - start) / 1000);
}
