'use strict';

/*
 * Runs the benchmarks and writes bench/results.md. Usage (after `npm run build` at the root):
 *   node bench/run.js            full run, a few minutes, writes bench/results.md
 *   node bench/run.js --quick    smoke check, under a minute, prints only
 * Options: --only=invoke-json,cold-start,...  --no-pin  --out=<file>
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const prettier = require('prettier');
const { measuredCpu } = require('./lib/children');
const { ROOT } = require('./lib/paths');
const { toMarkdown } = require('./lib/report');
const { runColdStart } = require('./scenarios/coldStart');
const { runDispatch } = require('./scenarios/dispatch');
const { HTTP_SCENARIOS, runHttpScenario } = require('./scenarios/http');

const PROFILES = {
  full: { duration: 5, warmup: 2, rounds: 5, coldRuns: 15, dispatchMs: 2000 },
  quick: { duration: 1, warmup: 1, rounds: 2, coldRuns: 5, dispatchMs: 300 },
};

function parseArgs(argv) {
  const args = { quick: false, pin: true, only: undefined, out: undefined };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--no-pin') args.pin = false;
    else if (arg.startsWith('--only=')) args.only = arg.slice('--only='.length).split(',');
    else if (arg.startsWith('--out=')) args.out = path.resolve(arg.slice('--out='.length));
    else throw new Error(`unknown option ${arg}; see the top of bench/run.js`);
  }
  return args;
}

function loadAverage() {
  return os.loadavg()[0].toFixed(2);
}

function commit() {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${hash} (src/ modified)` : hash;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const selected = (name) => !args.only || args.only.includes(name);
  const settings = {
    ...PROFILES[args.quick ? 'quick' : 'full'],
    quick: args.quick,
    pipelining: 1,
    cpu: measuredCpu(args.pin),
    date: new Date().toISOString(),
    loadStart: loadAverage(),
    commit: commit(),
  };
  const log = (line) => process.stderr.write(`${line}\n`);
  const report = { settings };

  for (const scenario of HTTP_SCENARIOS.filter((s) => selected(s.name))) {
    log(`${scenario.name}...`);
    (report.http ??= []).push(await runHttpScenario(scenario, settings, log));
  }
  if (selected('cold-start')) {
    log('cold-start...');
    report.coldStart = await runColdStart(settings, log);
  }
  if (selected('dispatch')) {
    log('dispatch...');
    report.dispatch = await runDispatch(settings, log);
  }

  settings.loadEnd = loadAverage();
  // Formatted as the repository's prettier config wants it, so results.md passes format:check.
  const file = path.join(__dirname, 'results.md');
  const markdown = await prettier.format(toMarkdown(report), {
    ...(await prettier.resolveConfig(file)),
    filepath: file,
  });
  process.stdout.write(`\n${markdown}`);
  const out = args.out ?? (args.quick || args.only ? undefined : file);
  if (out) {
    fs.writeFileSync(out, markdown);
    log(`written to ${path.relative(process.cwd(), out)}`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
