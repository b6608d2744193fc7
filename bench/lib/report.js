'use strict';

const { int, mb, micros, ms, ratio, table, us } = require('./format');
const { machineLine, summaryLegend, summaryTable } = require('./summaryTable');

/*
 * bench/results.md: the summary table, then every figure behind it, fc-kernel's own overhead
 * and every round, with the settings and the machine.
 */

function environment({ machine, settings }) {
  const pin =
    settings.cpu === undefined
      ? 'servers not pinned'
      : `every server pinned to CPU ${settings.cpu} (taskset), the load generator to CPU ${settings.loadCpus}`;
  return [
    `- Machine: ${machineLine(machine)}`,
    `- Mode: ${settings.quick ? 'quick (a smoke check of the harness, not for comparison)' : 'full'}`,
    `- Load: autocannon, ${settings.connections} connections, pipelining ${settings.pipelining}, ${settings.duration} s per round, ${settings.rounds} rounds alternating the contenders (medians shown), one ${settings.warmup} s warm-up run each, discarded; ${pin}`,
    `- Requests: \`POST /invoke\` with FC's request headers (request id and a role's credentials); every contender's log and marker lines go to its stdout, /dev/null`,
    `- Cold start: ${settings.coldRuns} runs per case, alternating, after ${settings.coldDiscarded} discarded run(s) each`,
    `- Validation: ${settings.rounds} rounds of ${settings.validationMs} ms per engine, alternating, after a ${settings.validationWarmUpMs} ms warm-up each, discarded; CPU time of the process`,
    `- Before any of it, every contender answered the order, a bad order and a body that is not JSON as FC requires (status, \`x-fc-status\`, result or FC's error JSON, marker lines)`,
  ].join('\n');
}

function contendersSection(report) {
  const lines = report.contenders.map((c) => `- **${c.label}**: ${c.stack}`);
  for (const s of report.skipped ?? []) lines.push(`- not run: ${s.name}, ${s.why}`);
  return lines.join('\n');
}

function loadSection(report) {
  const labels = new Map(report.contenders.map((c) => [c.name, c.label]));
  const user = (r) => r.cpuPerRequest - r.systemCpuPerRequest;
  const rows = report.load.map((r) => [
    labels.get(r.name),
    int(r.rps),
    ms(r.p50),
    ms(r.p99),
    us(r.cpuPerRequest),
    us(user(r)),
    `${Math.round(100 * r.serverBusy)} %`,
    mb(r.peakRss),
    String(r.failures),
  ]);
  return [
    table(
      [
        'contender',
        'req/s',
        'p50 ms',
        'p99 ms',
        'CPU µs/req',
        'user µs/req',
        'server CPU busy',
        'peak RSS MB',
        'failed',
      ],
      rows,
    ),
    '',
    "CPU per request is the server's user + system time (from /proc) over the requests it answered: it moves much less than req/s when other processes compete for the CPUs. Server CPU busy is that time over the round's: well under 100 % means the server waited for requests (the load generator or the machine set the pace). Peak RSS is the server's VmHWM after its rounds.",
  ].join('\n');
}

function coldStartSection(results) {
  const floor = results.find((r) => r.name === 'floor');
  const rows = results.map((r) => [
    r.label,
    r.kind,
    String(r.runs.length),
    ms(r.median),
    ms(r.p90),
    r.kind === 'first answer' && floor ? ratio(r.median, floor.median) : '',
  ]);
  return [
    table(['case', 'measures', 'runs', 'median ms', 'p90 ms', 'median ÷ floor'], rows),
    '',
    'Spawn to the first `200` with `x-fc-status: 200` from `/invoke`; `require` is timed inside a fresh process. The difference between the two `require` rows is what loading fc-kernel’s own modules costs.',
  ].join('\n');
}

function validationSection(results) {
  const engines = Object.keys(results[0].engines);
  const floor = 'hand-written';
  const rows = engines.map((engine) => {
    const medians = results.map((v) => v.engines[engine].median);
    return [
      engine,
      ...medians.map((m, i) => `${micros(m)} (${ratio(m, results[i].engines[floor].median)})`),
      ratio(medians.at(-1), medians[0]),
    ];
  });
  const counts = results.map((v) => `${v.extra.toLocaleString('en-US')} extra DTOs`);
  return [
    table(['engine', ...counts.map((c) => `µs/event, ${c}`), `${counts.at(-1)} ÷ ${counts[0]}`], rows),
    '',
    "CPU µs to validate one parsed 5-item order, in process, each ratio to the hand-written checks at the same count. Engines: `hand-written` the floor's checks; `class-validator` `plainToInstance` + `validate` as the Express and Fastify contenders call them; `ValidationPipe` the NestJS contender's pipe; `fc-kernel …` the per-event function of fc-kernel's engine. The extra classes (5 to 6 decorated properties each, nested in a chain) are declared before anything is measured, in a fresh process per count.",
  ].join('\n');
}

function overheadHttpSection(scenarios) {
  const rows = [];
  const notes = [];
  for (const s of scenarios) {
    const [base, kernel] = s.results.filter((r) => !r.context);
    const user = (r) => r.cpuPerRequest - r.systemCpuPerRequest;
    rows.push([
      `\`${s.name}\``,
      String(s.connections),
      int(base.rps),
      int(kernel.rps),
      ratio(kernel.rps, base.rps),
      `${ms(base.p50)} / ${ms(base.p99)}`,
      `${ms(kernel.p50)} / ${ms(kernel.p99)}`,
      us(user(kernel) - user(base)),
    ]);
    notes.push(`- \`${s.name}\`: ${s.what}`);
    const failures = s.results.reduce((sum, r) => sum + r.failures, 0);
    if (failures > 0) notes.push(`- \`${s.name}\`: **${failures} failed or non-2xx responses**`);
  }
  const header = [
    'scenario',
    'conns',
    'bare req/s',
    'fc-kernel req/s',
    'fc-kernel ÷ bare',
    'bare p50 / p99 ms',
    'fc-kernel p50 / p99 ms',
    'user µs added per request',
  ];
  return [table(header, rows), '', ...notes].join('\n');
}

function dispatchSection(results) {
  const rows = results.map((r) => [
    `\`${r.name}\``,
    int(r.baseline),
    int(r.kernel),
    ratio(r.kernel, r.baseline),
    (1e6 / r.kernel - 1e6 / r.baseline).toFixed(1),
  ]);
  const what = results.map((r) => `- \`${r.name}\`: ${r.what}`).join('\n');
  return [
    table(
      ['case', 'hand-written ops/s', 'kernel.dispatch ops/s', 'fc-kernel ÷ hand-written', 'CPU µs added per call'],
      rows,
    ),
    '',
    what,
  ].join('\n');
}

/** The interceptor part: each variant of the echo function against the bare server and in process. */
function interceptorsSection(interceptors) {
  const { http, inProcess, compareBuild } = interceptors;
  const base = http.results[0];
  const plain = http.results[1];
  const httpRows = http.results.map((r) => [
    r.role,
    int(r.rps),
    ratio(r.rps, base.rps),
    us(r.cpuPerRequest),
    ratio(r.cpuPerRequest, base.cpuPerRequest),
    r === base ? '' : us(r.cpuPerRequest - plain.cpuPerRequest),
    `${ms(r.p50)} / ${ms(r.p99)}`,
  ]);
  const floor = inProcess[0];
  const none = inProcess[1];
  const inProcessRows = inProcess.map((r) => [
    r.role,
    micros(r.micros),
    ratio(r.micros, floor.micros),
    r === floor ? '' : (r.micros - none.micros).toFixed(2),
  ]);
  const compared = compareBuild
    ? ` \`compared build\`: the same echo function served by the build in \`${compareBuild}\`.`
    : '';
  return [
    table(
      ['server', 'req/s', '÷ bare', 'CPU µs/request', 'CPU ÷ bare', 'CPU µs vs no interceptors', 'p50 / p99 ms'],
      httpRows,
    ),
    '',
    table(['in process', 'CPU µs per call', '÷ hand-written', 'µs vs no interceptors'], inProcessRows),
    '',
    `The echo function (${http.what}) with no interceptor, an empty \`interceptors\` list, and one pass-through interceptor \`(invocation, next) => next()\`, each served by \`serve()\` in a server of its own, rounds alternating; in process, \`kernel.respond\` back to back (CPU time of the process, rounds alternating).${compared}`,
  ].join('\n');
}

function telemetrySection(telemetry) {
  const none = telemetry.results[0];
  const rows = telemetry.results.map((r) => [
    r.role,
    micros(r.micros),
    ratio(r.micros, none.micros),
    r === none ? '' : (r.micros - none.micros).toFixed(2),
  ]);
  return [
    table(['in process', 'CPU µs per call', '÷ no observers', 'µs vs no observers'], rows),
    '',
    'The echo function by `kernel.respond` back to back (CPU time of the process, rounds alternating): without observers, with `telemetry()` and nothing switched on, with tracing on and a 0 % sampler, and with every invocation traced, exporting OTLP/protobuf to a collector on 127.0.0.1 in another process, before each answer or in batches (as with `/pre-freeze`).',
  ].join('\n');
}

function memorySection(memory) {
  const rows = memory.checkpoints.map((c) => [
    c.invocations.toLocaleString('en-US'),
    c.heapUsedMB.toFixed(2),
    c.rssMB.toFixed(1),
  ]);
  const { ok, failed, errors } = memory.statuses;
  return [
    table(['invocations served', 'heap after a full GC, MB', 'RSS, MB'], rows),
    '',
    `fc-kernel serving the order function, valid and invalid orders alternating (${int(ok)} answered 200, ${int(failed)} FC errors, ${int(errors)} transport errors), each with a request id of its own; the heap measured after \`global.gc()\` at each checkpoint. Growth from the first checkpoint to the last: ${memory.heapGrowthMB.toFixed(2)} MB, ${memory.bytesPerInvocation.toFixed(2)} bytes per invocation.`,
  ].join('\n');
}

function roundsSection(report) {
  const labels = new Map(report.contenders.map((c) => [c.name, c.label]));
  const lines = [];
  for (const r of report.load ?? []) {
    lines.push(`- load, ${labels.get(r.name)}: ${r.rounds.map((x) => int(x.rps)).join(', ')} req/s`);
  }
  for (const r of report.coldStart ?? []) lines.push(`- cold start, ${r.label}: ${r.runs.map(ms).join(', ')} ms`);
  for (const v of report.validation ?? []) {
    for (const [engine, e] of Object.entries(v.engines)) {
      lines.push(`- validation, ${v.extra} extra, ${engine}: ${e.rounds.map(micros).join(', ')} µs`);
    }
  }
  for (const s of report.overhead?.http ?? []) {
    for (const r of s.results)
      lines.push(`- ${s.name}, ${r.role}: ${r.rounds.map((x) => int(x.rps)).join(', ')} req/s`);
  }
  if (report.interceptors) {
    for (const r of report.interceptors.http.results)
      lines.push(`- interceptors over HTTP, ${r.role}: ${r.rounds.map((x) => int(x.rps)).join(', ')} req/s`);
    for (const r of report.interceptors.inProcess)
      lines.push(`- interceptors in process, ${r.role}: ${r.rounds.map(micros).join(', ')} CPU µs per call`);
  }
  for (const r of report.overhead?.dispatch ?? []) {
    lines.push(`- ${r.name}, hand-written: ${r.rounds.baseline.map(int).join(', ')} ops/s`);
    lines.push(`- ${r.name}, fc-kernel: ${r.rounds['fc-kernel'].map(int).join(', ')} ops/s`);
  }
  return lines.join('\n');
}

/** The whole report as Markdown: what `bench/results.md` holds. */
function toMarkdown(report) {
  const parts = ['# fc-kernel benchmark results', '', environment(report), ''];
  parts.push(summaryTable(report), '', summaryLegend(report.settings), '');
  parts.push('## Contenders', '', contendersSection(report), '');
  if (report.load) parts.push('## Load', '', loadSection(report), '');
  if (report.coldStart) parts.push('## Cold start', '', coldStartSection(report.coldStart), '');
  if (report.validation) parts.push('## Validation cost per event', '', validationSection(report.validation), '');
  if (report.memory) parts.push('## Memory over many invocations', '', memorySection(report.memory), '');
  if (report.overhead) {
    parts.push(
      "## fc-kernel's own overhead",
      '',
      'With handlers that do next to nothing, so that the framework is most of the work: a bare `node:http` server against fc-kernel serving the same handler, and `kernel.dispatch` in process against the hand-written handler (log sink a no-op, ops per CPU second).',
      '',
    );
    if (report.overhead.http) parts.push(overheadHttpSection(report.overhead.http), '');
    if (report.overhead.dispatch) parts.push(dispatchSection(report.overhead.dispatch), '');
  }
  if (report.interceptors) parts.push('## What interceptors cost', '', interceptorsSection(report.interceptors), '');
  if (report.telemetry) parts.push('## What telemetry costs', '', telemetrySection(report.telemetry), '');
  parts.push('## Every round', '', roundsSection(report), '');
  return parts.join('\n');
}

module.exports = { interceptorsSection, telemetrySection, toMarkdown };
