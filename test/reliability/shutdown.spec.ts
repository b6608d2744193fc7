/*
 * Shutdown of a process run by serve(): SIGTERM with 200 requests in flight or still queued, the
 * signal repeated as process managers repeat it, a person's second Ctrl-C, FC's /pre-stop before
 * more work, requests that arrive while @OnPreStop runs, a client that trickles its body through
 * the drain, and pipelined requests on a connection that the drain closes.
 */
import { expect } from 'chai';
import type { Socket } from 'node:net';
import { Ctx, Event, FcContext, FcFunction, OnInvoke, OnPreStop } from '../../src';
import { capture, tally } from './capture';
import type { Work } from './fixtures/server';
import {
  capturedKernel,
  dispatchChecked,
  expectClean,
  expectFcAnswer,
  expectFcError,
  fcHeaders,
  fixturePort,
  keepAliveAgent,
  killFixtures,
  listen,
  parseRawAnswers,
  rawConnect,
  readUntilClosed,
  send,
  sendChecked,
  sleep,
  startFixture,
  untilNotListening,
  type Fixture,
  type HttpAnswer,
} from './harness';

/** The line the pre-stop hook of the `server` fixture logs when it flushes. */
const FLUSHED = / \[INFO\] pre-stop flushed (\d+): (.*)$/;

function flushedIds(fixture: Fixture): string[] | undefined {
  const line = fixture.stdout.find((l) => FLUSHED.test(l));
  if (line === undefined) return undefined;
  const ids = FLUSHED.exec(line)![2]!;
  return ids === '' ? [] : ids.split(',');
}

/** Sends `count` slow jobs, one connection each; resolves with each answer or the error in its place. */
function inFlight(port: number, count: number, prefix: string): Promise<(HttpAnswer | Error)[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const work: Work = { id: `${prefix}-${i}`, delayMs: 300 + ((i * 37) % 700) };
      return send(port, { headers: fcHeaders(), body: JSON.stringify(work), agent: false }).catch(
        (error: Error) => error,
      );
    }),
  );
}

describe('shutdown on SIGTERM', function () {
  this.timeout(60_000);

  after(() => killFixtures());

  it('answers all 200 requests in flight or queued, then exits 0 within the drain deadline', async () => {
    const fixture = startFixture('server', { FIXTURE_DRAIN_MS: '20000' });
    const port = await fixturePort(fixture);
    await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: 'warm-up' }) });

    // One connection each, so that the last ones are still in the accept queue at the signal.
    const answers = Array.from({ length: 200 }, (_, i) => {
      const work: Work = { id: `job-${i}`, delayMs: 300 + ((i * 37) % 700) };
      return sendChecked(port, { headers: fcHeaders(), body: JSON.stringify(work), agent: false }).then((answer) => ({
        sent: work.id,
        answer,
      }));
    });
    await fixture.waitForLine(/ \[INFO\] work job-\d+ started$/);
    fixture.child.kill('SIGTERM');

    for (const { sent, answer } of await Promise.all(answers)) {
      expect(answer.statusCode).to.equal(200);
      expect(JSON.parse(answer.body.toString())).to.include({ id: sent });
    }
    expect(await fixture.exited).to.equal(0);
    expect(fixture.stderr.join('\n')).to.not.contain('drain deadline passed');
    // Every invocation ran to its end marker before the process left.
    const ends = fixture.stdout.filter((l) => /^FC Invoke End RequestId: /.test(l));
    expect(ends.length).to.equal(201);
  });

  // Process managers signal the whole group (kill -TERM -<pgid>, systemd's control-group mode,
  // dumb-init, tini -g), npm forwards the signal again, and a terminal's Ctrl-C reaches every
  // process of the group: the second signal is the same request, not an order to abandon work.
  for (const [first, second] of [
    ['SIGTERM', 'SIGTERM'],
    ['SIGTERM', 'SIGINT'],
    ['SIGINT', 'SIGINT'],
  ] as const) {
    it(`answers all 200 requests in flight and runs @OnPreStop when ${first} is followed by ${second}`, async () => {
      const fixture = startFixture('server', { FIXTURE_DRAIN_MS: '20000' });
      const port = await fixturePort(fixture);
      tally.faultsInjected++;
      const answers = inFlight(port, 200, 'twice');
      await fixture.waitForLine(/ \[INFO\] work twice-\d+ started$/);
      fixture.child.kill(first);
      await sleep(30);
      fixture.child.kill(second);

      const outcomes = await answers;
      const lost = outcomes.filter((o) => o instanceof Error);
      capture('shutdown', `${first} then ${second} with 200 in flight: ${lost.length} without an answer`);
      expect(lost.map(String).slice(0, 3), `${lost.length} of 200 lost`).to.deep.equal([]);
      for (const answer of outcomes as HttpAnswer[]) expectFcAnswer(answer.statusCode, answer.headers, answer.body);
      expect(await fixture.exited).to.equal(0);
      expect(flushedIds(fixture)).to.have.length(200);
      tally.faultsSurvived++;
    });
  }

  it('bounds a drain held by a stuck request with the drain deadline, whatever SIGTERMs follow, and exits 1', async () => {
    const fixture = startFixture('server', { FIXTURE_DRAIN_MS: '1500' });
    const port = await fixturePort(fixture);
    await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: 'before' }) });
    // Deliberately never answered: not a request the suite counts as lost.
    const stuck = send(port, {
      headers: fcHeaders(),
      body: JSON.stringify({ id: 'stuck', hang: true }),
      counted: false,
    }).catch((error: unknown) => error);
    await fixture.waitForLine(/ \[INFO\] work stuck started$/);
    tally.faultsInjected++;
    fixture.child.kill('SIGTERM');
    await untilNotListening(port);
    for (let i = 0; i < 3; i++) {
      await sleep(100);
      fixture.child.kill('SIGTERM');
    }
    // The shutdown lost the stuck request: it says so, still flushes what was accepted, and the
    // exit code tells the process manager.
    expect(await fixture.exited).to.equal(1);
    const stderr = fixture.stderr.join('\n');
    expect(stderr).to.contain('drain deadline passed with 1 request(s) unanswered');
    expect(stderr).to.not.contain('exiting now');
    expect(flushedIds(fixture)).to.deep.equal(['before']);
    expect(await stuck).to.be.instanceOf(Error);
    tally.faultsSurvived++;
  });

  it('exits at once with 130 on a SIGINT more than 3 s after the shutdown began (a person pressing Ctrl-C again)', async () => {
    const fixture = startFixture('server', { FIXTURE_DRAIN_MS: '60000' });
    const port = await fixturePort(fixture);
    const stuck = send(port, {
      headers: fcHeaders(),
      body: JSON.stringify({ id: 'stuck', hang: true }),
      counted: false,
    }).catch((error: unknown) => error);
    await fixture.waitForLine(/ \[INFO\] work stuck started$/);
    fixture.child.kill('SIGINT');
    // The listener closes as the shutdown begins.
    await untilNotListening(port);
    await sleep(3_500);
    expect(fixture.child.exitCode, 'still draining').to.equal(null);
    fixture.child.kill('SIGINT');
    expect(await fixture.exited).to.equal(130);
    expect(fixture.stderr.join('\n')).to.contain('SIGINT again, exiting now');
    expect(await stuck).to.be.instanceOf(Error);
  });

  it("runs @OnPreStop at shutdown for invocations that ran after FC's /pre-stop", async () => {
    const fixture = startFixture('server');
    const port = await fixturePort(fixture);
    // FC's /pre-stop on an instance that has not run yet: there is nothing to flush.
    expect((await sendChecked(port, { method: 'GET', path: '/pre-stop', headers: fcHeaders() })).statusCode).to.equal(
      200,
    );
    tally.faultsInjected++;
    for (const id of ['o-1', 'o-2', 'o-3']) {
      expect((await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id }) })).statusCode).to.equal(
        200,
      );
    }
    fixture.child.kill('SIGTERM');
    expect(await fixture.exited).to.equal(0);
    expect(flushedIds(fixture)).to.deep.equal(['o-1', 'o-2', 'o-3']);
    tally.faultsSurvived++;
  });

  it('refuses invocations that arrive on an open connection once @OnPreStop has begun, with Connection: close', async () => {
    const fixture = startFixture('server', { FIXTURE_PRE_STOP: 'slow', FIXTURE_PRE_STOP_MS: '3000' });
    const port = await fixturePort(fixture);
    const agent = keepAliveAgent(1);
    try {
      await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: 'accepted' }), agent });
      tally.faultsInjected++;
      fixture.child.kill('SIGTERM');
      await fixture.waitForLine(/ \[INFO\] pre-stop \(slow\)$/);
      // The kept-alive connection is still open: FC (or a proxy) sends on it.
      const late = await sendChecked(port, {
        headers: fcHeaders({ 'x-fc-request-id': 'rel-late-1' }),
        body: JSON.stringify({ id: 'late' }),
        agent,
      });
      const error = expectFcError(late);
      expect(error.errorType).to.equal('InstanceStoppingError');
      expect(late.headers.connection).to.equal('close');
      expect(await fixture.exited).to.equal(0);
      expect(fixture.stdout.some((l) => l.includes('work late started'))).to.equal(false);
      expect(fixture.stdout.some((l) => / rel-late-1 \[ERROR\] InstanceStoppingError: /.test(l))).to.equal(true);
      expect(flushedIds(fixture)).to.deep.equal(['accepted']);
      tally.faultsSurvived++;
    } finally {
      agent.destroy();
    }
  });

  it('gives @OnPreStop its own budget when a client trickles its body through the drain, and exits 1 for the cut-off request', async () => {
    const fixture = startFixture('server', {
      FIXTURE_DRAIN_MS: '1000',
      FIXTURE_PRE_STOP: 'slow',
      FIXTURE_PRE_STOP_MS: '300',
    });
    const port = await fixturePort(fixture);
    for (let i = 0; i < 5; i++)
      await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: `o-${i}` }) });
    // One byte a second of a 100-byte body.
    const socket: Socket = await rawConnect(port);
    const answered = readUntilClosed(socket, 30_000);
    socket.write(`POST /invoke HTTP/1.1\r\nHost: a\r\nx-fc-request-id: rel-trickle\r\nContent-Length: 100\r\n\r\n`);
    const timer = setInterval(() => socket.destroyed || socket.write('x'), 1_000);
    try {
      tally.faultsInjected++;
      fixture.child.kill('SIGTERM');
      expect(await fixture.exited).to.equal(1);
      expect(flushedIds(fixture)).to.deep.equal(['o-0', 'o-1', 'o-2', 'o-3', 'o-4']);
      const end = fixture.stdout.find((l) => l.startsWith('FC PreStop End RequestId: shutdown-'));
      expect(end).to.match(/^FC PreStop End RequestId: shutdown-[0-9a-f-]+$/);
      expect(fixture.stderr.join('\n')).to.contain('drain deadline passed with 1 request(s) unanswered');
      // The cut-off client is told, in FC's shape, or sees the connection close.
      for (const answer of parseRawAnswers(await answered)) expectFcError(answer);
      tally.faultsSurvived++;
    } finally {
      clearInterval(timer);
      socket.destroy();
    }
  });
});

describe('shutdown of an in-process server', function () {
  this.timeout(30_000);

  let release: (() => void) | undefined;
  /** Holds the `held-*` invocations until the test lets them answer. */
  let held = Promise.resolve();
  const flushed: string[] = [];
  const accepted: string[] = [];

  @FcFunction({ name: 'buffered' })
  class BufferedFunction {
    @OnInvoke()
    async take(@Event() id: string, @Ctx() ctx: FcContext): Promise<string> {
      ctx.logger.info(`take ${id}`);
      if (id.startsWith('held')) await held;
      accepted.push(id);
      return id;
    }

    @OnPreStop()
    async flush(): Promise<void> {
      if (release === undefined) await new Promise<void>((resolve) => (release = resolve));
      flushed.push(...accepted.splice(0));
    }
  }

  it('answers three pipelined requests in order when the drain begins while they run', async () => {
    const { kernel, lines } = capturedKernel('pipelined shutdown', { functions: [BufferedFunction] });
    release = () => undefined;
    let letThemAnswer!: () => void;
    held = new Promise((resolve) => (letThemAnswer = resolve));
    const server = await listen(kernel);
    const socket = await rawConnect(server.port);
    const answered = readUntilClosed(socket, 10_000);
    const request = (id: string) =>
      `POST /invoke HTTP/1.1\r\nHost: a\r\nx-fc-request-id: rel-pipe-${id}\r\nContent-Length: ${id.length}\r\n\r\n${id}`;
    socket.write(request('held-1') + request('held-2') + request('held-3'));
    tally.faultsInjected++;
    tally.requestsSent += 3;
    // node:http starts pipelined requests at once: all three run when the drain begins.
    while (lines.filter((l) => / \[INFO\] take held-\d$/.test(l)).length < 3) await sleep(5);
    const closed = server.close();
    letThemAnswer();
    const answers = parseRawAnswers(await answered);
    await closed;
    expect(answers.map((a) => [a.statusCode, a.body, a.headers.connection])).to.deep.equal([
      [200, 'held-1', 'keep-alive'],
      [200, 'held-2', 'keep-alive'],
      [200, 'held-3', 'close'],
    ]);
    for (const answer of answers) expectFcAnswer(answer.statusCode, answer.headers, answer.body);
    tally.faultsSurvived++;
  });

  it("refuses invocations while FC's /pre-stop runs, serves them after, and flushes them at shutdown", async () => {
    const { kernel, lines } = capturedKernel('fc pre-stop gate', { functions: [BufferedFunction] });
    release = undefined;
    accepted.length = 0;
    flushed.length = 0;
    try {
      expect((await dispatchChecked(kernel, { method: 'POST', path: '/invoke', body: 'a-1' })).statusCode).to.equal(
        200,
      );
      const preStop = dispatchChecked(kernel, { method: 'GET', path: '/pre-stop', headers: fcHeaders() });
      while (release === undefined) await sleep(2);
      tally.faultsInjected++;
      const during = await dispatchChecked(kernel, {
        method: 'POST',
        path: '/invoke',
        headers: fcHeaders({ 'x-fc-request-id': 'rel-during-pre-stop' }),
        body: 'during',
      });
      expect(expectFcError(during).errorType).to.equal('InstanceStoppingError');
      expect(lines.some((l) => l.includes('take during'))).to.equal(false);
      expect(lines.some((l) => / rel-during-pre-stop \[ERROR\] InstanceStoppingError: /.test(l))).to.equal(true);
      (release as () => void)();
      expect((await preStop).statusCode).to.equal(200);
      expect(flushed).to.deep.equal(['a-1']);

      expect((await dispatchChecked(kernel, { method: 'POST', path: '/invoke', body: 'a-2' })).statusCode).to.equal(
        200,
      );
      const outcome = await kernel.preStop();
      expect(outcome.failed).to.deep.equal([]);
      expect(flushed).to.deep.equal(['a-1', 'a-2']);
      for (const line of lines) expectClean(line);
      tally.faultsSurvived++;
    } finally {
      await kernel.close();
    }
  });
});
