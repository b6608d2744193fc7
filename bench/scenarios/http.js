'use strict';

const { startServer } = require('../lib/children');
const { invoke } = require('../lib/invoke');
const { compareServers } = require('../lib/load');
const { FC_HEADERS, JSON_BODY } = require('../lib/payloads');

/*
 * fc-kernel's own overhead, with handlers that do next to nothing: each scenario loads a bare
 * node:http server and the same handler served by fc-kernel. A server marked `context` is
 * measured alongside but is not the ratio's baseline.
 */
const HTTP_SCENARIOS = [
  {
    name: 'invoke-json',
    what: '~200-byte JSON event, handler echoes one field',
    connections: 10,
    body: JSON_BODY,
    servers: [
      { role: 'baseline', script: 'baseline', arg: 'echo' },
      { role: 'fc-kernel', script: 'framework', arg: 'echo' },
    ],
  },
  {
    name: 'invoke-200-concurrent',
    what: '200 connections, handler awaits setTimeout(5)',
    connections: 200,
    body: JSON_BODY,
    servers: [
      { role: 'baseline', script: 'baseline', arg: 'slow' },
      { role: 'fc-kernel', script: 'framework', arg: 'slow' },
    ],
  },
];

/** Both sides must give the same, successful answer, or the comparison means nothing. */
async function assertSameAnswers(scenario, started) {
  const answers = [];
  for (const server of started) {
    const answer = await invoke(server.port, scenario.body, FC_HEADERS);
    if (answer.statusCode !== 200 || answer.fcStatus !== '200') {
      throw new Error(`${scenario.name}: ${server.label} answered ${answer.statusCode}: ${answer.body}`);
    }
    answers.push(JSON.parse(answer.body));
  }
  const first = JSON.stringify(answers[0]);
  for (let i = 1; i < answers.length; i++) {
    if (JSON.stringify(answers[i]) !== first) {
      throw new Error(`${scenario.name}: answers differ: ${first} vs ${JSON.stringify(answers[i])}`);
    }
  }
}

async function runHttpScenario(scenario, settings, log) {
  const started = [];
  try {
    for (const spec of scenario.servers) {
      started.push(await startServer(spec.script, spec.arg, { cpu: settings.cpu }));
    }
    await assertSameAnswers(scenario, started);
    const load = {
      connections: scenario.connections,
      pipelining: settings.pipelining,
      duration: settings.duration,
      warmup: settings.warmup,
      rounds: settings.rounds,
      body: scenario.body,
      headers: FC_HEADERS,
    };
    const measured = await compareServers(started, load, (server, run) =>
      log(
        `  ${scenario.name} ${server.label}: ${Math.round(run.rps)} req/s, p99 ${run.p99.toFixed(2)} ms, ${run.cpuPerRequest.toFixed(1)} CPU µs/req`,
      ),
    );
    return {
      name: scenario.name,
      what: scenario.what,
      connections: scenario.connections,
      results: scenario.servers.map((spec, i) => ({ role: spec.role, context: !!spec.context, ...measured[i] })),
    };
  } finally {
    for (const server of started) await server.stop();
  }
}

module.exports = { HTTP_SCENARIOS, runHttpScenario };
