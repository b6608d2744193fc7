'use strict';

/*
 * Runs the benchmark. Usage (`npm run bench` at the repository root installs bench/'s
 * dependencies, builds both and runs this):
 *   node bench/run.js            full run, several minutes: prints the summary table and writes
 *                                bench/results.md, bench/results.json and the README's table
 *   node bench/run.js --quick    a few seconds per contender: a smoke check of the harness, prints only
 * Options (a run with any of them prints only):
 *   --only=load,cold-start,validation,memory,overhead,interceptors,telemetry   some parts (every contender is checked first anyway)
 *   --contenders=fc-kernel,fastify               some contenders (the floor always runs)
 *   --no-pin                                     no CPU pinning
 *   --compare-build=PATH                         the interceptor part also measures the echo function of
 *                                                another build of the repository (its dist/, e.g. main's)
 */

const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { measuredCpu, pinSelfAwayFrom } = require('./lib/children');
const { checkConformance } = require('./lib/conformance');
const { CONTENDER_NAMES, selectContenders } = require('./lib/contenders');
const { ROOT } = require('./lib/paths');
const { summaryBlock, updateReadme, writeResults } = require('./lib/publish');
const { interceptorsSection, telemetrySection, toMarkdown } = require('./lib/report');
const { runColdStart } = require('./scenarios/coldStart');
const { runDispatch } = require('./scenarios/dispatch');
const { runInterceptors } = require('./scenarios/interceptors');
const { runTelemetry } = require('./scenarios/telemetry');
const { HTTP_SCENARIOS, runHttpScenario } = require('./scenarios/http');
const { runLoad } = require('./scenarios/load');
const { runMemory } = require('./scenarios/memory');
const { runValidationCost } = require('./scenarios/validation');

const PROFILES = {
  full: {
    duration: 5,
    warmup: 2,
    rounds: 5,
    coldRuns: 15,
    coldDiscarded: 1,
    validationWarmUpMs: 1000,
    validationMs: 500,
    dispatchMs: 2000,
    memory: { invocations: 200_000, checkpoints: 4 },
  },
  quick: {
    duration: 1,
    warmup: 0.5,
    rounds: 1,
    coldRuns: 3,
    coldDiscarded: 0,
    validationWarmUpMs: 100,
    validationMs: 100,
    dispatchMs: 200,
    memory: { invocations: 4_000, checkpoints: 2 },
  },
};
const PARTS = ['load', 'cold-start', 'validation', 'memory', 'overhead', 'interceptors', 'telemetry'];

function parseArgs(argv) {
  const args = { quick: false, pin: true, only: undefined, contenders: undefined, compareBuild: undefined };
  const list = (arg, name, allowed) => {
    const values = arg.slice(`--${name}=`.length).split(',');
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length > 0) throw new Error(`unknown ${name} ${unknown.join(', ')}; one of: ${allowed.join(', ')}`);
    return values;
  };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--no-pin') args.pin = false;
    else if (arg.startsWith('--only=')) args.only = list(arg, 'only', PARTS);
    else if (arg.startsWith('--contenders=')) args.contenders = list(arg, 'contenders', CONTENDER_NAMES);
    else if (arg.startsWith('--compare-build=')) args.compareBuild = path.resolve(arg.slice('--compare-build='.length));
    else throw new Error(`unknown option ${arg}; see the top of bench/run.js`);
  }
  return args;
}

function commit() {
  try {
    const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src');
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (src/ modified)' : ''}`;
  } catch {
    return 'unknown';
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    date: new Date().toISOString(),
    commit: commit(),
    loadStart: os.loadavg()[0].toFixed(2),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const selected = (part) => !args.only || args.only.includes(part);
  const cpu = measuredCpu(args.pin);
  const settings = {
    ...PROFILES[args.quick ? 'quick' : 'full'],
    quick: args.quick,
    compareBuild: args.compareBuild,
    connections: 50,
    pipelining: 1,
    cpu,
    loadCpus: pinSelfAwayFrom(cpu),
  };
  const started = performance.now();
  const log = (line) =>
    process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}\n`);
  const { selected: contenders, skipped } = selectContenders(args.contenders);
  const report = {
    machine: machine(),
    settings,
    contenders: contenders.map(({ name, label, stack, validation }) => ({ name, label, stack, validation })),
    skipped,
  };
  for (const s of skipped) log(`not run: ${s.name}, ${s.why}`);

  log('checking that every contender does the work as FC requires...');
  for (const c of contenders) await checkConformance(c, settings);
  if (selected('load')) {
    log('load...');
    report.load = await runLoad(contenders, settings, log);
  }
  if (selected('cold-start')) {
    log('cold start...');
    report.coldStart = await runColdStart(contenders, settings, log);
  }
  if (selected('validation')) {
    log('validation cost...');
    report.validation = await runValidationCost(settings, log);
  }
  if (selected('memory')) {
    log('memory over many invocations...');
    report.memory = await runMemory(settings, log);
  }
  if (selected('overhead')) {
    report.overhead = { http: [] };
    for (const scenario of HTTP_SCENARIOS) {
      log(`fc-kernel's overhead, ${scenario.name}...`);
      report.overhead.http.push(await runHttpScenario(scenario, settings, log));
    }
    log("fc-kernel's overhead, dispatch...");
    report.overhead.dispatch = await runDispatch(settings, log);
  }
  if (selected('interceptors')) {
    log('what interceptors cost...');
    report.interceptors = await runInterceptors(settings, log);
  }
  if (selected('telemetry')) {
    log('what telemetry costs...');
    report.telemetry = await runTelemetry(settings, log);
  }
  report.machine.loadEnd = os.loadavg()[0].toFixed(2);

  process.stdout.write(`\n${summaryBlock(report)}\n`);
  if (report.interceptors) process.stdout.write(`\n${interceptorsSection(report.interceptors)}\n`);
  if (report.telemetry) process.stdout.write(`\n${telemetrySection(report.telemetry)}\n`);
  if (args.quick || args.only || args.contenders || args.compareBuild) return;
  const written = await writeResults(report, toMarkdown(report), __dirname);
  await updateReadme(report);
  log(`written: ${[...written.map((f) => path.relative(process.cwd(), f)), 'README.md'].join(', ')}`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
