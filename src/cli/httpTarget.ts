import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { DEFAULT_BODY_LIMIT, type KernelRequest, type KernelResponse } from '../index';
import { CliError, usageError } from './CliError';

/** Sends one of FC's requests and resolves with the answer: the kernel's `dispatch`, or a container's. */
export type Send = (request: KernelRequest) => Promise<KernelResponse>;

/**
 * Parses `--url`: the container's address, as FC reaches it (`http://127.0.0.1:9000`). Its path,
 * if any, prefixes the routes.
 *
 * @throws CliError (exit 2) for anything but an `http://` URL.
 */
export function parseContainerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`--url ${JSON.stringify(text)} is not a URL (e.g. http://127.0.0.1:9000)`);
  }
  if (url.protocol !== 'http:') {
    throw usageError(`--url ${JSON.stringify(text)}: FC talks plain http:// to a container`);
  }
  if (url.search || url.hash) throw usageError(`--url ${JSON.stringify(text)}: give the address without a query`);
  return url;
}

/**
 * Sends FC's requests to a running container over `node:http`, one connection each, and waits
 * `waitMs` for each answer, whose body is read up to `answerLimit` bytes (default: 32 MiB, FC's
 * limit on a synchronous invocation's payload, as the kernel's `bodyLimit` is for requests).
 *
 * @throws CliError exit 2 when the container cannot be reached (nothing was invoked); exit 1 when
 * it answers nothing in time, drops the connection or answers more than `answerLimit` bytes (the
 * invocation failed, as FC counts it).
 */
export function httpTarget(base: URL, waitMs: number, answerLimit = DEFAULT_BODY_LIMIT): Send {
  const prefix = base.pathname.replace(/\/+$/, '');
  return (request) =>
    new Promise((resolve, reject) => {
      const body = request.body === undefined ? undefined : Buffer.from(request.body);
      const req = httpRequest({
        // URL keeps the brackets of an IPv6 literal; node:http wants the bare address.
        host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: base.port || 80,
        method: request.method,
        path: prefix + request.path,
        headers: { ...request.headers, 'content-length': body?.length ?? 0 },
        agent: false,
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(
          new CliError(`${base.origin} answered ${request.path} nothing within ${waitMs / 1000} s`, { exitCode: 1 }),
        );
      }, waitMs);
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const tooLarge = () => {
          clearTimeout(timer);
          req.destroy();
          reject(
            new CliError(
              `${base.origin} answered ${request.path} with more than ${answerLimit} bytes, ` +
                'more than FC passes on: stopped reading it',
              { exitCode: 1 },
            ),
          );
        };
        if (Number(res.headers['content-length']) > answerLimit) return tooLarge();
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > answerLimit) return tooLarge();
          chunks.push(chunk);
        });
        res.once('error', fail);
        res.once('end', () => {
          clearTimeout(timer);
          resolve({ statusCode: res.statusCode ?? 0, headers: firstValues(res.headers), body: Buffer.concat(chunks) });
        });
      });
      let connected = false;
      req.once('socket', (socket) => socket.once('connect', () => (connected = true)));
      req.once('error', fail);
      req.end(body);

      function fail(error: Error) {
        clearTimeout(timer);
        reject(
          connected
            ? // The container took the request and went away: FC counts that invocation as failed.
              new CliError(`${base.origin} closed the connection without answering ${request.path}: ${error.message}`, {
                exitCode: 1,
                cause: error,
              })
            : new CliError(`cannot reach ${base.origin}: ${error.message}`, { cause: error }),
        );
      }
    });
}

function firstValues(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? (value[0] ?? '') : value;
  }
  return out;
}
