'use strict';

/*
 * What interceptors cost, in process, no HTTP: `kernel.respond` (what the HTTP server calls, so a
 * synchronous answer stays synchronous) of the echo fixture without interceptors, with an empty
 * list, inside one pass-through interceptor, and as an async handler (the promise every chain
 * answers with, without one), against the hand-written handler; optionally the
 * echo fixture of another build of the repository (`<build>`: its `dist/`), to compare commits.
 * Usage: `node interceptors.js <roundMs> <rounds> [<build>]`; answers the CPU µs per call of every
 * round over IPC, rounds alternating in order. Log sinks are no-ops.
 */

const path = require('node:path');
const { dist } = require('../lib/paths');
const { baselineHandler } = require('../lib/baselineHandlers');
const { cpuMicrosPerOp } = require('../lib/cpuPerOp');
const { FC_HEADERS, JSON_BODY } = require('../lib/payloads');

const [roundMs, rounds, build] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const body = Buffer.from(JSON_BODY);
const request = { method: 'POST', path: '/invoke', headers: FC_HEADERS, body };
const expected = baselineHandler('echo')(body);

/** Calls `kernel.respond`, checking the answer as the hand-written handler gives it. */
function responder(indexJs, fixturesJs, fixture) {
  const { createKernel } = require(indexJs);
  const { FIXTURES } = require(fixturesJs);
  const kernel = createKernel({ functions: [FIXTURES[fixture]], logSink: () => {}, env: {} });
  const check = (answer) => {
    if (answer.statusCode !== 200 || String(answer.body) !== expected) {
      throw new Error(`${fixture} answered ${answer.statusCode}: ${answer.body}`);
    }
  };
  return () => {
    const answer = kernel.respond(request);
    return answer instanceof Promise ? answer.then(check) : check(answer);
  };
}

const ours = (fixture) => responder(dist('src', 'index.js'), dist('bench', 'fixtures', 'functions.js'), fixture);
const handler = baselineHandler('echo');
const candidates = {
  'hand-written': () => {
    handler(body);
  },
  'no interceptors': ours('echo'),
  'empty list': ours('echo-empty-interceptors'),
  'pass-through': ours('echo-pass-through'),
  'async handler': ours('echo-async'),
};
if (build) {
  const root = path.resolve(build);
  candidates['compared build'] = responder(
    path.join(root, 'src', 'index.js'),
    path.join(root, 'bench', 'fixtures', 'functions.js'),
    'echo',
  );
}

async function main() {
  const names = Object.keys(candidates);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  // The first request of each kernel initializes its function; then a warm-up round each.
  for (const n of names) await candidates[n]();
  for (const n of names) await cpuMicrosPerOp(candidates[n], roundMs);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) out[n].push(await cpuMicrosPerOp(candidates[n], roundMs));
  }
  process.send(out, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
