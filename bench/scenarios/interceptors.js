'use strict';

const { startChild } = require('../lib/children');
const { median } = require('../lib/stats');
const { JSON_BODY } = require('../lib/payloads');
const { runHttpScenario } = require('./http');

/*
 * What interceptors cost a function: the echo handler without interceptors, with an empty list
 * (which must cost nothing), and inside one pass-through interceptor (the least an interceptor
 * costs), against the bare node:http server, over HTTP and in process. With `compareBuild` (the
 * `dist/` of another build, e.g. of the commit before a change) its echo is measured alongside.
 */
async function runInterceptors(settings, log) {
  const servers = [
    { role: 'baseline', script: 'baseline', arg: 'echo' },
    { role: 'no interceptors', script: 'framework', arg: 'echo' },
    { role: 'empty list', script: 'framework', arg: 'echo-empty-interceptors' },
    { role: 'pass-through', script: 'framework', arg: 'echo-pass-through' },
  ];
  if (settings.compareBuild) {
    servers.push({
      role: 'compared build',
      script: 'framework',
      arg: ['echo', settings.compareBuild],
    });
  }
  const http = await runHttpScenario(
    {
      name: 'interceptors-http',
      what: '~200-byte JSON event, handler echoes one field, 10 connections',
      connections: 10,
      body: JSON_BODY,
      servers,
    },
    settings,
    log,
  );

  const args = [String(settings.dispatchMs), String(settings.rounds)];
  if (settings.compareBuild) args.push(settings.compareBuild);
  const child = startChild('interceptors', args, { cpu: settings.cpu });
  const rounds = await child.nextMessage();
  await child.stop();
  const inProcess = Object.entries(rounds).map(([role, micros]) => ({ role, rounds: micros, micros: median(micros) }));
  for (const r of inProcess) log(`  interceptors in process, ${r.role}: ${r.micros.toFixed(2)} CPU µs per call`);
  return { compareBuild: settings.compareBuild, http, inProcess };
}

module.exports = { runInterceptors };
