import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FC_BODY_LIMIT, fcErrorBody, invokeEndLine, invokeStartLine, REQUEST_ID_HEADER } from '../shared/fcProtocol';
import { priceOrder } from '../shared/priceOrder';
import { checkOrder } from './checkOrder';

/*
 * The floor: the least a server can do and still be an FC function validating the order. A bare
 * node:http server, the body read by hand, checked by hand, FC's marker lines, status, header and
 * error JSON. Every other contender's figures are ratios to this one's in the same run.
 */

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'x-fc-status': String(status),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function invoke(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const requestId = req.headers[REQUEST_ID_HEADER];
  process.stdout.write(`${invokeStartLine(requestId)}\n`);
  let failed = false;
  try {
    reply(res, 200, JSON.stringify(priceOrder(checkOrder(JSON.parse(body.toString('utf8'))))));
  } catch (error) {
    failed = true;
    reply(res, 404, JSON.stringify(fcErrorBody(error)));
  }
  process.stdout.write(`${invokeEndLine(requestId, failed)}\n`);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let length = 0;
  req.on('data', (chunk: Buffer) => {
    length += chunk.length;
    if (length <= FC_BODY_LIMIT) chunks.push(chunk);
  });
  req.on('end', () => {
    if (length > FC_BODY_LIMIT) return reply(res, 404, JSON.stringify(fcErrorBody(new Error('body too large'))));
    if (req.method === 'POST' && req.url === '/invoke') return invoke(req, res, Buffer.concat(chunks));
    if (req.url === '/initialize') return reply(res, 200, '');
    reply(res, 404, JSON.stringify(fcErrorBody(new Error(`no route ${req.method} ${req.url}`))));
  });
});
// FC keeps connections open and a function may run for hours (as in FC's own sample server).
server.timeout = 0;
server.keepAliveTimeout = 0;
server.listen(Number(process.env.FC_CUSTOM_LISTEN_PORT ?? 9000), '0.0.0.0');
