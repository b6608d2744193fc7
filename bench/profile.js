'use strict';

/*
 * Profiles a server child under load: `node --cpu-prof` on the child, autocannon from here, then
 * the functions with the most self and inclusive time. Usage (after `npm run build`):
 *   node bench/profile.js [framework|baseline] [fixture] [seconds] [connections]
 * e.g. `node bench/profile.js framework echo 10 10`. The raw .cpuprofile is kept (its path is
 * printed) for Chrome DevTools.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { measuredCpu, startServer } = require('./lib/children');
const { loadOnce } = require('./lib/load');
const { FC_HEADERS, JSON_BODY, ORDER_BODY } = require('./lib/payloads');
const { ROOT } = require('./lib/paths');

const TOP = 30;

function frameKey(frame) {
  const url = frame.url.replace(/^file:\/\//, '');
  const file = url.startsWith('/') ? path.relative(ROOT, url) : url;
  const where = file ? ` ${file}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/** Self and inclusive milliseconds per function (recursion counted once per stack). */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    total += us;
    const key = frameKey(byId.get(id).callFrame);
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = frameKey(byId.get(at).callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  return { self, inclusive, total };
}

function print(title, map, total) {
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  console.log(`\n${title}`);
  for (const [key, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}

async function main() {
  const [script = 'framework', fixture = 'echo', seconds = '10', connections = '10'] = process.argv.slice(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-kernel-prof-'));
  const server = await startServer(script, fixture, {
    cpu: measuredCpu(true),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  const run = await loadOnce(server, {
    connections: Number(connections),
    pipelining: 1,
    duration: Number(seconds),
    body: fixture === 'order' ? ORDER_BODY : JSON_BODY,
    headers: FC_HEADERS,
  });
  await server.stop({ graceful: true });
  console.log(`${script} ${fixture}: ${Math.round(run.rps)} req/s under the profiler`);
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const { self, inclusive, total } = summarize(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  print('Self time', self, total);
  print('Inclusive time', inclusive, total);
  console.log(`\nprofile: ${path.join(dir, file)}`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
