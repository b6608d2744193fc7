'use strict';

const autocannon = require('autocannon');
const { startServer } = require('../lib/children');
const { FC_HEADERS, INVALID_ORDER_BODY, ORDER_BODY } = require('../lib/payloads');

/*
 * Whether fc-kernel's memory grows with the invocations it serves: the order function under
 * load, valid and invalid orders alternating (the invalid ones answered with FC's error JSON
 * and an [ERROR] line), the heap measured after a full garbage collection at each checkpoint.
 * A leak of a few bytes per invocation shows as a steady climb from one checkpoint to the next.
 */

const MB = 1024 * 1024;

let requestNumber = 0;

/** A request of its own, as FC sends each: a request id never seen before. */
const withOwnId = (body) => (request) => ({
  ...request,
  headers: { ...request.headers, 'x-fc-request-id': `memory-${++requestNumber}` },
  body,
});

/** `amount` requests, alternating the valid and the invalid order; answers how many of each status. */
async function send(server, amount, connections) {
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/invoke`,
    method: 'POST',
    headers: FC_HEADERS,
    connections,
    amount,
    requests: [{ setupRequest: withOwnId(ORDER_BODY) }, { setupRequest: withOwnId(INVALID_ORDER_BODY) }],
  });
  return { ok: result['2xx'], failed: result.non2xx, errors: result.errors + result.timeouts };
}

/** The heap after a full collection, and the resident set, in the server child. */
async function heapOf(server) {
  const heap = await server.memoryUsage();
  return { heapUsedMB: heap.heapUsed / MB, rssMB: heap.rss / MB };
}

async function runMemory(settings, log) {
  const { invocations, checkpoints } = settings.memory;
  const server = await startServer('framework', 'order', { cpu: settings.cpu, nodeArgs: ['--expose-gc'] });
  try {
    // JIT, caches and the connections' buffers settle first.
    await send(server, Math.max(1000, invocations / checkpoints), settings.connections);
    const points = [{ invocations: 0, ...(await heapOf(server)) }];
    let sent = 0;
    let statuses = { ok: 0, failed: 0, errors: 0 };
    for (let i = 1; i <= checkpoints; i++) {
      const amount = Math.round((invocations * i) / checkpoints) - sent;
      const answered = await send(server, amount, settings.connections);
      statuses = {
        ok: statuses.ok + answered.ok,
        failed: statuses.failed + answered.failed,
        errors: statuses.errors + answered.errors,
      };
      sent += amount;
      const point = { invocations: sent, ...(await heapOf(server)) };
      points.push(point);
      log(
        `  memory after ${sent.toLocaleString('en-US')} invocations: heap ${point.heapUsedMB.toFixed(2)} MB, RSS ${point.rssMB.toFixed(1)} MB`,
      );
    }
    const first = points[0];
    const last = points.at(-1);
    return {
      invocations: sent,
      statuses,
      checkpoints: points,
      heapGrowthMB: last.heapUsedMB - first.heapUsedMB,
      bytesPerInvocation: ((last.heapUsedMB - first.heapUsedMB) * MB) / sent,
    };
  } finally {
    await server.stop();
  }
}

module.exports = { runMemory };
