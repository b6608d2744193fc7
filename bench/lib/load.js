'use strict';

const autocannon = require('autocannon');
const { median, percentile } = require('./stats');

/**
 * One autocannon run against `POST /invoke`. Latencies are taken from autocannon's per-response
 * event (fractional milliseconds) because its own histogram rounds to whole milliseconds, which
 * hides everything under 1 ms.
 */
async function loadOnce(port, { connections, pipelining, duration, body, headers }) {
  const latencies = [];
  const tracker = autocannon({
    url: `http://127.0.0.1:${port}/invoke`,
    method: 'POST',
    headers,
    body,
    connections,
    pipelining,
    duration,
  });
  tracker.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await tracker;
  return {
    rps: result.requests.total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Loads each server in turn with the same settings: one discarded warm-up run each, then `rounds`
 * rounds whose order alternates (A B, B A, ...) so that drift (thermal, other tenants) hits every
 * server alike. Answers each server's rounds and their medians.
 */
async function compareServers(servers, settings, onRound = () => {}) {
  for (const server of servers) await loadOnce(server.port, { ...settings, duration: settings.warmup });
  const rounds = servers.map(() => []);
  for (let r = 0; r < settings.rounds; r++) {
    const order = servers.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const run = await loadOnce(servers[i].port, settings);
      rounds[i].push(run);
      onRound(servers[i], run);
    }
  }
  return rounds.map((runs) => ({
    rounds: runs,
    rps: median(runs.map((x) => x.rps)),
    p50: median(runs.map((x) => x.p50)),
    p99: median(runs.map((x) => x.p99)),
    failures: runs.reduce((sum, x) => sum + x.failures, 0),
  }));
}

module.exports = { loadOnce, compareServers };
