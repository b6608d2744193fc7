import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createKernel, listen, type FcHttpServer, type KernelOptions } from '../../src';

/** An answer as the test sees it. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = any>(): T;
}

export interface HttpCall {
  method?: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  /** Sent whole, with a content-length. */
  body?: string | Buffer;
  /**
   * Sent chunk by chunk without a content-length (chunked transfer encoding). Writing stops as
   * soon as the server answers, so a server that rejects early is not fed the rest.
   */
  chunks?: Iterable<Buffer>;
  /** Default `false`: one connection per request, closed after. */
  agent?: Agent | false;
  /** Called once the TCP connection is established (the server's kernel has completed it). */
  onConnect?: () => void;
}

/**
 * One HTTP request to 127.0.0.1:`port`. Resolves with the answer once its body has arrived; an
 * error the socket reports after that (the server closing a connection the client still writes
 * to) is ignored. Rejects when no answer arrives.
 */
export function httpCall(port: number, call: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: call.method ?? 'POST',
        path: call.path,
        headers: call.headers,
        agent: call.agent ?? false,
      },
      (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(parts);
          const text = body.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (call.onConnect) {
      const onConnect = call.onConnect;
      req.once('socket', (socket) => {
        if (socket.connecting) socket.once('connect', onConnect);
        else onConnect();
      });
    }
    if (call.chunks) {
      void writeChunks(req, call.chunks, () => answered);
      return;
    }
    if (call.body !== undefined) req.setHeader('content-length', Buffer.byteLength(call.body));
    req.end(call.body);
  });
}

async function writeChunks(
  req: ReturnType<typeof request>,
  chunks: Iterable<Buffer>,
  answered: () => boolean,
): Promise<void> {
  for (const chunk of chunks) {
    if (answered() || req.destroyed) return;
    if (!req.write(chunk)) await writable(req);
  }
  if (!req.destroyed) req.end();
}

/** Resolves when `req` drains, answers or closes. */
function writable(req: ReturnType<typeof request>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done).off('close', done).off('response', done);
      resolve();
    };
    req.on('drain', done).on('close', done).on('response', done);
  });
}

/** `count` chunks of `size` bytes each. */
export function* repeatChunks(size: number, count: number): Iterable<Buffer> {
  const chunk = Buffer.alloc(size, 0x61);
  for (let i = 0; i < count; i++) yield chunk;
}

/** The headers FC sends on every request (FC-CONTRACT §3), with the given overrides. */
export function fcHeaders(overrides: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  return {
    'x-fc-request-id':
      overrides['x-fc-request-id'] ?? `1-${Date.now().toString(16)}-${Math.random().toString(16).slice(2, 10)}`,
    'x-fc-function-name': 'fn',
    'x-fc-function-handler': 'index.handler',
    'x-fc-function-memory': '512',
    'x-fc-function-timeout': '30',
    'x-fc-region': 'cn-hangzhou',
    'x-fc-account-id': '1234567890123456',
    'x-fc-qualifier': 'LATEST',
    'x-fc-version-id': '',
    'x-fc-service-name': '',
    'x-fc-retry-count': '0',
    'x-fc-access-key-id': '',
    'x-fc-access-key-secret': '',
    'x-fc-security-token': '',
    ...overrides,
  };
}

/** `POST /invoke` as FC sends it: the raw event bytes as `application/octet-stream`. */
export function invoke(
  port: number,
  event: unknown,
  headers: OutgoingHttpHeaders = {},
  agent?: Agent | false,
  onConnect?: () => void,
): Promise<HttpAnswer> {
  const body = typeof event === 'string' || Buffer.isBuffer(event) ? event : JSON.stringify(event);
  return httpCall(port, {
    path: '/invoke',
    headers: fcHeaders({ 'content-type': 'application/octet-stream', 'x-fc-control-path': '/invoke', ...headers }),
    body,
    agent,
    onConnect,
  });
}

/** A lifecycle call (`/initialize`, `/pre-stop`, `/pre-freeze`) as FC sends it: no body. */
export function lifecycle(
  port: number,
  path: '/initialize' | '/pre-stop' | '/pre-freeze',
  headers: OutgoingHttpHeaders = {},
): Promise<HttpAnswer> {
  return httpCall(port, {
    method: path === '/initialize' ? 'POST' : 'GET',
    path,
    headers: fcHeaders({ 'x-fc-control-path': path, ...headers }),
  });
}

const servers = new Set<FcHttpServer>();

/** A kernel served over HTTP on 127.0.0.1 at an ephemeral port; closed by `closeServers`. */
export async function startServer(
  options: Omit<KernelOptions, 'logSink'> & { logSink?: KernelOptions['logSink'] },
): Promise<FcHttpServer> {
  const kernel = createKernel({ logSink: () => undefined, ...options });
  const server = await listen(kernel, { port: 0, host: '127.0.0.1' });
  servers.add(server);
  return server;
}

/** Closes every server `startServer` opened: for `afterEach`. */
export async function closeServers(): Promise<void> {
  const open = [...servers];
  servers.clear();
  await Promise.all(open.map((server) => server.close()));
}

/** A port that was free a moment ago, for a child process to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` right now. */
export function isListening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A child `node` process whose output is collected line by line. */
export class NodeChild {
  readonly process: ChildProcess;
  readonly stdoutLines: string[] = [];
  readonly stderrLines: string[] = [];
  /** Resolves with the exit code (`null` when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(script: string, env: NodeJS.ProcessEnv, nodeOptions: string[] = []) {
    this.process = spawn(process.execPath, [...nodeOptions, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    collectLines(this.process.stdout!, this.stdoutLines, () => this.notify());
    collectLines(this.process.stderr!, this.stderrLines, () => this.notify());
    this.exited = new Promise((resolve) =>
      // 'close' rather than 'exit': every line the child wrote has been collected by then.
      this.process.once('close', (code, signal) => {
        this.closed = true;
        resolve({ code, signal });
        this.notify();
      }),
    );
    children.add(this);
  }

  get stdout(): string {
    return this.stdoutLines.join('\n');
  }

  get stderr(): string {
    return this.stderrLines.join('\n');
  }

  /** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no stdout line matched ${pattern} within ${timeoutMs} ms; stdout:\n${this.stdout}`));
      }, timeoutMs);
      const check = () => {
        const line = this.stdoutLines.find((l) => pattern.test(l));
        if (line !== undefined || this.closed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          if (line !== undefined) resolve(line);
          else reject(new Error(`the child exited before printing ${pattern}; stderr:\n${this.stderr}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  get running(): boolean {
    return !this.closed;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function collectLines(stream: NodeJS.ReadableStream, into: string[], onLine: () => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    if (parts.length > 0) {
      into.push(...parts);
      onLine();
    }
  });
  stream.on('end', () => {
    if (rest !== '') into.push(rest);
    rest = '';
    onLine();
  });
}

const children = new Set<NodeChild>();

/** Starts `dist/test/e2e/fixtures/<name>.js` with `env` added to a clean copy of the environment. */
export function startFixture(name: string, env: NodeJS.ProcessEnv = {}): NodeChild {
  return new NodeChild(join(__dirname, 'fixtures', `${name}.js`), childEnv(env));
}

/**
 * Starts a compiled program given relative to `dist/` (`samples/order-service/main.js`) with the
 * `report-listen` fixture preloaded: it prints `listening on <address>:<port>` when it listens.
 */
export function startCompiled(pathInDist: string, env: NodeJS.ProcessEnv = {}): NodeChild {
  const preload = join(__dirname, 'fixtures', 'report-listen.js');
  return new NodeChild(join(__dirname, '..', '..', pathInDist), childEnv(env), ['--require', preload]);
}

/** The parent's environment without FC's variables, plus `env`. */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(FC_|ALIBABA_CLOUD_)/.test(name)),
  ) as NodeJS.ProcessEnv;
  return { ...base, ...env };
}

/** Kills every child still running (by its pid) and waits for it to exit: for `afterEach`. */
export async function killChildren(): Promise<void> {
  const running = [...children];
  children.clear();
  await Promise.all(
    running.map(async (child) => {
      if (child.running) child.signal('SIGKILL');
      await child.exited;
    }),
  );
}

/** FC's error JSON as the caller sees it. */
export interface ErrorJson {
  errorMessage: string;
  errorType: string;
  stackTrace: string[];
  errors?: { path: string; constraints: Record<string, string> }[];
}

/**
 * Asserts that `answer` is FC's error answer of `errorType`: status and `x-fc-status` 404, a JSON
 * content type, and a body with `errorMessage`, `errorType` and a `stackTrace` array.
 */
export function expectFcError(answer: HttpAnswer, errorType: string): ErrorJson {
  expect(answer.status, answer.text).to.equal(404);
  expect(answer.headers['x-fc-status']).to.equal('404');
  expect(answer.headers['content-type']).to.match(/^application\/json\b/);
  const body = answer.json<ErrorJson>();
  expect(body.errorType, answer.text).to.equal(errorType);
  expect(body.errorMessage).to.be.a('string').and.not.equal('');
  expect(body.stackTrace).to.be.an('array');
  for (const frame of body.stackTrace) expect(frame).to.be.a('string');
  return body;
}

/** Asserts a success answer: status and `x-fc-status` 200. */
export function expectOk(answer: HttpAnswer): HttpAnswer {
  expect(answer.status, answer.text).to.equal(200);
  expect(answer.headers['x-fc-status']).to.equal('200');
  return answer;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once `condition()` holds, checking every few milliseconds; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A promise with its resolve function, for a test to release a waiting handler. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
