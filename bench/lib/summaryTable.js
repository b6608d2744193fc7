'use strict';

const { int, mb, micros, ms, ratio, table, us } = require('./format');

/*
 * The one table of the benchmark: every contender's figures, each with its ratio to the floor's
 * in the same run. It is what the run prints, what results.md starts with and what the README
 * shows.
 */

const NOT_MEASURED = '—';

function withRatio(text, value, floorValue) {
  return value === undefined || floorValue === undefined
    ? NOT_MEASURED
    : `${text(value)} (${ratio(value, floorValue)})`;
}

/** The validation engine's median µs per event at each count of extra DTO classes. */
function validationMedians(report, engine) {
  return (report.validation ?? []).map((v) => v.engines[engine]?.median);
}

function summaryRows(report) {
  const byName = (list, name) => list?.find((r) => r.name === name);
  const floorLoad = byName(report.load, 'floor');
  const floorCold = byName(report.coldStart, 'floor');
  const floorValidation = validationMedians(report, 'hand-written');
  return report.contenders.map((c) => {
    const load = byName(report.load, c.name);
    const cold = byName(report.coldStart, c.name);
    const validation = validationMedians(report, c.validation);
    const growth =
      validation.length > 0 && validation.at(-1) !== undefined ? ratio(validation.at(-1), validation[0]) : NOT_MEASURED;
    return [
      c.label,
      withRatio(int, load?.rps, floorLoad?.rps),
      withRatio(us, load?.cpuPerRequest, floorLoad?.cpuPerRequest),
      withRatio(ms, load?.p99, floorLoad?.p99),
      withRatio((n) => n.toFixed(0), cold?.median, floorCold?.median),
      withRatio(mb, load?.peakRss, floorLoad?.peakRss),
      ...validation.map((v, i) => withRatio(micros, v, floorValidation[i])),
      growth,
    ];
  });
}

function summaryHeader(report) {
  const counts = (report.validation ?? []).map((v) => v.extra.toLocaleString('en-US'));
  return [
    'contender',
    'req/s',
    'server CPU µs/req',
    'p99 ms',
    'cold start ms',
    'peak RSS MB',
    ...counts.map((n, i) => (i === 0 ? `validation µs/event, ${n} extra DTOs` : `${n} extra`)),
    ...(counts.length > 0 ? [`${counts.at(-1)} ÷ ${counts[0]}`] : []),
  ];
}

/** One line: the machine and the run, for the reader to weigh the figures. */
function machineLine(machine) {
  return (
    `${machine.cpuModel} × ${machine.cores} cores, ${machine.platform}, Node.js ${machine.node}; ` +
    `${machine.date.slice(0, 10)}, commit ${machine.commit}; load average ${machine.loadStart} → ${machine.loadEnd}`
  );
}

function summaryTable(report) {
  return table(summaryHeader(report), summaryRows(report));
}

/** What the summary table's figures are, in two sentences. */
function summaryLegend(settings) {
  return (
    "Each figure with its ratio to the floor's in the same run (for req/s higher is better, for the rest lower is better). " +
    `Load: autocannon, ${settings.connections} connections, \`POST /invoke\` of the order sample's 5-item order, medians of ${settings.rounds} rounds; ` +
    "server CPU µs/req: the server's user + system time per request, the figure other work on the machine disturbs least; " +
    `cold start: spawn to the first answered \`/invoke\`, median of ${settings.coldRuns}; ` +
    `validation: CPU µs per event in process, with that many other DTO classes loaded. ${NOT_MEASURED}: not measured in this run.`
  );
}

module.exports = { summaryTable, summaryLegend, machineLine };
