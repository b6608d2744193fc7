'use strict';

/*
 * The bare node:http server: reads the body, runs one of the hand-written handlers and sets FC's
 * `x-fc-status`. Usage: `node baseline.js <handler>`. Under the benchmark (an IPC channel) it
 * listens on a free port and sends it; otherwise on FC_CUSTOM_LISTEN_PORT, like an FC function.
 */

const { createServer } = require('node:http');
const { baselineHandler } = require('../lib/baselineHandlers');
const { reportPort } = require('../lib/serverChild');

const handler = baselineHandler(process.argv[2] ?? 'echo');

function reply(res, status, body) {
  res.writeHead(status, {
    'x-fc-status': String(status),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    if (req.method !== 'POST' || req.url !== '/invoke') return reply(res, 404, '{"errorMessage":"not found"}');
    try {
      reply(res, 200, await handler(Buffer.concat(chunks)));
    } catch (error) {
      reply(res, 404, JSON.stringify({ errorMessage: String(error) }));
    }
  });
});

const port = process.send ? 0 : Number(process.env.FC_CUSTOM_LISTEN_PORT ?? 9000);
server.listen(port, '127.0.0.1', () => {
  if (process.send) reportPort(server.address().port);
});
