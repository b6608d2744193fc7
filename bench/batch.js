'use strict';

// What the batch layer costs per record: `kernel.dispatch` in process of one Kafka batch of 1,000
// records (EventBridge's JSON array of JSON strings), by a plain loop in an @OnInvoke handler over
// the validated KafkaEventBatch, then by @OnRecord: each record's value as it comes, validated as
// a DTO, and validated and remembered in the idempotency store (memory; then Redis, a
// redis-server of its own on 127.0.0.1, where each record costs two round trips). CPU µs per
// batch of this process (Redis's own not counted) and wall ms per batch, sequential; the layer's
// overhead per record is the difference with the loop over 1,000. Alternating rounds, medians.
// Prints a table; no thresholds.
//
//   npm run build && node bench/batch.js [--quick]

const { dist, rootRequire } = require('./lib/paths');
const { cpuMicrosPerOp } = require('./lib/cpuPerOp');
const { median } = require('./lib/stats');
const { FC_HEADERS } = require('./lib/payloads');
const { startRedis } = require('./lib/redisServer');

rootRequire('reflect-metadata');
const { createKernel } = require(dist('src', 'index.js'));
const { MemoryIdempotencyStore, RedisIdempotencyStore } = require(dist('src', 'idempotency', 'index.js'));
const { fixtures } = require(dist('src', 'testing', 'index.js'));
const F = require(dist('bench', 'fixtures', 'batchFunctions.js'));

const quick = process.argv.includes('--quick');
const SETTINGS = quick ? { rounds: 3, roundMs: 300 } : { rounds: 7, roundMs: 1500 };
const RECORDS = 1000;

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

async function main() {
  const redis = await startRedis();
  const redisStore = new RedisIdempotencyStore({ url: redis.url, timeoutMs: 5000 });
  try {
    const kernels = {
      'plain loop over the KafkaEventBatch': createKernel({ functions: [F.LoopFunction], logSink: () => {} }),
      '@OnRecord, value as it comes': createKernel({ functions: [F.EachRecordFunction], logSink: () => {} }),
      '@OnRecord, value validated as a DTO': createKernel({
        functions: [F.EachValidatedRecordFunction],
        logSink: () => {},
      }),
      '@OnRecord, validated, remembered (memory store)': createKernel({
        functions: [F.RememberedRecordFunction],
        logSink: () => {},
        idempotency: { store: new MemoryIdempotencyStore({ maxRecords: 100_000 }) },
      }),
    };
    const cases = Object.fromEntries(Object.entries(kernels).map(([name, kernel]) => [name, dispatcher(kernel)]));
    const cpu = await alternate(cases, (op) => cpuMicrosPerOp(op, SETTINGS.roundMs));
    const remembered = createKernel({
      functions: [F.RememberedRecordFunction],
      logSink: () => {},
      idempotency: { store: redisStore },
    });
    const redisWall = await alternate({ redis: dispatcher(remembered) }, (op) => wallMsPerOp(op, SETTINGS.roundMs));
    const loop = median(cpu['plain loop over the KafkaEventBatch']);
    console.log(
      `\nOne Kafka batch of ${RECORDS} records, kernel.dispatch in process (${SETTINGS.rounds} rounds, medians)\n`,
    );
    console.log('| case | CPU µs/batch | µs/record | overhead µs/record vs the loop |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const name of Object.keys(cases)) {
      const c = median(cpu[name]);
      const over = name === 'plain loop over the KafkaEventBatch' ? '' : ((c - loop) / RECORDS).toFixed(2);
      console.log(`| ${name} | ${c.toFixed(0)} | ${(c / RECORDS).toFixed(2)} | ${over} |`);
    }
    console.log(
      `\n@OnRecord, validated, remembered in Redis (two round trips a record, one record at a time): ` +
        `${median(redisWall.redis).toFixed(1)} ms wall per batch`,
    );
  } finally {
    await redisStore.close();
    await redis.stop();
  }
}

let sequence = 0;

/** A call of `kernel.dispatch` with the batch, under a new request id; fails unless it answers 200. */
function dispatcher(kernel) {
  // New offsets every call: remembered records are all first deliveries.
  return async () => {
    const base = ++sequence * RECORDS;
    const records = Array.from({ length: RECORDS }, (_, i) => ({
      topic: 'readings',
      partition: i % 4,
      offset: base + i,
      value: { id: `R-${base + i}`, wh: i },
    }));
    const body = Buffer.from(JSON.stringify(fixtures.kafka(records)));
    const headers = { ...FC_HEADERS, 'x-fc-request-id': `req-${sequence}`, 'x-fc-function-timeout': '600' };
    const answer = await kernel.dispatch({ method: 'POST', path: '/invoke', headers, body });
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

async function wallMsPerOp(op, ms) {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < ms || count === 0) {
    await op();
    count++;
  }
  return (performance.now() - start) / count;
}
