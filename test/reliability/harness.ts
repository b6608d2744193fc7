/*
 * Shared tools of the reliability suite: kernels and servers whose output is captured, an HTTP
 * client that counts what it sends and what comes back, FC answer checks, prototype-pollution
 * checks and child-process fixtures.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  createKernel,
  listen as listenHttp,
  type FcHttpServer,
  type Kernel,
  type KernelOptions,
  type KernelResponse,
} from '../../src';
import { capture, captureSink, containsPlanted, PLANTED_ENV, PLANTED_HEADERS, reportLeaks, tally } from './capture';

export const LOOPBACK = '127.0.0.1';

let requestSerial = 0;

/** A fresh FC request id. */
export function nextRequestId(prefix = 'rel'): string {
  return `${prefix}-${process.pid}-${++requestSerial}`;
}

/** The headers FC sends on every route, with the planted credentials and a fresh request id. */
export function fcHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'x-fc-request-id': nextRequestId(),
    'x-fc-region': 'cn-hangzhou',
    'x-fc-account-id': '1234567890',
    ...PLANTED_HEADERS,
    ...extra,
  };
}

/** A kernel whose log lines are captured under `source` (and kept in `lines`), with planted env credentials. */
export function capturedKernel(
  source: string,
  options: KernelOptions,
): { kernel: Kernel; lines: string[]; close(): Promise<void> } {
  const lines: string[] = [];
  const kernel = createKernel({ logSink: captureSink(source, lines), env: { ...PLANTED_ENV }, ...options });
  return { kernel, lines, close: () => kernel.close() };
}

/** Dispatches, captures the answer and checks FC's answer shape. */
export async function dispatchChecked(
  kernel: Kernel,
  request: Parameters<Kernel['dispatch']>[0],
  source = 'dispatch',
): Promise<KernelResponse> {
  tally.requestsSent++;
  const answer = await kernel.dispatch(request);
  captureAnswer(source, answer.statusCode, answer.headers, answer.body);
  expectFcAnswer(answer.statusCode, answer.headers, answer.body);
  return answer;
}

/** An HTTP answer. */
export interface HttpAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The parsed FC error body. */
export interface FcErrorBody {
  errorMessage: string;
  errorType: string;
  stackTrace: string[];
  errors?: { path: string; constraints: Record<string, string> }[];
}

/**
 * Asserts FC's answer shape: a result (200 with `x-fc-status: 200`) or an FC error (404 with
 * `x-fc-status: 404` and a JSON body with a string `errorMessage`). A stack overflow is never an
 * acceptable error. Returns the error body for an error, else `undefined`.
 */
export function expectFcAnswer(
  statusCode: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer | string,
): FcErrorBody | undefined {
  if (statusCode === 200) {
    expect(headers['x-fc-status']).to.equal('200');
    return undefined;
  }
  expect(statusCode, `unexpected status; body: ${String(body).slice(0, 300)}`).to.equal(404);
  expect(headers['x-fc-status']).to.equal('404');
  const parsed = JSON.parse(String(body)) as FcErrorBody;
  expect(parsed.errorMessage).to.be.a('string');
  expect(parsed.errorType).to.be.a('string');
  expect(parsed.errorType, parsed.errorMessage).to.not.equal('RangeError');
  expect(parsed.errorMessage).to.not.match(/call stack/i);
  return parsed;
}

/** The error body of an answer that must be an FC error. */
export function expectFcError(answer: { statusCode: number; headers: object; body: Buffer | string }): FcErrorBody {
  const parsed = expectFcAnswer(answer.statusCode, answer.headers as Record<string, string>, answer.body);
  expect(parsed, `expected an FC error, got 200: ${String(answer.body).slice(0, 200)}`).to.not.equal(undefined);
  return parsed!;
}

function captureAnswer(source: string, statusCode: number, headers: object, body: Buffer | string): void {
  capture(source, `${statusCode} ${JSON.stringify(headers)}`, Buffer.isBuffer(body) ? body.toString('utf8') : body);
}

/** Starts `kernel` on an ephemeral loopback port. */
export function listen(kernel: Kernel, drainTimeoutMs?: number): Promise<FcHttpServer> {
  return listenHttp(kernel, { port: 0, host: LOOPBACK, drainTimeoutMs });
}

export interface SendOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  agent?: Agent | false;
  /** Aborts the request (the test's client going away). */
  signal?: AbortSignal;
  /** Captured under this source (default `http`). */
  source?: string;
  /** Whether a failure to get an answer counts as a lost request (default `true`). */
  counted?: boolean;
}

/**
 * Sends one HTTP request to 127.0.0.1 and resolves with the full answer. A request that gets no
 * answer (reset, refused, aborted) counts as lost unless `counted` is false.
 */
export function send(port: number, options: SendOptions = {}): Promise<HttpAnswer> {
  const counted = options.counted !== false;
  if (counted) tally.requestsSent++;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const body = options.body ?? '';
    const req = httpRequest(
      {
        host: LOOPBACK,
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/invoke',
        headers: { 'content-length': String(Buffer.byteLength(body)), ...options.headers },
        agent: options.agent,
        signal: options.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const answer = { statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
          captureAnswer(options.source ?? 'http', answer.statusCode, answer.headers, answer.body);
          resolve(answer);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  }).catch((error: unknown) => {
    if (counted) tally.requestsLost++;
    capture(options.source ?? 'http', `request failed: ${String(error)}`);
    throw error;
  });
}

/** `send`, then the FC answer checks. */
export async function sendChecked(port: number, options: SendOptions = {}): Promise<HttpAnswer> {
  const answer = await send(port, options);
  expectFcAnswer(answer.statusCode, answer.headers, answer.body);
  return answer;
}

/** A raw TCP connection to the server, for requests `node:http`'s client would not send. */
export function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: LOOPBACK, port }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves once nothing accepts connections on the port any more (a draining server closed its listener). */
export async function untilNotListening(port: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: LOOPBACK, port }, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await sleep(10);
  }
}

/** Everything the server sends on `socket` until it closes it (or `waitMs` passes without close). */
export function readUntilClosed(socket: Socket, waitMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      capture('raw socket', text);
      resolve(text);
    };
    const timer = setTimeout(() => {
      socket.destroy();
    }, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.once('close', done);
  });
}

/** A raw HTTP/1.1 answer, parsed. */
export interface RawAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the status and headers of a raw HTTP/1.1 answer. */
export function parseRawAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  expect(end, `not an HTTP answer: ${JSON.stringify(text.slice(0, 200))}`).to.be.greaterThan(0);
  const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { statusCode: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4) };
}

/**
 * Splits what a server sent on one connection into its answers (each framed by its
 * `content-length`), in the order they came. Interim `100 Continue` answers are skipped.
 */
export function parseRawAnswers(text: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = text;
  while (rest.length > 0) {
    const head = parseRawAnswer(rest);
    const headEnd = rest.indexOf('\r\n\r\n') + 4;
    const length = Number(head.headers['content-length'] ?? 0);
    const body = Buffer.from(rest.slice(headEnd), 'utf8').subarray(0, length).toString('utf8');
    rest = rest.slice(headEnd + body.length);
    if (head.statusCode !== 100) answers.push({ ...head, body });
  }
  return answers;
}

const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

/** The own keys of the built-in prototypes, to compare against after hostile input. */
export function prototypeSnapshot(): Map<string, string[]> {
  return new Map(PROTOTYPES.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));
}

/** Asserts no built-in prototype gained or lost a key, and that plain objects show no `polluted`. */
export function expectNoPollution(before: Map<string, string[]>): void {
  for (const [name, keys] of prototypeSnapshot()) expect(keys, `${name} changed`).to.deep.equal(before.get(name));
  expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  expect(([] as unknown as Record<string, unknown>).polluted).to.equal(undefined);
}

/** A child process running one of `fixtures/*.js`, its output captured line by line. */
export interface Fixture {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or the signal's name) when the child ends. */
  exited: Promise<number | string>;
  /** Resolves with the first stdout line matching `pattern` (lines seen before included). */
  waitForLine(pattern: RegExp): Promise<string>;
}

const running = new Set<ChildProcess>();

/**
 * Starts `fixtures/<name>.js` with the planted credentials in its environment. Its stdout and
 * stderr are captured for the leak scan; `scanOwnOutput` makes the child report leaks itself
 * instead (for fixtures that log too much to ship).
 */
export function startFixture(name: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Fixture {
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'fixtures', `${name}.js`)], {
    env: { PATH: process.env.PATH ?? '', ...PLANTED_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const watchers: { pattern: RegExp; resolve(line: string): void }[] = [];
  const source = `fixture ${name}`;
  const onLines = (into: string[], stream: 'stdout' | 'stderr') => {
    let rest = '';
    return (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        into.push(line);
        capture(`${source} ${stream}`, line);
        if (stream === 'stdout') {
          for (const w of [...watchers]) {
            if (w.pattern.test(line)) {
              watchers.splice(watchers.indexOf(w), 1);
              w.resolve(line);
            }
          }
        }
      }
    };
  };
  child.stdout!.on('data', onLines(stdout, 'stdout'));
  child.stderr!.on('data', onLines(stderr, 'stderr'));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const waitForLine = (pattern: RegExp) => {
    const seen = stdout.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      watchers.push({ pattern, resolve });
      void exited.then((code) => reject(new Error(`fixture ${name} exited (${code}) before printing ${pattern}`)));
    });
  };
  return { child, stdout, stderr, exited, waitForLine };
}

/** Kills every fixture still running: for `after` hooks. */
export async function killFixtures(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}

/** The port a `server` fixture printed. */
export async function fixturePort(fixture: Fixture): Promise<number> {
  const line = await fixture.waitForLine(/^fixture listening on \d+$/);
  return Number(line.split(' ').at(-1));
}

/** A child's JSON report line (`fixture report {...}`), with its own leak findings recorded. */
export async function fixtureReport<T>(fixture: Fixture): Promise<T> {
  const line = await fixture.waitForLine(/^fixture report /);
  const report = JSON.parse(line.slice('fixture report '.length)) as T & { leaks?: string[] };
  if (report.leaks) reportLeaks(fixture.child.spawnargs.join(' '), report.leaks);
  return report;
}

/** A line a fixture prints that carries secrets would be caught by the scan; this checks one now. */
export function expectClean(text: string): void {
  expect(containsPlanted(text), `leaked a planted credential: ${text.slice(0, 200)}`).to.equal(false);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A keep-alive agent for many requests on few connections. */
export function keepAliveAgent(maxSockets = 256): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}
