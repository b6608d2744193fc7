'use strict';

const { startChild } = require('../lib/children');
const { median } = require('../lib/stats');

/** How many other DTO classes the application has loaded when the order is validated. */
const EXTRA_DTO_COUNTS = [0, 100, 1000];

/**
 * Validation alone, in process: one child per count of extra DTO classes (class-validator's
 * store cannot be emptied once filled), each measuring every engine in alternating rounds.
 */
async function runValidationCost(settings, log) {
  const results = [];
  for (const extra of EXTRA_DTO_COUNTS) {
    const child = startChild(
      'validationCost',
      [extra, settings.validationWarmUpMs, settings.validationMs, settings.rounds].map(String),
      {
        cpu: settings.cpu,
      },
    );
    const rounds = await child.nextMessage();
    await child.stop();
    const engines = Object.fromEntries(
      Object.entries(rounds).map(([name, runs]) => [name, { rounds: runs, median: median(runs) }]),
    );
    log(
      `  validation, ${extra} extra DTO classes: ${Object.entries(engines)
        .map(([name, e]) => `${name} ${e.median.toFixed(2)} µs`)
        .join(', ')}`,
    );
    results.push({ extra, engines });
  }
  return results;
}

module.exports = { runValidationCost, EXTRA_DTO_COUNTS };
