'use strict';

const { startChild } = require('../lib/children');
const { median } = require('../lib/stats');

const DISPATCH_CASES = [
  { name: 'dispatch-json', fixture: 'echo', what: 'JSON event, echo one field' },
  { name: 'dispatch-dto', fixture: 'order', what: 'order-service event validated (class-validator on both sides)' },
];

async function runDispatch(settings, log) {
  const results = [];
  for (const c of DISPATCH_CASES) {
    const child = startChild('dispatch', [c.fixture, String(settings.dispatchMs), String(settings.rounds)], {
      cpu: settings.cpu,
    });
    const rounds = await child.nextMessage();
    await child.stop();
    const baseline = median(rounds.baseline);
    const kernel = median(rounds['fc-kernel']);
    log(`  ${c.name}: baseline ${Math.round(baseline)} ops/s, fc-kernel ${Math.round(kernel)} ops/s`);
    results.push({ name: c.name, what: c.what, rounds, baseline, kernel });
  }
  return results;
}

module.exports = { runDispatch };
