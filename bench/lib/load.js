'use strict';

const autocannon = require('autocannon');
const { median, percentile } = require('./stats');

/**
 * One autocannon run against `POST /invoke` of `server`. Latencies are taken from autocannon's
 * per-response event (fractional milliseconds) because its own histogram rounds to whole
 * milliseconds, which hides everything under 1 ms. The server's CPU time per request is measured
 * too: unlike req/s, it hardly moves when other processes compete for the CPUs.
 */
async function loadOnce(server, { connections, pipelining, duration, body, headers }) {
  const latencies = [];
  const cpuBefore = await server.cpuUsage();
  const tracker = autocannon({
    url: `http://127.0.0.1:${server.port}/invoke`,
    method: 'POST',
    headers,
    body,
    connections,
    pipelining,
    duration,
  });
  tracker.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await tracker;
  const cpuAfter = await server.cpuUsage();
  const requests = result.requests.total;
  const cpu = cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system;
  return {
    rps: requests / result.duration,
    cpuPerRequest: cpu / requests,
    // Under 100 % the server waited for requests: the load generator, not the server, set the pace.
    serverBusy: cpu / (result.duration * 1e6),
    systemCpuPerRequest: (cpuAfter.system - cpuBefore.system) / requests,
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
  for (const server of servers) await loadOnce(server, { ...settings, duration: settings.warmup });
  const rounds = servers.map(() => []);
  for (let r = 0; r < settings.rounds; r++) {
    const order = servers.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const run = await loadOnce(servers[i], settings);
      rounds[i].push(run);
      onRound(servers[i], run);
    }
  }
  return rounds.map((runs) => ({
    rounds: runs,
    rps: median(runs.map((x) => x.rps)),
    cpuPerRequest: median(runs.map((x) => x.cpuPerRequest)),
    systemCpuPerRequest: median(runs.map((x) => x.systemCpuPerRequest)),
    serverBusy: median(runs.map((x) => x.serverBusy)),
    p50: median(runs.map((x) => x.p50)),
    p99: median(runs.map((x) => x.p99)),
    failures: runs.reduce((sum, x) => sum + x.failures, 0),
  }));
}

module.exports = { loadOnce, compareServers };
