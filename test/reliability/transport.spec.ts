/*
 * Transport abuse against the real server: slow and broken clients, oversized headers, clients
 * that vanish, and hundreds of idle keep-alive connections. Each time the server's own
 * resources stay bounded and other clients are served.
 */
import { expect } from 'chai';
import type { Socket } from 'node:net';
import { Ctx, Event, FcContext, FcFunction, OnInvoke, type FcHttpServer } from '../../src';
import { capture, tally } from './capture';
import {
  capturedKernel,
  expectFcAnswer,
  expectFcError,
  fcHeaders,
  keepAliveAgent,
  listen,
  parseRawAnswer,
  parseRawAnswers,
  rawConnect,
  readUntilClosed,
  sendChecked,
  sleep,
} from './harness';

/** Resolvers for the `waiter` function: the test learns when it started and how it ended. */
const waiting = new Map<string, { started(): void; ended(outcome: string): void }>();

@FcFunction({ name: 'echo' })
class EchoFunction {
  @OnInvoke()
  echo(@Event() text: string): string {
    return text;
  }
}

@FcFunction({ name: 'waiter' })
class WaiterFunction {
  @OnInvoke()
  async wait(@Event() key: string, @Ctx() ctx: FcContext): Promise<string> {
    const hooks = waiting.get(key);
    hooks?.started();
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('not aborted'), 10_000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(`aborted: ${String((ctx.signal.reason as Error).message)}`);
      });
    });
    hooks?.ended(outcome);
    return outcome;
  }
}

/** A raw request to `echo` as one string. */
function rawEcho(body: string, extraHeaders = ''): string {
  return (
    `POST /invoke HTTP/1.1\r\nHost: a\r\nx-fc-function-name: echo\r\n${extraHeaders}` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** Writes `text` one byte every `intervalMs`. */
async function trickle(socket: Socket, text: string, intervalMs = 100): Promise<void> {
  for (const byte of Buffer.from(text)) {
    if (socket.destroyed) return;
    socket.write(Buffer.of(byte));
    await sleep(intervalMs);
  }
}

/** Sockets, servers and pipes keeping the process alive (timers come and go with the test runner). */
function openHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r !== 'Timeout' && r !== 'Immediate').length;
}

function connections(server: FcHttpServer): Promise<number> {
  return new Promise((resolve, reject) =>
    server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

/** Waits (bounded) until the server has `expected` open connections. */
async function untilConnections(server: FcHttpServer, expected: number): Promise<number> {
  let count = await connections(server);
  for (let i = 0; i < 200 && count !== expected; i++) {
    await sleep(25);
    count = await connections(server);
  }
  return count;
}

describe('transport abuse', function () {
  this.timeout(60_000);
  const { kernel, lines } = capturedKernel('transport kernel', { functions: [EchoFunction, WaiterFunction] });
  let server: FcHttpServer;
  const normal = (text: string) =>
    sendChecked(server.port, {
      headers: fcHeaders({ 'x-fc-function-name': 'echo' }),
      body: text,
      agent: false,
      source: 'transport http',
    });

  before(async () => {
    server = await listen(kernel);
    await normal('warm');
  });

  after(async () => {
    await server.close();
  });

  afterEach(async () => {
    // Whatever a test did, the server is back to no requests pending and no connections.
    expect(await untilConnections(server, 0)).to.equal(0);
    expect(server.pending).to.equal(0);
  });

  it('serves others while clients trickle their headers one byte per 100 ms, then answers them', async () => {
    const slow = await Promise.all(Array.from({ length: 10 }, () => rawConnect(server.port)));
    const answers = slow.map((socket) => readUntilClosed(socket, 30_000));
    let trickled = 0;
    const trickling = slow.map((socket, i) => {
      const request = rawEcho(`slow ${i}`, 'Connection: close\r\n');
      const end = request.indexOf('\r\n\r\n') + 4;
      // The head a byte at a time, then the body at once.
      return trickle(socket, request.slice(0, end)).then(() => {
        socket.write(request.slice(end));
        trickled++;
      });
    });
    // Normal clients are answered while every slow one is still sending its head.
    for (let i = 0; i < 5; i++) {
      expect((await normal(`normal ${i}`)).body.toString()).to.equal(`normal ${i}`);
      expect(trickled).to.equal(0);
      await sleep(200);
    }
    expect(await connections(server)).to.equal(10);
    await Promise.all(trickling);
    const texts = await Promise.all(answers);
    texts.forEach((text, i) => {
      const answer = parseRawAnswer(text);
      expect(answer.statusCode).to.equal(200);
      expect(answer.body).to.equal(`slow ${i}`);
    });
    tally.requestsSent += 10;
  });

  it('answers a body trickled one byte per 100 ms', async () => {
    const socket = await rawConnect(server.port);
    const answer = readUntilClosed(socket, 30_000);
    const request = rawEcho('trickled body', 'Connection: close\r\n');
    const end = request.indexOf('\r\n\r\n') + 4;
    socket.write(request.slice(0, end));
    const trickling = trickle(socket, request.slice(end));
    expect((await normal('meanwhile')).body.toString()).to.equal('meanwhile');
    await trickling;
    const parsed = parseRawAnswer(await answer);
    expect(parsed.statusCode).to.equal(200);
    expect(parsed.body).to.equal('trickled body');
    tally.requestsSent++;
  });

  it('drops a body cut off mid-way without running the handler, and keeps serving', async () => {
    const invocationsBefore = lines.filter((l) => l.startsWith('FC Invoke Start')).length;
    for (let i = 0; i < 20; i++) {
      const socket = await rawConnect(server.port);
      const closed = readUntilClosed(socket, 5_000);
      socket.write(rawEcho('x'.repeat(1000)).slice(0, 200 + i * 20));
      await sleep(10);
      socket.destroy();
      await closed;
    }
    expect((await normal('after cuts')).body.toString()).to.equal('after cuts');
    // Only the normal request reached a handler.
    expect(lines.filter((l) => l.startsWith('FC Invoke Start')).length).to.equal(invocationsBefore + 1);
  });

  /**
   * Sends a 16 MB body to a server whose limit is 1 MB, as a simple client does: the whole body
   * first (as fast as the server takes it), then the answer. Returns what came back, or the error
   * that cut the caller off.
   */
  async function sendWholeThenRead(port: number, chunked: boolean): Promise<string> {
    const size = 16 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 'x');
    const socket = await rawConnect(port);
    socket.pause();
    const failed = new Promise<string>((resolve) =>
      socket.once('error', (error) => resolve(`cut off: ${error.message}`)),
    );
    const head = 'POST /invoke HTTP/1.1\r\nHost: a\r\nx-fc-function-name: echo\r\n';
    socket.write(
      chunked
        ? `${head}Transfer-Encoding: chunked\r\n\r\n${size.toString(16)}\r\n`
        : `${head}Content-Length: ${size}\r\n\r\n`,
    );
    const sent = (async () => {
      for (let offset = 0; offset < size && !socket.destroyed; offset += piece.length) {
        if (!socket.write(piece)) await new Promise((resolve) => socket.once('drain', resolve));
      }
      if (chunked && !socket.destroyed) socket.write('\r\n0\r\n\r\n');
      if (socket.destroyed) return undefined;
      const answer = readUntilClosed(socket, 10_000);
      socket.resume();
      return answer;
    })();
    return Promise.race([failed, sent.then((answer) => answer ?? failed)]);
  }

  for (const chunked of [false, true]) {
    it(`gets the answer to a body over bodyLimit to callers that send it all before reading (${chunked ? 'chunked' : 'Content-Length'})`, async () => {
      const limited = capturedKernel('body limit kernel', { functions: [EchoFunction], bodyLimit: 1024 * 1024 });
      const own = await listen(limited.kernel);
      try {
        const answers = await Promise.all(Array.from({ length: 10 }, () => sendWholeThenRead(own.port, chunked)));
        tally.requestsSent += answers.length;
        const answered = answers.filter((text) => !text.startsWith('cut off'));
        tally.requestsLost += answers.length - answered.length;
        expect(
          answers.length - answered.length,
          answers.find((text) => text.startsWith('cut off')),
        ).to.equal(0);
        for (const text of answered) {
          const answer = parseRawAnswer(text);
          expect(expectFcError(answer).errorType).to.equal('PayloadTooLargeError');
          expect(answer.headers.connection).to.equal('close');
        }
        expect(limited.lines.filter((l) => l.startsWith('FC Invoke Start'))).to.deep.equal([]);
      } finally {
        await own.close();
      }
    });
  }

  it('answers headers over 16 KB with an FC error and closes, and takes 8 KB ones', async () => {
    const big = `x-padding: ${'p'.repeat(17 * 1024)}\r\n`;
    const socket = await rawConnect(server.port);
    const answer = readUntilClosed(socket);
    socket.write(rawEcho('too big', big));
    const parsed = parseRawAnswer(await answer);
    const error = expectFcAnswer(parsed.statusCode, parsed.headers, parsed.body);
    expect(error?.errorType).to.equal('BadRequestError');
    expect(error?.errorMessage).to.contain('headers are larger');

    const fits = await sendChecked(server.port, {
      headers: fcHeaders({ 'x-fc-function-name': 'echo', 'x-padding': 'p'.repeat(8 * 1024 - 512) }),
      body: 'fits',
      agent: false,
    });
    expect(fits.body.toString()).to.equal('fits');
  });

  /** Writes `bytes` on a fresh connection and returns every answer that came back, in order. */
  async function rawAnswers(bytes: string | Buffer): Promise<ReturnType<typeof parseRawAnswers>> {
    const socket = await rawConnect(server.port);
    const closed = readUntilClosed(socket, 10_000);
    socket.write(bytes);
    const answers = parseRawAnswers(await closed);
    tally.inputsTried++;
    for (const answer of answers) expectFcAnswer(answer.statusCode, answer.headers, answer.body);
    return answers;
  }

  const invocations = () => lines.filter((l) => l.startsWith('FC Invoke Start')).length;

  it('answers a valid request before the parse error of the garbage that follows it on the connection', async () => {
    const before = invocations();
    const answers = await rawAnswers(rawEcho('first') + 'GARBAGE\r\n\r\n');
    expect(answers.map((a) => [a.statusCode, a.headers['x-fc-status']])).to.deep.equal([
      [200, '200'],
      [404, '404'],
    ]);
    expect(answers[0]!.body).to.equal('first');
    expect(JSON.parse(answers[1]!.body)).to.include({ errorType: 'BadRequestError' });
    expect(answers[1]!.headers.connection).to.equal('close');
    expect(invocations() - before).to.equal(1);
    tally.requestsSent++;
  });

  it('answers a request that said Connection: close, and nothing else, when a stray byte follows it', async () => {
    const answers = await rawAnswers(rawEcho('closing', 'Connection: close\r\n') + 'x');
    expect(answers.map((a) => [a.statusCode, a.body])).to.deep.equal([[200, 'closing']]);
    tally.requestsSent++;
  });

  it('answers a valid request before the error of a 17 KB header that follows it', async () => {
    const big = `x-padding: ${'p'.repeat(17 * 1024)}\r\n`;
    const answers = await rawAnswers(rawEcho('fits') + rawEcho('too big', big));
    expect(answers.map((a) => a.statusCode)).to.deep.equal([200, 404]);
    expect(answers[0]!.body).to.equal('fits');
    expect(JSON.parse(answers[1]!.body).errorMessage).to.contain('headers are larger');
    tally.requestsSent++;
  });

  it('answers pipelined requests in order, each with its own answer, when a later one fails to parse', async () => {
    const slow = 'POST /invoke HTTP/1.1\r\nHost: a\r\nx-fc-function-name: waiter\r\nx-fc-function-timeout: 0.3\r\n';
    const answers = await rawAnswers(
      `${slow}Content-Length: 4\r\n\r\nnone` + rawEcho('second') + rawEcho('third') + '\x01\r\n\r\n',
    );
    expect(answers.map((a) => a.statusCode)).to.deep.equal([404, 200, 200, 404]);
    expect(JSON.parse(answers[0]!.body)).to.include({ errorType: 'TimeoutError' });
    expect(answers[1]!.body).to.equal('second');
    expect(answers[2]!.body).to.equal('third');
    expect(JSON.parse(answers[3]!.body)).to.include({ errorType: 'BadRequestError' });
    tally.requestsSent += 3;
  });

  it("answers requests node:http would answer itself in FC's shape: no Host header, Expect: 102-x, CONNECT", async () => {
    // No Host header: FC's front end is not a browser; the request is served.
    const noHost = await rawAnswers(
      'POST /invoke HTTP/1.1\r\nx-fc-function-name: echo\r\nConnection: close\r\nContent-Length: 7\r\n\r\nno host',
    );
    expect(noHost.map((a) => [a.statusCode, a.headers['x-fc-status'], a.body])).to.deep.equal([
      [200, '200', 'no host'],
    ]);

    const expectation = await rawAnswers(rawEcho('expects', 'Expect: 102-x\r\n'));
    expect(expectation).to.have.length(1);
    expect(JSON.parse(expectation[0]!.body)).to.include({ errorType: 'BadRequestError' });

    const connectMethod = await rawAnswers('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(connectMethod).to.have.length(1);
    expect(JSON.parse(connectMethod[0]!.body)).to.include({ errorType: 'RouteNotFoundError' });
    tally.requestsSent += 3;
  });

  it('answers the readiness probes GET / and HEAD / with 200 and logs no error', async () => {
    const errorsBefore = lines.filter((l) => l.includes('[ERROR]')).length;
    for (const method of ['GET', 'HEAD']) {
      const probe = await sendChecked(server.port, { method, path: '/', headers: {}, agent: false });
      expect(probe.statusCode).to.equal(200);
      expect(probe.headers['x-fc-status']).to.equal('200');
    }
    expect(lines.filter((l) => l.includes('[ERROR]')).length).to.equal(errorsBefore);
  });

  it('answers a configured health path with 200, without markers or an error line', async () => {
    const probed = capturedKernel('health kernel', { functions: [EchoFunction], healthPath: '/healthz' });
    const own = await listen(probed.kernel);
    try {
      const probe = await sendChecked(own.port, { method: 'GET', path: '/healthz?probe=1', headers: {}, agent: false });
      expect(probe.statusCode).to.equal(200);
      expect(probed.lines).to.deep.equal([]);
    } finally {
      await own.close();
    }
  });

  it("aborts the handler's ctx.signal when its client disconnects mid-invocation", async () => {
    const key = 'disconnect-1';
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const ended = new Promise<string>((resolve) => waiting.set(key, { started: markStarted, ended: resolve }));
    const socket = await rawConnect(server.port);
    const closed = readUntilClosed(socket);
    socket.write(
      `POST /invoke HTTP/1.1\r\nHost: a\r\nx-fc-function-name: waiter\r\nx-fc-request-id: ${key}\r\n` +
        `Content-Length: ${key.length}\r\n\r\n${key}`,
    );
    await started;
    expect(server.pending).to.equal(1);
    socket.destroy();
    expect(await ended).to.equal('aborted: The caller closed the connection');
    await closed;
    // The invocation still ends between its markers.
    for (let i = 0; i < 100 && !lines.includes(`FC Invoke End RequestId: ${key}`); i++) await sleep(10);
    expect(lines).to.include(`FC Invoke End RequestId: ${key}`);
  });

  it('holds 500 idle keep-alive connections with bounded resources and still serves others', async () => {
    const resourcesBefore = openHandles();
    const heapBefore = process.memoryUsage().heapUsed;
    const agent = keepAliveAgent(500);
    // 500 requests at once on a 500-socket keep-alive agent: 500 connections, then idle.
    const opened = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        sendChecked(server.port, {
          headers: fcHeaders({ 'x-fc-function-name': 'echo' }),
          body: `idle-${i}`,
          agent,
          source: 'idle http',
        }),
      ),
    );
    expect(opened.every((answer, i) => answer.body.toString() === `idle-${i}`)).to.equal(true);
    expect(await untilConnections(server, 500)).to.equal(500);
    expect(server.pending).to.equal(0);
    // Idle a while: the server keeps them (FC reuses connections), one socket on each side each.
    await sleep(500);
    expect(await connections(server)).to.equal(500);
    expect(openHandles() - resourcesBefore).to.be.at.most(1000);

    // Another client is served while they idle.
    expect((await normal('not starved')).body.toString()).to.equal('not starved');
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    capture('transport', `500 idle connections: heap +${heapGrowth} bytes`);
    expect(heapGrowth).to.be.below(64 * 1024 * 1024);

    agent.destroy();
    expect(await untilConnections(server, 0)).to.equal(0);
    let resourcesAfter = openHandles();
    for (let i = 0; i < 100 && resourcesAfter > resourcesBefore; i++) {
      await sleep(20);
      resourcesAfter = openHandles();
    }
    expect(resourcesAfter).to.be.at.most(resourcesBefore);
  });
});
