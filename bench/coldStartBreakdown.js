'use strict';

/*
 * Where the order sample's cold start goes, and what `fc-kernel build` saves. Usage, after
 * `npm run build` at the root:
 *   node bench/coldStartBreakdown.js [--runs=11] [--only=floor,unbundled,bundle,uncached] [--no-requires]
 *     [--extra=<label>=<node arguments>]...   (more cases, e.g. --extra=cached=/tmp/b/loader.js)
 *
 * 1. Cold start: spawn → first answered `POST /invoke` of the order event, for the bare node:http
 *    floor, the sample as `node dist/samples/order-service/main.js`, and the same main bundled by
 *    `fc-kernel build` (into a temporary directory), with and without its code cache,
 *    alternating, each a median of --runs spawns.
 *    Besides the wall time, the CPU time the child had used when it answered (all its threads,
 *    from /proc): on a shared machine the wall time mostly measures the neighbours.
 * 2. `require` of fc-kernel (dist/src/index.js) in a fresh process, unbundled and bundled, and
 *    the unbundled time by package, measured by a preloaded hook (lib/requireTimer.js; the hook
 *    itself slows loading, so its figures are shares, not totals).
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { CHILDREN, spawnTracked } = require('./lib/children');
const { freePort } = require('./lib/contenderProcess');
const { invoke } = require('./lib/invoke');
const { ROOT, dist } = require('./lib/paths');
const { FC_HEADERS, ORDER_BODY } = require('./lib/payloads');
const { median } = require('./lib/stats');

const GIVE_UP_MS = 30_000;

function parseArgs(argv) {
  const args = { runs: 11, only: undefined, requires: true, extra: [] };
  for (const arg of argv) {
    if (arg.startsWith('--runs=')) args.runs = Number(arg.slice('--runs='.length));
    else if (arg.startsWith('--only=')) args.only = arg.slice('--only='.length).split(',');
    else if (arg === '--no-requires') args.requires = false;
    else if (arg.startsWith('--extra=')) {
      // --extra=<label>=<node arguments, space-separated>: one more case, for experiments.
      const [label, command] = arg.slice('--extra='.length).split(/=(.*)/s);
      args.extra.push({ name: label, label, args: command.split(' ') });
    } else throw new Error(`unknown option ${arg}; see the top of bench/coldStartBreakdown.js`);
  }
  return args;
}

/** Nanoseconds on a CPU of every thread of `pid` so far (the first field of each schedstat). */
function cpuNs(pid) {
  let total = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    total += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  }
  return total;
}

/** Spawns `node ...args` and polls until it answers the order event: wall and CPU milliseconds. */
async function firstAnswer(args, cwd) {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const { child, exited } = spawnTracked(process.execPath, args, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, FC_CUSTOM_LISTEN_PORT: String(port) },
  });
  let early;
  exited.then(
    ({ code, signal }) => (early = new Error(`${args.join(' ')} exited (${code ?? signal}) before answering`)),
  );
  try {
    for (;;) {
      if (early) throw early;
      try {
        const answer = await invoke(port, ORDER_BODY, FC_HEADERS);
        const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
        const cpuMs = cpuNs(child.pid) / 1e6;
        if (answer.statusCode !== 200)
          throw new Error(`${args.join(' ')} answered ${answer.statusCode}: ${answer.body}`);
        return { wallMs, cpuMs };
      } catch (error) {
        if (error.code !== 'ECONNREFUSED' && error.code !== 'ECONNRESET') throw error;
        if (Number(process.hrtime.bigint() - start) / 1e6 > GIVE_UP_MS)
          throw new Error(`${args.join(' ')} never answered`);
        await sleep(1);
      }
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Runs `node -e code` in a fresh process and answers what it printed, parsed as JSON. */
function runNode(nodeArgs, code, cwd) {
  return JSON.parse(execFileSync(process.execPath, [...nodeArgs, '-e', code], { cwd, encoding: 'utf8' }));
}

/** Wall and CPU milliseconds of `require(file)` in a fresh process. */
function requireCost(file) {
  const code = `
    const cpu = process.cpuUsage(); const start = process.hrtime.bigint();
    require(${JSON.stringify(file)});
    const used = process.cpuUsage(cpu);
    process.stdout.write(JSON.stringify({ wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 }));
    process.exit(0);`;
  return runNode([], code, os.tmpdir());
}

/** Milliseconds of `require(file)` by package, through the preloaded hook. */
function requireShares(file) {
  const code = `require(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(require(${JSON.stringify(
    path.join(__dirname, 'lib', 'requireTimer.js'),
  )}).report())); process.exit(0);`;
  return runNode(['-r', path.join(__dirname, 'lib', 'requireTimer.js')], code, os.tmpdir());
}

function fcKernelBuild(entry, out, extra = []) {
  execFileSync(process.execPath, [dist('src', 'cli', 'main.js'), 'build', entry, '--out', out, ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * The benchmark's floor contender (bench/dist, after `npm run build` in bench/: node:http, the
 * order checked by hand, FC's marker lines), else the bare echo server of children/.
 */
function floorCase() {
  const contender = path.join(ROOT, 'bench', 'dist', 'bench', 'contenders', 'floor', 'main.js');
  return fs.existsSync(contender)
    ? { name: 'floor', label: 'the floor (bench/contenders/floor)', args: [contender] }
    : { name: 'floor', label: 'bare node:http echo server', args: [path.join(CHILDREN, 'baseline.js'), 'echo'] };
}

function summarize(samples) {
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-kernel-cold-'));
  try {
    const orderMain = path.relative(ROOT, dist('samples', 'order-service', 'main.js'));
    fcKernelBuild(orderMain, path.join(work, 'order'));
    fcKernelBuild(orderMain, path.join(work, 'order-uncached'), ['--no-code-cache']);
    fcKernelBuild(path.relative(ROOT, dist('src', 'index.js')), path.join(work, 'fc-kernel'));
    const cases = [
      floorCase(),
      {
        name: 'unbundled',
        label: 'node dist/samples/order-service/main.js',
        args: [dist('samples', 'order-service', 'main.js')],
      },
      { name: 'bundle', label: 'fc-kernel build of main.js', args: [path.join(work, 'order', 'index.js')] },
      {
        name: 'uncached',
        label: 'the same, --no-code-cache',
        args: [path.join(work, 'order-uncached', 'index.js')],
      },
      ...args.extra,
    ].filter((c) => !args.only || args.only.includes(c.name));

    const samples = cases.map(() => []);
    // One discarded spawn each fills the file cache, as on a warm host.
    for (const c of cases) await firstAnswer(c.args, work);
    for (let run = 0; run < args.runs; run++) {
      // A B C, then C B A: neither side always follows the other.
      const order = run % 2 === 0 ? cases.map((_, i) => i) : cases.map((_, i) => cases.length - 1 - i);
      for (const i of order) samples[i].push(await firstAnswer(cases[i].args, work));
    }
    const floor = cases.findIndex((c) => c.name === 'floor');
    const floorFigures = floor === -1 ? undefined : summarize(samples[floor]);
    console.log(
      `cold start, spawn → first answered /invoke, median of ${args.runs} (${os.cpus()[0].model}, load ${os.loadavg()[0].toFixed(2)}):`,
    );
    cases.forEach((c, i) => {
      const { wallMs, cpuMs } = summarize(samples[i]);
      const ratio = floorFigures
        ? ` = ${(wallMs / floorFigures.wallMs).toFixed(2)}× wall, ${(cpuMs / floorFigures.cpuMs).toFixed(2)}× CPU`
        : '';
      console.log(
        `  ${c.label.padEnd(44)} ${wallMs.toFixed(1).padStart(7)} ms wall ${cpuMs.toFixed(1).padStart(7)} ms CPU${ratio}`,
      );
    });

    if (args.requires) {
      const unbundled = dist('src', 'index.js');
      const bundled = path.join(work, 'fc-kernel', 'index.js');
      const costs = { unbundled: [], bundled: [] };
      for (let run = 0; run < args.runs; run++) {
        costs.unbundled.push(requireCost(unbundled));
        costs.bundled.push(requireCost(bundled));
      }
      console.log(`require of fc-kernel in a fresh process, median of ${args.runs}:`);
      for (const [name, list] of Object.entries(costs)) {
        const { wallMs, cpuMs } = summarize(list);
        console.log(
          `  ${name.padEnd(10)} ${wallMs.toFixed(1).padStart(7)} ms wall ${cpuMs.toFixed(1).padStart(7)} ms CPU`,
        );
      }
      const shares = [];
      for (let run = 0; run < Math.min(args.runs, 5); run++) shares.push(requireShares(unbundled));
      const packages = Object.keys(shares[0]);
      const byPackage = packages.map((p) => [p, median(shares.map((s) => s[p] ?? 0))]).sort((a, b) => b[1] - a[1]);
      const total = byPackage.reduce((sum, [, ms]) => sum + ms, 0);
      console.log('unbundled require by package (own time, share of the hooked total):');
      for (const [name, ms] of byPackage)
        console.log(`  ${name.padEnd(20)} ${((100 * ms) / total).toFixed(0).padStart(3)} %`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
