import { createServer, Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BadRequestError, PayloadTooLargeError } from '../errors/FcError';
import type { Kernel, KernelResponse } from '../kernel/Kernel';
import { ConnectionSignal } from './ConnectionSignal';

export interface HttpServerOptions {
  /** Default: `FC_CUSTOM_LISTEN_PORT`, else `FC_SERVER_PORT`, else 9000. `0` picks a free port. */
  port?: number;
  /** Default `0.0.0.0`: FC cannot reach a server bound to 127.0.0.1. */
  host?: string;
  /**
   * How long `close()` may take: it waits this long for requests in flight, and `@OnPreStop` gets
   * what is left (default 30 s).
   */
  drainTimeoutMs?: number;
}

/** The port FC asks for: `FC_CUSTOM_LISTEN_PORT` (FC 3.0), else `FC_SERVER_PORT`, else 9000. */
export function portFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  for (const value of [env.FC_CUSTOM_LISTEN_PORT, env.FC_SERVER_PORT]) {
    const port = Number(value);
    if (value && Number.isInteger(port) && port >= 0 && port < 65536) return port;
  }
  return 9000;
}

/**
 * The `node:http` transport: reads each request body (up to the kernel's limit), hands the request
 * to `kernel.dispatch` and writes the answer. No web framework: FC calls four routes.
 */
export class FcHttpServer {
  readonly server: Server;
  private inFlight = 0;
  private requestsSeen = 0;
  private connectionsSeen = 0;
  private draining = false;
  private closing: Promise<void> | undefined;
  private readonly idleWaiters = new Set<() => void>();
  private readonly drainTimeoutMs: number;

  constructor(
    readonly kernel: Kernel,
    options: HttpServerOptions = {},
  ) {
    this.drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
    this.server = createServer((req, res) => this.handle(req, res));
    // FC keeps connections open and a function may run for a day: no server-side timeouts.
    this.server.timeout = 0;
    this.server.keepAliveTimeout = 0;
    this.server.requestTimeout = 0;
    this.server.on('connection', () => this.connectionsSeen++);
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
      this.answerClientError(error, socket),
    );
  }

  /** The port the server listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Requests received and not yet answered. */
  get pending(): number {
    return this.inFlight;
  }

  listen(port: number, host: string): Promise<this> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this);
      });
    });
  }

  /**
   * Graceful shutdown: stop accepting, answer every request that reached the server (in flight or
   * still in the accept queue), run `@OnPreStop` unless FC already did, dispose the containers.
   * Bounded by `drainTimeoutMs`. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + this.drainTimeoutMs;
    // Connections waiting in the kernel's accept queue are accepted on the next loop turns;
    // closing the listener before that would reset them.
    await this.quiet(() => this.connectionsSeen, deadline);
    closeListener(this.server);
    // A connection accepted just before the listener closed may not have delivered its request
    // yet: wait until no request is in flight and no new one has started for a few loop turns.
    do {
      await this.idle(deadline);
      await this.quiet(() => this.requestsSeen, deadline);
    } while (this.inFlight > 0 && Date.now() < deadline);
    if (this.inFlight > 0) {
      process.stderr.write(`fc-kernel: drain deadline passed with ${this.inFlight} request(s) unanswered\n`);
    }
    try {
      // What is left of the deadline bounds the pre-stop hooks too: a hung one cannot hold the
      // process past it.
      await this.kernel.preStop({ timeoutMs: Math.max(deadline - Date.now(), 1) });
    } finally {
      await this.kernel.close();
      this.server.closeAllConnections();
    }
  }

  /** Resolves when nothing is in flight, or at the deadline. */
  private idle(deadline: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const finish = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(finish);
        resolve();
      };
      timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
      this.idleWaiters.add(finish);
    });
  }

  /**
   * Waits until `counter` stops moving across event-loop turns, or `deadline`. Node accepts one connection per
   * poll phase, so each round must contain one: the timer first, then the immediate, which runs
   * in the check phase right after the poll phase of the turn the timer fired in. (The other way
   * round, a timer that expires while the rest of the turn runs fires before the next poll phase,
   * and nothing is accepted in between.)
   */
  private async quiet(counter: () => number, deadline: number): Promise<void> {
    let before: number;
    do {
      before = counter();
      await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setImmediate(r));
      // Clients that keep reconnecting must not hold the drain past its deadline.
    } while (counter() !== before && Date.now() < deadline);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++;
    this.requestsSeen++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const waiter of [...this.idleWaiters]) waiter();
    };
    let abort: ConnectionSignal | undefined;
    res.once('close', () => {
      if (res.writableFinished) return;
      // The caller went away: before its body arrived (nothing to answer), or while the handler
      // runs (its ctx.signal aborts; the invocation settles when the handler does).
      if (abort) abort.abort(new Error('The caller closed the connection'));
      else settle();
    });
    req.on('error', () => {
      /* a body cut off mid-way: handled by the response's close */
    });

    const limit = this.kernel.bodyLimit;
    if (Number(req.headers['content-length']) > limit) {
      this.rejectBody(req, res, limit);
      settle();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.off('data', onData);
        req.off('end', onEnd);
        this.rejectBody(req, res, limit);
        settle();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      abort = new ConnectionSignal();
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      this.kernel
        .dispatch({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body,
          signal: abort,
        })
        .then((answer) => this.write(res, answer))
        .catch((error: unknown) => {
          // dispatch never rejects; this guards against a socket that breaks while written to.
          process.stderr.write(`fc-kernel: failed to write a response: ${String(error)}\n`);
          res.destroy();
        })
        .finally(settle);
    };
    req.on('data', onData);
    req.on('end', onEnd);
  }

  private write(res: ServerResponse, answer: KernelResponse): void {
    if (res.destroyed) return;
    const headers: Record<string, string | number> = {
      ...answer.headers,
      'content-length': Buffer.byteLength(answer.body),
    };
    if (this.draining) headers.connection = 'close';
    res.writeHead(answer.statusCode, headers);
    res.end(answer.body);
  }

  /** A request `node:http` could not parse still gets FC's error shape, then the connection closes. */
  private answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const reason =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 'request headers are larger than the server accepts'
        : `malformed HTTP request (${error.code ?? 'unknown'})`;
    const answer = closing(this.kernel.refuse(new BadRequestError(`Bad request: ${reason}`)));
    const body = String(answer.body);
    const head = Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(body)) })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.end(`HTTP/1.1 404 Not Found\r\n${head}\r\n\r\n${body}`);
  }

  /** Answers an over-limit body at once and reads no more of it into memory. */
  private rejectBody(req: IncomingMessage, res: ServerResponse, limit: number): void {
    this.write(res, closing(this.kernel.refuse(new PayloadTooLargeError(limit), req.headers)));
    // Keep reading (and discarding) so the client sees the answer rather than a reset, but not
    // forever: a client that goes on sending is cut off.
    req.resume();
    const cutoff = setTimeout(() => req.socket.destroy(), 5_000);
    cutoff.unref();
    req.once('end', () => clearTimeout(cutoff));
  }
}

function closeListener(server: Server): void {
  // Bypass http.Server#close, which calls closeIdleConnections().
  const netClose = Object.getPrototypeOf(Server.prototype).close as (this: Server) => Server;
  netClose.call(server);
}

/** An answer after which the connection closes. */
function closing(answer: KernelResponse): KernelResponse {
  return { ...answer, headers: { ...answer.headers, connection: 'close' } };
}
