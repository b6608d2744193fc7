import { createServer, Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  BadRequestError,
  InstanceStoppingError,
  PayloadTooLargeError,
  RouteNotFoundError,
  type FcError,
} from '../errors/FcError';
import { logsPending, say, writeLogsNow } from '../logging/LogSink';
import { PortUnavailableError } from './PortUnavailableError';
import type { Kernel, KernelResponse } from '../kernel/Kernel';
import { ConnectionSignal } from './ConnectionSignal';
import { ConnectionState } from './ConnectionState';
import { InFlight, selfLinks, type InFlightLinks } from './InFlight';
import { cutOffAfterLinger, endWithAnswer, MAX_DISCARDED_BYTES } from './rawAnswer';

/** How long `close()` waits for the requests in flight, by default. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
/** How long `@OnPreStop` may take at shutdown, after the drain, by default. */
export const DEFAULT_PRE_STOP_TIMEOUT_MS = 10_000;

export interface HttpServerOptions {
  /** Default: `FC_CUSTOM_LISTEN_PORT`, else `FC_SERVER_PORT`, else 9000. `0` picks a free port. */
  port?: number;
  /** Default `0.0.0.0`: FC cannot reach a server bound to 127.0.0.1. */
  host?: string;
  /**
   * How long `close()` waits for the requests that reached the server, their bodies included
   * (default 30 s). A request still running then has its `ctx.signal` aborted; one whose body is
   * still arriving is answered with `InstanceStoppingError`.
   */
  drainTimeoutMs?: number;
  /**
   * How long `@OnPreStop` may take at shutdown, after the drain (default 10 s): a budget of its
   * own, so slow clients cannot eat it. A shutdown takes at most both.
   */
  preStopTimeoutMs?: number;
}

/** What a graceful shutdown (`close()`) could not do. Anything here makes `serve()` exit non-zero. */
export interface ShutdownOutcome {
  /**
   * Requests that got no answer of their own: still running, or their body still arriving, when
   * the drain deadline passed.
   */
  lost: number;
  /** The functions whose `@OnPreStop` failed or timed out. */
  preStopFailed: string[];
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
 * Serves `kernel` over HTTP and resolves once it listens: on `host` (`0.0.0.0`, FC's requirement)
 * at `port` (`FC_CUSTOM_LISTEN_PORT`, else `FC_SERVER_PORT`, else 9000; `0` picks a free one).
 *
 * @example
 * ```ts
 * const server = await listen(createKernel({ functions: [CreateOrderFunction] }), { port: 0 });
 * // ... requests to 127.0.0.1:${server.port}
 * await server.close();
 * ```
 */
export function listen(kernel: Kernel, options: HttpServerOptions = {}): Promise<FcHttpServer> {
  return new FcHttpServer(kernel, options).listen();
}

/** One request, from its head arriving to its answer going out: itself its place among the server's. */
interface Exchange extends InFlightLinks<Exchange> {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly connection: ConnectionState<Exchange>;
  /** Its place among its connection's open requests. */
  readonly onConnection: InFlightLinks<Exchange>;
  /** Its place among its connection's requests. */
  seq: number;
  /** Its whole body has arrived, and the kernel has it. */
  bodyDone: boolean;
  /** It was answered without running: the rest of its body is discarded. */
  refused: boolean;
  /** Its answer ends once the rest of its body has been read and discarded. */
  discarding: boolean;
  /** Set once the kernel runs it: aborted when its caller goes away. */
  signal: ConnectionSignal | undefined;
  /** The kernel has it and has not answered yet. */
  running: boolean;
  /** Its answer went out, or its connection closed. */
  closed: boolean;
}

const ignore = () => undefined;
const connectionLinks = (exchange: Exchange): InFlightLinks<Exchange> => exchange.onConnection;

/**
 * The `node:http` transport: reads each request body (up to the kernel's limit), hands the request
 * to `kernel.dispatch` and writes the answer. No web framework: FC calls four routes. Every answer,
 * including those to requests `node:http` cannot parse, is FC's shape; a connection's answers go
 * out in request order.
 */
export class FcHttpServer {
  readonly server: Server;
  // Private fields, not `private` properties: inspect(server) must not print the requests' headers.
  readonly #exchanges = new InFlight<Exchange>(selfLinks);
  readonly #connections = new WeakMap<Socket, ConnectionState<Exchange>>();
  /** Answers waiting for the end of the turn, when the log lines before them do. */
  #held: { exchange: Exchange; answer: KernelResponse; refusing: boolean }[] = [];
  private requestsSeen = 0;
  private connectionsSeen = 0;
  private draining = false;
  private closing: Promise<ShutdownOutcome> | undefined;
  private readonly idleWaiters = new Set<() => void>();
  private readonly drainTimeoutMs: number;
  private readonly preStopTimeoutMs: number;
  private readonly requestedPort: number | undefined;
  private readonly host: string;

  constructor(
    readonly kernel: Kernel,
    options: HttpServerOptions = {},
  ) {
    // Only what the server needs: the options may be serve()'s, environment and credentials included.
    this.requestedPort = options.port;
    this.host = options.host ?? '0.0.0.0';
    this.drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    this.preStopTimeoutMs = options.preStopTimeoutMs ?? DEFAULT_PRE_STOP_TIMEOUT_MS;
    // FC's front end is not a browser: a request without Host is served, not answered with node's bare 400.
    this.server = createServer({ requireHostHeader: false }, (req, res) => this.handle(req, res));
    // FC keeps connections open and a function may run for a day: no server-side timeouts.
    this.server.timeout = 0;
    this.server.keepAliveTimeout = 0;
    this.server.requestTimeout = 0;
    this.server.on('connection', (socket: Socket) => this.track(socket));
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
      this.answerClientError(error, socket),
    );
    // Without these listeners node answers an Expect other than 100-continue with a bare 417, and
    // drops a CONNECT without a word.
    this.server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
      this.handle(req, res, new BadRequestError('Bad request: the Expect header asks for more than 100-continue')),
    );
    this.server.on('connect', (req: IncomingMessage, socket: Socket) => {
      socket.on('error', ignore);
      endWithAnswer(socket, this.kernel.refuse(new RouteNotFoundError('CONNECT', req.url ?? ''), req.headers));
    });
  }

  /** The port the server listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Requests received and not yet answered. */
  get pending(): number {
    return this.#exchanges.size;
  }

  /** Starts listening at the options' `port` and `host`. */
  listen(): Promise<this> {
    const port = this.requestedPort ?? portFromEnvironment();
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => reject(PortUnavailableError.from(error, port));
      this.server.once('error', fail);
      this.server.listen(port, this.host, () => {
        this.server.off('error', fail);
        resolve(this);
      });
    });
  }

  /**
   * Graceful shutdown: stop accepting, answer every request that reached the server (in flight or
   * still in the accept queue) within `drainTimeoutMs`, then run `@OnPreStop` of the functions
   * that ran since their last pre-stop, within `preStopTimeoutMs` (no invocation starts from
   * then on), and dispose the containers. Resolves with what it could not do. Idempotent.
   */
  close(): Promise<ShutdownOutcome> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<ShutdownOutcome> {
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
    } while (this.#exchanges.size > 0 && Date.now() < deadline);
    const lost = this.cutOff();
    try {
      const preStop = await this.kernel.preStop({ timeoutMs: this.preStopTimeoutMs });
      return { lost, preStopFailed: preStop.failed };
    } finally {
      await this.kernel.close();
      this.server.closeAllConnections();
    }
  }

  /**
   * At the drain deadline: a request whose body is still arriving is answered now (it never
   * started), a running one has its `ctx.signal` aborted (its answer still goes out if it comes).
   * Returns how many requests had no answer.
   */
  private cutOff(): number {
    const unanswered = this.#exchanges.toArray().filter((exchange) => !exchange.res.headersSent);
    if (unanswered.length === 0) return 0;
    say(`drain deadline passed with ${unanswered.length} request(s) unanswered`);
    for (const exchange of unanswered) {
      if (!exchange.bodyDone) {
        this.refuse(
          exchange,
          new InstanceStoppingError(
            'The instance is shutting down: the request body had not arrived when the drain deadline passed',
          ),
        );
      } else {
        exchange.signal?.abort(new InstanceStoppingError('The instance is shutting down: the drain deadline passed'));
      }
    }
    return unanswered.length;
  }

  /** Resolves when nothing is in flight, or at the deadline. */
  private idle(deadline: number): Promise<void> {
    if (this.#exchanges.size === 0) return Promise.resolve();
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

  private track(socket: Socket): ConnectionState<Exchange> {
    this.connectionsSeen++;
    const connection = new ConnectionState<Exchange>(connectionLinks);
    this.#connections.set(socket, connection);
    // Answers queued behind another on a connection that closes never go out.
    socket.once('close', () => {
      for (const exchange of connection.open.toArray()) this.closed(exchange);
    });
    return connection;
  }

  private handle(req: IncomingMessage, res: ServerResponse, refusal?: FcError): void {
    const connection = this.#connections.get(req.socket) ?? this.track(req.socket);
    const exchange: Exchange = {
      req,
      res,
      connection,
      onConnection: { previous: undefined, next: undefined, listed: false },
      seq: 0,
      bodyDone: false,
      refused: false,
      discarding: false,
      signal: undefined,
      running: false,
      closed: false,
      previous: undefined,
      next: undefined,
      listed: false,
    };
    const seq = connection.receive(exchange, res.shouldKeepAlive);
    if (seq === undefined) {
      // It arrived after the connection's last answer: started, it would run unanswered.
      req.resume();
      return;
    }
    exchange.seq = seq;
    this.requestsSeen++;
    this.#exchanges.add(exchange);
    res.once('close', () => this.closed(exchange));
    req.on('error', ignore); // a body cut off mid-way: handled by the response's close

    if (refusal) return this.refuse(exchange, refusal);
    const limit = this.kernel.bodyLimit;
    if (Number(req.headers['content-length']) > limit) return this.refuse(exchange, new PayloadTooLargeError(limit));
    // A flag rather than a closure on the exchange that removes these listeners: with such a
    // closure each request's scope, its body chunks included, lived long enough to be promoted
    // out of the young generation (ten times the promoted bytes, and three times the GC time).
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      if (exchange.refused) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        this.refuse(exchange, new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (exchange.refused) return;
      exchange.bodyDone = true;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      // The request lives until its answer is written; its body need not.
      chunks.length = 0;
      this.dispatch(exchange, body);
    };
    req.on('data', onData);
    req.on('end', onEnd);
  }

  private dispatch(exchange: Exchange, body: Buffer): void {
    const { req } = exchange;
    const signal = new ConnectionSignal();
    exchange.signal = signal;
    exchange.running = true;
    const answer = this.kernel.respond({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body,
      signal,
    });
    // A synchronous handler's answer is written in this turn, without a promise.
    if (answer instanceof Promise) {
      answer.then(
        (settled) => this.answer(exchange, settled),
        // respond never rejects: this is for a rejection that should not happen
        (error: unknown) => this.answerFailed(exchange, error),
      );
    } else {
      this.answer(exchange, answer);
    }
  }

  private answer(exchange: Exchange, answer: KernelResponse): void {
    this.write(exchange, answer);
    this.ran(exchange);
  }

  private answerFailed(exchange: Exchange, error: unknown): void {
    this.broken(exchange, error);
    this.ran(exchange);
  }

  /** The answer could not be written: said on stderr, and the connection dropped. */
  private broken(exchange: Exchange, error: unknown): void {
    say(`failed to write a response: ${String(error)}`);
    exchange.res.destroy();
  }

  /** The kernel is done with the exchange. */
  private ran(exchange: Exchange): void {
    exchange.running = false;
    if (exchange.closed) this.settle(exchange);
  }

  /** The exchange's answer went out, or its connection closed. */
  private closed(exchange: Exchange): void {
    if (exchange.closed) return;
    exchange.closed = true;
    exchange.connection.answered(exchange);
    // The caller went away: before its body arrived (nothing to answer), or while the handler
    // runs (its ctx.signal aborts; the exchange settles when the handler does).
    if (!exchange.res.writableFinished) exchange.signal?.abort(new Error('The caller closed the connection'));
    if (!exchange.running) this.settle(exchange);
  }

  private settle(exchange: Exchange): void {
    if (!this.#exchanges.delete(exchange)) return;
    if (this.#exchanges.size === 0) for (const waiter of [...this.idleWaiters]) waiter();
  }

  /**
   * Writes an answer, after the log lines written before it: FC may freeze an instance as soon
   * as it has the answer. While lines wait for the end of the event-loop turn, so do the answers:
   * every answer of a busy turn goes out then, after one write of the turn's lines. Under load
   * that halved the CPU time per request: the turn's JavaScript runs back to back, then its
   * writes, instead of one system call per answer between them.
   */
  private write(exchange: Exchange, answer: KernelResponse, refusing = false): void {
    if (!logsPending()) {
      this.send(exchange, answer, refusing);
      return;
    }
    this.#held.push({ exchange, answer, refusing });
    if (this.#held.length === 1) setImmediate(this.#sendHeld);
  }

  readonly #sendHeld = (): void => {
    // Without waiting: a log reader that is behind must not hold the answers (health checks too).
    writeLogsNow();
    const held = this.#held;
    this.#held = [];
    for (const { exchange, answer, refusing } of held) this.send(exchange, answer, refusing);
  };

  /**
   * Sends an answer now. It closes the connection when the server is draining, the kernel is
   * stopping or the answer refuses the request, unless a later request on the connection has
   * arrived: then that one's answer closes it, so that no answer is thrown away.
   */
  private send(exchange: Exchange, answer: KernelResponse, refusing: boolean): void {
    const { res } = exchange;
    if (res.destroyed || res.headersSent) return;
    // Copied key by key: an object spread here made every answer's headers survive two
    // scavenges, doubling the young generation and promoting 20 to 40 bytes per request.
    const headers: Record<string, string | number> = {};
    for (const name in answer.headers) headers[name] = answer.headers[name];
    headers['content-length'] = Buffer.byteLength(answer.body);
    if (exchange.connection.closesAfter(exchange.seq, refusing || this.draining || this.kernel.stopping)) {
      headers.connection = 'close';
    }
    try {
      res.writeHead(answer.statusCode, headers);
      if (exchange.discarding && !exchange.req.complete) {
        // Ending the answer now would close the socket on the bytes still coming, and the reset
        // that sends can reach the caller before the answer does: it ends once the body is read.
        res.write(answer.body);
        exchange.req.once('end', () => res.end());
        this.closed(exchange);
      } else {
        res.end(answer.body);
      }
    } catch (error) {
      // A socket that breaks while it is written to.
      this.broken(exchange, error);
    }
  }

  /**
   * Answers a request without running it, and reads no more of its body into memory. The rest of
   * the body is read and discarded so that the caller gets the answer rather than a reset, but not
   * forever: past `MAX_DISCARDED_BYTES` or `LINGER_MS` the caller is cut off. A body that cannot be
   * parsed any more is not waited for.
   */
  private refuse(exchange: Exchange, error: FcError, bodyReadable = true): void {
    const { req } = exchange;
    exchange.refused = true;
    exchange.discarding = bodyReadable && !req.complete;
    this.write(exchange, this.kernel.refuse(error, req.headers), true);
    if (req.complete) return;
    let discarded = 0;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
    });
    req.resume();
    cutOffAfterLinger(req.socket);
  }

  /**
   * Bytes `node:http` could not parse get FC's error shape, after the answers to the requests
   * that came before them on the connection; then the connection closes.
   */
  private answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const connection = this.#connections.get(socket) ?? this.track(socket);
    const reason =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 'request headers are larger than the server accepts'
        : `malformed HTTP request (${error.code ?? 'unknown'})`;
    const failure = new BadRequestError(`Bad request: ${reason}`);
    // A body that broke off (bad chunk framing, the client closing mid-way) fails its own request.
    const broken = connection.open.toArray().find((exchange) => !exchange.req.complete && !exchange.res.headersSent);
    if (broken) return this.refuse(broken, failure, false);
    // Bytes after the connection's last answer: the client was done, or was told it was.
    if (!connection.parseFailed()) return;
    const answer = this.kernel.refuse(failure);
    connection.whenAnswered(() => endWithAnswer(socket, answer));
  }
}

function closeListener(server: Server): void {
  // Bypass http.Server#close, which calls closeIdleConnections().
  const netClose = (Object.getPrototypeOf(Server.prototype) as { close: (this: Server) => Server }).close;
  netClose.call(server);
}
