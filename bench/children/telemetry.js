'use strict';

/*
 * What telemetry costs, in process, no HTTP to the function: `kernel.respond` of the echo fixture
 * without observers, with `telemetry()` and nothing switched on (must cost nothing), with tracing
 * on and the sampler at 0 % (a trace started here and not sampled), and with every invocation
 * traced (an incoming sampled `traceparent`) exporting OTLP/protobuf to a collector on 127.0.0.1
 * in another process: before each answer (FC without /pre-freeze), and batched as with /pre-freeze.
 * Usage: `node telemetry.js <roundMs> <rounds>`; answers the CPU µs per call of every round over
 * IPC, rounds alternating in order. Log sinks are no-ops.
 */

const { spawn } = require('node:child_process');
const { dist } = require('../lib/paths');
const { cpuMicrosPerOp } = require('../lib/cpuPerOp');
const { FC_HEADERS, JSON_BODY } = require('../lib/payloads');

const [roundMs, rounds] = [Number(process.argv[2]), Number(process.argv[3])];
const body = Buffer.from(JSON_BODY);
const untraced = { method: 'POST', path: '/invoke', headers: FC_HEADERS, body };
const traced = {
  ...untraced,
  headers: { ...FC_HEADERS, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
};

/** A collector in a process of its own: it answers every export 200 and keeps nothing. */
function startCollector() {
  const script = `
    const server = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end()); });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (data) => resolve({ child, endpoint: `http://127.0.0.1:${String(data).trim()}` }));
  });
}

function responder(request, observers) {
  const { createKernel } = require(dist('src', 'index.js'));
  const { FIXTURES } = require(dist('bench', 'fixtures', 'functions.js'));
  const kernel = createKernel({ functions: [FIXTURES.echo], logSink: () => {}, env: {}, observers });
  return () => {
    const answer = kernel.respond(request);
    const check = (settled) => {
      if (settled.statusCode !== 200) throw new Error(`echo answered ${settled.statusCode}: ${settled.body}`);
    };
    return answer instanceof Promise ? answer.then(check) : check(answer);
  };
}

async function main() {
  const collector = await startCollector();
  const { telemetry } = require(dist('src', 'telemetry', 'index.js'));
  const tracing = (more) => [telemetry({ traces: 'otlp', endpoint: collector.endpoint, ...more })];
  const candidates = {
    'no observers': responder(untraced, undefined),
    'telemetry, nothing on': responder(untraced, [telemetry()]),
    'tracing, sampler 0 %': responder(untraced, tracing({ sampleRatio: 0 })),
    'tracing 100 %, exported before each answer': responder(traced, tracing({ flush: 'answer' })),
    'tracing 100 %, exported in batches (/pre-freeze)': responder(traced, tracing({ flush: 'pre-freeze' })),
  };
  const names = Object.keys(candidates);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) await candidates[n]();
  for (const n of names) await cpuMicrosPerOp(candidates[n], roundMs);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) out[n].push(await cpuMicrosPerOp(candidates[n], roundMs));
  }
  collector.child.kill();
  process.send(out, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
