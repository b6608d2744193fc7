import { expect } from 'chai';
import { Ctx, Event, FcFunction, OnInitialize, OnInvoke, OnPreFreeze, OnPreStop, type FcContext } from '../../src';
import { closeServers, deferred, expectFcError, expectOk, invoke, lifecycle, startServer, until } from './helpers';

/** A function that records each hook call (with the request id it ran under) in `calls`. */
function declareRecordingFunction(
  calls: string[],
  options: { failFirstInitializations?: number; holdInitialization?: Promise<void> } = {},
) {
  let failuresLeft = options.failFirstInitializations ?? 0;

  @FcFunction({ name: 'recorder' })
  class Recorder {
    @OnInitialize()
    async init(@Ctx() ctx: FcContext) {
      calls.push(`initialize ${ctx.requestId}`);
      await options.holdInitialization;
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('config service not ready');
      }
    }

    @OnInvoke()
    handle(@Event() event: { n: number }, @Ctx() ctx: FcContext) {
      calls.push(`invoke ${ctx.requestId}`);
      return { n: event.n };
    }

    @OnPreFreeze()
    freeze(@Ctx() ctx: FcContext) {
      calls.push(`preFreeze ${ctx.requestId}`);
    }

    @OnPreStop()
    stop(@Ctx() ctx: FcContext) {
      calls.push(`preStop ${ctx.requestId}`);
    }
  }
  return Recorder;
}

describe('e2e: lifecycle over HTTP', () => {
  afterEach(closeServers);

  it('calls the hooks in FC order, each lifecycle hook once', async () => {
    const calls: string[] = [];
    const { port } = await startServer({ functions: [declareRecordingFunction(calls)] });

    expectOk(await lifecycle(port, '/initialize', { 'x-fc-request-id': 'init-1' }));
    for (let n = 1; n <= 3; n++) {
      const answer = expectOk(await invoke(port, { n }, { 'x-fc-request-id': `inv-${n}` }));
      expect(answer.json()).to.deep.equal({ n });
    }
    expectOk(await lifecycle(port, '/pre-freeze', { 'x-fc-request-id': 'freeze-1' }));
    expectOk(await lifecycle(port, '/pre-stop', { 'x-fc-request-id': 'stop-1' }));

    expect(calls).to.deep.equal([
      'initialize init-1',
      'invoke inv-1',
      'invoke inv-2',
      'invoke inv-3',
      'preFreeze freeze-1',
      'preStop stop-1',
    ]);
  });

  it('answers a failed initializer with InitializationError, then succeeds on retry', async () => {
    const calls: string[] = [];
    const { port } = await startServer({
      functions: [declareRecordingFunction(calls, { failFirstInitializations: 1 })],
    });

    const failed = expectFcError(
      await lifecycle(port, '/initialize', { 'x-fc-request-id': 'init-1' }),
      'InitializationError',
    );
    expect(failed.errorMessage).to.equal('Initialization of function "recorder" failed: config service not ready');
    expectOk(await lifecycle(port, '/initialize', { 'x-fc-request-id': 'init-2' }));
    // A success happens at most once: a later /initialize does not run the initializer again.
    expectOk(await lifecycle(port, '/initialize', { 'x-fc-request-id': 'init-3' }));
    expectOk(await invoke(port, { n: 1 }, { 'x-fc-request-id': 'inv-1' }));

    expect(calls).to.deep.equal(['initialize init-1', 'initialize init-2', 'invoke inv-1']);
  });

  it('runs the initializer once for 20 concurrent /initialize calls, all answered 200', async () => {
    const calls: string[] = [];
    const lines: string[] = [];
    const hold = deferred();
    const { port } = await startServer({
      functions: [declareRecordingFunction(calls, { holdInitialization: hold.promise })],
      logSink: (line) => lines.push(line),
    });

    const pending = Array.from({ length: 20 }, (_, i) =>
      lifecycle(port, '/initialize', { 'x-fc-request-id': `init-${i}` }),
    );
    // All twenty are inside the kernel while the first one's initializer is still running.
    await until(() => lines.filter((l) => l.startsWith('FC Initialize Start')).length === 20, '20 start markers');
    hold.resolve();
    const answers = await Promise.all(pending);
    for (const answer of answers) expectOk(answer);
    expect(calls.filter((c) => c.startsWith('initialize'))).to.have.length(1);
  });

  it('initializes first when /invoke arrives before any /initialize', async () => {
    const calls: string[] = [];
    const lines: string[] = [];
    const { port } = await startServer({
      functions: [declareRecordingFunction(calls)],
      logSink: (line) => lines.push(line),
    });

    const answers = await Promise.all([
      invoke(port, { n: 1 }, { 'x-fc-request-id': 'inv-1' }),
      invoke(port, { n: 2 }, { 'x-fc-request-id': 'inv-2' }),
    ]);
    for (const answer of answers) expectOk(answer);
    expect(calls).to.have.length(3);
    expect(calls[0]).to.match(/^initialize inv-[12]$/);
    expect(calls.slice(1).sort()).to.deep.equal(['invoke inv-1', 'invoke inv-2']);
    // The implicit initialization is logged between its own markers, before the invocation's.
    const first = calls[0]!.split(' ')[1]!;
    const markers = lines.filter((l) => l.startsWith('FC ') && l.endsWith(first));
    expect(markers).to.deep.equal([
      `FC Initialize Start RequestId: ${first}`,
      `FC Initialize End RequestId: ${first}`,
      `FC Invoke Start RequestId: ${first}`,
      `FC Invoke End RequestId: ${first}`,
    ]);

    expectOk(await lifecycle(port, '/initialize', { 'x-fc-request-id': 'init-late' }));
    expect(calls.filter((c) => c.startsWith('initialize'))).to.have.length(1);
  });

  it('an /invoke during a failing /initialize fails with it, and a later one retries', async () => {
    const calls: string[] = [];
    const lines: string[] = [];
    const hold = deferred();
    const { port } = await startServer({
      functions: [declareRecordingFunction(calls, { failFirstInitializations: 1, holdInitialization: hold.promise })],
      logSink: (line) => lines.push(line),
    });

    const initializing = lifecycle(port, '/initialize', { 'x-fc-request-id': 'init-1' });
    await until(() => calls.includes('initialize init-1'), 'the initializer to start');
    const invoking = invoke(port, { n: 1 }, { 'x-fc-request-id': 'inv-1' });
    // The /invoke joins the running initialization as soon as its start marker is written.
    await until(() => lines.includes('FC Invoke Start RequestId: inv-1'), 'the invocation to start');
    hold.resolve();
    const [init, early] = await Promise.all([initializing, invoking]);
    expectFcError(init, 'InitializationError');
    expectFcError(early, 'InitializationError');
    expectOk(await invoke(port, { n: 2 }, { 'x-fc-request-id': 'inv-2' }));
    expect(calls).to.deep.equal(['initialize init-1', 'initialize inv-2', 'invoke inv-2']);
  });

  it('answers /pre-stop and /pre-freeze of a never-initialized function without running the hooks', async () => {
    const calls: string[] = [];
    const { port } = await startServer({ functions: [declareRecordingFunction(calls)] });
    expectOk(await lifecycle(port, '/pre-freeze'));
    expectOk(await lifecycle(port, '/pre-stop'));
    expect(calls).to.deep.equal([]);
  });
});
