'use strict';

const { startChild } = require('../lib/children');
const { median } = require('../lib/stats');

/*
 * What telemetry costs a function, in process: CPU µs per `kernel.respond` of the echo function
 * without observers, with the layer and nothing on, with tracing at a 0 % sampler, and at 100 %
 * exporting to a local collector (see children/telemetry.js).
 */
async function runTelemetry(settings, log) {
  const child = startChild('telemetry', [String(settings.dispatchMs), String(settings.rounds)], { cpu: settings.cpu });
  const rounds = await child.nextMessage();
  await child.stop();
  const results = Object.entries(rounds).map(([role, micros]) => ({ role, rounds: micros, micros: median(micros) }));
  for (const r of results) log(`  telemetry in process, ${r.role}: ${r.micros.toFixed(2)} CPU µs per call`);
  return { results };
}

module.exports = { runTelemetry };
