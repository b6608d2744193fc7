'use strict';

const os = require('node:os');

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => n.toFixed(2);
const us = (n) => n.toFixed(1);
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function environment(settings) {
  const cpus = os.cpus();
  return [
    `- Date: ${settings.date}`,
    `- Node.js: ${process.version} (${process.platform} ${process.arch})`,
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    `- Commit: ${settings.commit}`,
    `- Mode: ${settings.quick ? 'quick (smoke check, not for comparison)' : 'full'}`,
    `- HTTP load: autocannon, pipelining ${settings.pipelining}, ${settings.duration} s per round, ${settings.rounds} rounds alternating baseline and fc-kernel (medians shown), one ${settings.warmup} s warm-up run per server discarded; server child ${settings.cpu === undefined ? 'not pinned' : `pinned to CPU ${settings.cpu} (taskset), load generator free to use the others`}`,
    `- Requests: \`POST /invoke\` with FC's request headers (request id and a role's credentials, so redaction is active); fc-kernel's log and marker lines go to the child's stdout, /dev/null`,
    `- Cold start: ${settings.coldRuns} runs per case, alternating, after one discarded run each`,
    `- Dispatch: ${settings.rounds} rounds of ${settings.dispatchMs} ms per side, alternating, sequential awaits, log sink a no-op; ops per CPU second of the process`,
    `- Load average (1 min) at start / end: ${settings.loadStart} / ${settings.loadEnd} on ${cpus.length} CPUs (other processes on the host make req/s noisy; CPU µs per request much less so)`,
  ].join('\n');
}

function httpSection(scenarios) {
  const rows = [];
  const context = [];
  for (const s of scenarios) {
    const [base, kernel] = s.results.filter((r) => !r.context);
    rows.push([
      `\`${s.name}\``,
      String(s.connections),
      int(base.rps),
      int(kernel.rps),
      ratio(kernel.rps, base.rps),
      `${ms(base.p50)} / ${ms(base.p99)}`,
      `${ms(kernel.p50)} / ${ms(kernel.p99)}`,
    ]);
    for (const r of s.results.filter((x) => x.context)) {
      context.push(
        `- \`${s.name}\`, ${r.role}: ${int(r.rps)} req/s, p50 / p99 ${ms(r.p50)} / ${ms(r.p99)} ms (fc-kernel at ${ratio(kernel.rps, r.rps)} of it)`,
      );
    }
    const failures = s.results.reduce((sum, r) => sum + r.failures, 0);
    if (failures > 0) context.push(`- \`${s.name}\`: **${failures} failed or non-2xx responses**`);
  }
  const header = [
    'scenario',
    'conns',
    'baseline req/s',
    'fc-kernel req/s',
    'fc-kernel / baseline',
    'baseline p50 / p99 ms',
    'fc-kernel p50 / p99 ms',
  ];
  const what = scenarios.map((s) => `- \`${s.name}\`: ${s.what}`).join('\n');
  const cpuRows = scenarios.map((s) => {
    const [base, kernel] = s.results.filter((r) => !r.context);
    const user = (r) => r.cpuPerRequest - r.systemCpuPerRequest;
    return [
      `\`${s.name}\``,
      us(base.cpuPerRequest),
      us(kernel.cpuPerRequest),
      ratio(kernel.cpuPerRequest, base.cpuPerRequest),
      us(user(base)),
      us(user(kernel)),
      us(user(kernel) - user(base)),
    ];
  });
  const cpuHeader = [
    'scenario',
    'baseline CPU µs/req',
    'fc-kernel CPU µs/req',
    'fc-kernel / baseline',
    'baseline user µs/req',
    'fc-kernel user µs/req',
    'user µs added',
  ];
  return [
    table(header, rows),
    '',
    what,
    ...(context.length ? ['', 'Context:', '', ...context] : []),
    '',
    "Server CPU time per request (user + system, from the child's `process.cpuUsage()`, medians):",
    '',
    table(cpuHeader, cpuRows),
  ].join('\n');
}

function coldStartSection(results) {
  const bare = results.find((r) => r.name === 'bare node:http server');
  const rows = results.map((r) => [
    r.name,
    r.kind,
    String(r.runs.length),
    ms(r.median),
    ms(r.p90),
    r.kind === 'first answer' ? ratio(r.median, bare.median) : '',
  ]);
  return table(['case', 'measures', 'runs', 'median ms', 'p90 ms', 'median / bare'], rows);
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
      ['case', 'hand-written ops/s', 'kernel.dispatch ops/s', 'fc-kernel / baseline', 'CPU µs added per call'],
      rows,
    ),
    '',
    what,
  ].join('\n');
}

function rawSection(report) {
  const lines = [];
  for (const s of report.http ?? []) {
    for (const r of s.results)
      lines.push(`- ${s.name}, ${r.role}: ${r.rounds.map((x) => int(x.rps)).join(', ')} req/s`);
  }
  for (const r of report.coldStart ?? []) lines.push(`- ${r.name}: ${r.runs.map(ms).join(', ')} ms`);
  for (const r of report.dispatch ?? []) {
    lines.push(`- ${r.name}, baseline: ${r.rounds.baseline.map(int).join(', ')} ops/s`);
    lines.push(`- ${r.name}, fc-kernel: ${r.rounds['fc-kernel'].map(int).join(', ')} ops/s`);
  }
  return lines.join('\n');
}

/** The whole report as Markdown: what `bench/results.md` holds and what is printed. */
function toMarkdown(report) {
  const parts = ['# fc-kernel benchmark results', '', environment(report.settings), ''];
  parts.push(
    'Ratios are fc-kernel divided by the bare `node:http` baseline doing the same work in the same setup: ' +
      "1.00× means no overhead; for req/s, 0.80× means fc-kernel serves 80 % of the baseline's requests per second; " +
      'for CPU time and cold start, 1.50× means fc-kernel takes 50 % more. See `bench/README.md`.',
    '',
  );
  if (report.http) parts.push('## HTTP throughput and latency', '', httpSection(report.http), '');
  if (report.coldStart) {
    parts.push(
      '## Cold start',
      '',
      'Spawn to first successful `/invoke` answer; `require` timed inside a fresh process.',
      '',
    );
    parts.push(coldStartSection(report.coldStart), '');
  }
  if (report.dispatch) parts.push('## In-process dispatch (no HTTP)', '', dispatchSection(report.dispatch), '');
  parts.push('## Every round', '', rawSection(report), '');
  return parts.join('\n');
}

module.exports = { toMarkdown };
