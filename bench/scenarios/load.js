'use strict';

const { startContender } = require('../lib/contenderProcess');
const { compareServers } = require('../lib/load');
const { FC_HEADERS, ORDER_BODY } = require('../lib/payloads');

/**
 * Throughput, latency, CPU per request and peak RSS of every contender under the same load:
 * all of them started, then loaded in turn (a warm-up each, then rounds in alternating order).
 * Peak RSS is the server's high-water mark once its rounds are over.
 */
async function runLoad(contenders, settings, log) {
  const servers = [];
  try {
    for (const contender of contenders) servers.push(await startContender(contender, { cpu: settings.cpu }));
    await Promise.all(servers.map((server) => server.firstAnswer()));
    const load = {
      connections: settings.connections,
      pipelining: settings.pipelining,
      duration: settings.duration,
      warmup: settings.warmup,
      rounds: settings.rounds,
      body: ORDER_BODY,
      headers: FC_HEADERS,
    };
    const measured = await compareServers(servers, load, (server, run) =>
      log(
        `  load ${server.label}: ${Math.round(run.rps)} req/s, p99 ${run.p99.toFixed(2)} ms, ${run.cpuPerRequest.toFixed(1)} CPU µs/req`,
      ),
    );
    return contenders.map((c, i) => ({ name: c.name, ...measured[i], peakRss: servers[i].peakRss() }));
  } finally {
    for (const server of servers) await server.stop();
  }
}

module.exports = { runLoad };
