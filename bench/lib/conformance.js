'use strict';

const { setTimeout: sleep } = require('node:timers/promises');
const { startContender } = require('./contenderProcess');
const { invoke } = require('./invoke');
const { FC_HEADERS, INVALID_ORDER_BODY, MALFORMED_BODY, ORDER_BODY, ORDER_RESULT } = require('./payloads');

const MARKER_WAIT_MS = 2000;

/*
 * Before anything is timed, every contender must do the same work as FC requires it: answer the
 * order with the sample's result, refuse a bad one and a body that is not JSON with 404, FC's
 * error JSON and `x-fc-status`, and write the marker lines of each invocation on stdout.
 */
const CASES = [
  { id: 'bench-check-valid', body: ORDER_BODY, status: 200 },
  { id: 'bench-check-invalid', body: INVALID_ORDER_BODY, status: 404 },
  { id: 'bench-check-malformed', body: MALFORMED_BODY, status: 404 },
];

function problemWithAnswer(check, answer) {
  if (answer.statusCode !== check.status || answer.fcStatus !== String(check.status)) {
    return `answered ${answer.statusCode} with x-fc-status ${answer.fcStatus}, not ${check.status}`;
  }
  let body;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `answered a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (check.status === 200) {
    return JSON.stringify(body) === JSON.stringify(ORDER_RESULT)
      ? undefined
      : `answered ${answer.body}, not ${JSON.stringify(ORDER_RESULT)}`;
  }
  const shaped =
    typeof body.errorMessage === 'string' && typeof body.errorType === 'string' && Array.isArray(body.stackTrace);
  return shaped ? undefined : `answered ${answer.body.slice(0, 200)}, not FC's {errorMessage, errorType, stackTrace}`;
}

function missingMarkers(stdout) {
  const missing = [];
  for (const { id } of CASES) {
    if (!stdout.includes(`FC Invoke Start RequestId: ${id}\n`)) missing.push(`FC Invoke Start RequestId: ${id}`);
    if (!new RegExp(`^FC Invoke End RequestId: ${id}(, Error: .*)?$`, 'm').test(stdout)) {
      missing.push(`FC Invoke End RequestId: ${id}`);
    }
  }
  return missing;
}

/** Throws, naming the contender and what it got wrong, unless it does the work as FC requires. */
async function checkConformance(contender, { cpu }) {
  const server = await startContender(contender, { cpu, stdout: 'pipe' });
  let stdout = '';
  server.child.stdout.setEncoding('utf8');
  server.child.stdout.on('data', (chunk) => (stdout += chunk));
  try {
    await server.firstAnswer();
    for (const check of CASES) {
      const answer = await invoke(server.port, check.body, { ...FC_HEADERS, 'x-fc-request-id': check.id });
      const problem = problemWithAnswer(check, answer);
      if (problem) throw new Error(`${contender.label}: ${check.id} ${problem}`);
    }
    // Some contenders write the end marker after the response has gone.
    const deadline = Date.now() + MARKER_WAIT_MS;
    while (missingMarkers(stdout).length > 0 && Date.now() < deadline) await sleep(10);
    const missing = missingMarkers(stdout);
    if (missing.length > 0) throw new Error(`${contender.label}: no marker line ${missing.join(', ')} on stdout`);
  } finally {
    await server.stop();
  }
}

module.exports = { checkConformance };
