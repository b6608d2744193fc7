import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { KernelResponse } from '../kernel/Kernel';

/** How long a client may go on sending after its connection's final answer before it is cut off. */
export const LINGER_MS = 5_000;
/** How many bytes of a refused request's body are read and discarded before its client is cut off. */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/** Cuts `socket` off `LINGER_MS` from now unless it closes first. */
export function cutOffAfterLinger(socket: Socket): void {
  const cutoff = setTimeout(() => socket.destroy(), LINGER_MS);
  cutoff.unref();
  socket.once('close', () => clearTimeout(cutoff));
}

/**
 * Writes `answer` as the last thing on a connection `node:http` no longer speaks HTTP on (a
 * request it could not parse, a CONNECT), then half-closes it. Closing at once would discard the
 * answer when the client is still sending; a client that goes on sending is cut off.
 */
export function endWithAnswer(socket: Socket, answer: KernelResponse): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  const headers = { ...answer.headers, 'content-length': String(body.length), connection: 'close' };
  const head =
    `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode] ?? ''}\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  cutOffAfterLinger(socket);
}
