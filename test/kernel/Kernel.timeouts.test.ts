import { expect } from 'chai';
import { Ctx, FcContext, FcFunction, Inject, Lifecycle, OnInitialize, OnInvoke, scoped, TimeoutError } from '../../src';
import { deferred, settle, sleep } from '../helpers/async';
import { errorOf } from '../helpers/answers';
import { markersIn } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

describe('Kernel timeouts, signals and limits', () => {
  const kernelOf = useTestKernels();

  /** A function whose handler hands out its context and then does what `behave` says. */
  function watched(behave: (ctx: FcContext) => Promise<unknown> | unknown) {
    const contexts: FcContext[] = [];
    @FcFunction()
    class Watched {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): Promise<unknown> | unknown {
        contexts.push(ctx);
        return behave(ctx);
      }
    }
    return { Watched, contexts };
  }

  describe('x-fc-function-timeout', () => {
    it('keeps the services of a timed-out handler until the handler settles', async () => {
      const release = deferred<string>();
      const disposed: string[] = [];
      @scoped(Lifecycle.ContainerScoped)
      class Connection {
        dispose(): void {
          disposed.push('connection');
        }
      }
      @FcFunction()
      class Overruns {
        @OnInvoke()
        async handle(@Inject(Connection) _connection: Connection): Promise<string> {
          return release.promise;
        }
      }
      const tk = kernelOf([Overruns]);
      const body = errorOf(await tk.invoke('{}', { headers: { 'x-fc-function-timeout': '0.02' } }));
      expect(body.errorType).to.equal('TimeoutError');
      await settle();
      expect(disposed).to.deep.equal([]);
      release.resolve('late');
      await settle();
      expect(disposed).to.deep.equal(['connection']);
    });

    it('answers TimeoutError for a handler that never settles and aborts ctx.signal', async () => {
      const { Watched, contexts } = watched(() => new Promise(() => undefined));
      const tk = kernelOf([Watched]);
      const body = errorOf(
        await tk.invoke('{}', { headers: { 'x-fc-function-timeout': '0.05', 'x-fc-request-id': 'slow-1' } }),
      );
      expect(body.errorType).to.equal('TimeoutError');
      expect(body.errorMessage).to.equal('Function timed out after 0.05 seconds');
      const ctx = contexts[0]!;
      expect(ctx.signal.aborted).to.equal(true);
      expect(ctx.signal.reason).to.be.instanceOf(TimeoutError);
      expect(ctx.function.timeout).to.equal(0.05);
      expect(markersIn(tk.logs).at(-1)).to.equal('FC Invoke End RequestId: slow-1, Error: Unhandled function error');
    });

    it('lets a handler that listens to ctx.signal stop its work', async () => {
      let cleanedUp = false;
      const { Watched } = watched(
        (ctx) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener('abort', () => {
              cleanedUp = true;
              reject(ctx.signal.reason);
            });
          }),
      );
      const tk = kernelOf([Watched]);
      const body = errorOf(await tk.invoke('{}', { headers: { 'x-fc-function-timeout': '0.02' } }));
      expect(body.errorType).to.equal('TimeoutError');
      expect(cleanedUp).to.equal(true);
    });

    it('leaves the signal alone once the handler has answered', async () => {
      const { Watched, contexts } = watched(() => 'fast');
      const tk = kernelOf([Watched]);
      const answer = await tk.invoke('{}', { headers: { 'x-fc-function-timeout': '0.02' } });
      expect(answer.statusCode).to.equal(200);
      // Past the deadline: a timer left running would abort the finished invocation's signal.
      await sleep(60);
      expect(contexts[0]!.signal.aborted).to.equal(false);
    });

    for (const value of ['0.05, 0.05', '0.05s', 'abc, 0.05', '0, 0.05', ['0.05', '0.05']]) {
      it(`times a hung handler out after the first valid value of ${JSON.stringify(value)}`, async () => {
        const { Watched, contexts } = watched(() => new Promise(() => undefined));
        const tk = kernelOf([Watched]);
        const body = errorOf(await tk.invoke('{}', { headers: { 'x-fc-function-timeout': value } }));
        expect(body.errorMessage).to.equal('Function timed out after 0.05 seconds');
        expect(contexts[0]!.function.timeout).to.equal(0.05);
      });
    }

    for (const value of ['', 'abc', '0', '-3', 'Infinity', '1e3', '0x10', '3ms', ' , ']) {
      it(`treats a timeout of ${JSON.stringify(value)} as none`, async () => {
        const { Watched, contexts } = watched(() => 'ok');
        const tk = kernelOf([Watched]);
        expect((await tk.invoke('{}', { headers: { 'x-fc-function-timeout': value } })).statusCode).to.equal(200);
        expect(contexts[0]!.deadline).to.equal(Infinity);
        expect(contexts[0]!.function.timeout).to.equal(0);
      });
    }
  });

  describe('x-fc-initialization-timeout', () => {
    it('bounds /initialize, and a later /initialize can still succeed', async () => {
      let attempt = 0;
      @FcFunction()
      class SlowStart {
        @OnInitialize()
        init(@Ctx() ctx: FcContext): Promise<void> {
          attempt++;
          // The first attempt hangs until its signal aborts, then gives up; the next one is quick.
          if (attempt === 1) {
            return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
          }
          return Promise.resolve();
        }
        @OnInvoke()
        handle(): string {
          return 'ok';
        }
      }
      const tk = kernelOf([SlowStart]);
      const body = errorOf(await tk.initialize({ headers: { 'x-fc-initialization-timeout': '0.05' } }));
      expect(body.errorType).to.equal('TimeoutError');
      expect(body.errorMessage).to.equal('Initialization timed out after 0.05 seconds');
      // The timed-out run fails when its signal aborts; the gate then lets a new attempt through.
      await settle();
      expect((await tk.initialize()).statusCode).to.equal(200);
      expect(attempt).to.equal(2);
    });

    it('bounds the initialization an /invoke runs first, and the next /invoke starts afresh', async () => {
      const signals: AbortSignal[] = [];
      let attempt = 0;
      @FcFunction()
      class HangsOnce {
        @OnInitialize()
        init(@Ctx() ctx: FcContext): Promise<void> {
          signals.push(ctx.signal);
          // The first attempt ignores its signal and never settles.
          return ++attempt === 1 ? new Promise(() => undefined) : Promise.resolve();
        }
        @OnInvoke()
        handle(): string {
          return `ready after ${attempt}`;
        }
      }
      const tk = kernelOf([HangsOnce]);
      const headers = { 'x-fc-initialization-timeout': '0.05', 'x-fc-function-timeout': '5' };
      const body = errorOf(await tk.invoke('{}', { headers }));
      expect(body.errorType).to.equal('TimeoutError');
      expect(body.errorMessage).to.equal('Initialization timed out after 0.05 seconds');
      expect(signals[0]!.aborted).to.equal(true);
      const answer = await tk.invoke('{}', { headers });
      expect(answer.statusCode).to.equal(200);
      expect(String(answer.raw)).to.equal('ready after 2');
    });
  });

  describe('the caller signal', () => {
    it('aborts ctx.signal when it aborts mid-handler', async () => {
      const entered = deferred();
      const { Watched, contexts } = watched(async (ctx) => {
        entered.resolve();
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        return `stopped: ${String((ctx.signal.reason as Error).message)}`;
      });
      const tk = kernelOf([Watched]);
      const caller = new AbortController();
      const answer = tk.dispatch({ method: 'POST', path: '/invoke', body: '{}', signal: caller.signal });
      await entered.promise;
      expect(contexts[0]!.signal.aborted).to.equal(false);
      caller.abort(new Error('client went away'));
      expect(contexts[0]!.signal.aborted).to.equal(true);
      expect((await answer).body).to.equal('stopped: client went away');
    });

    it('aborts ctx.signal from the start when it is already aborted', async () => {
      const { Watched, contexts } = watched((ctx) => ctx.signal.aborted);
      const tk = kernelOf([Watched]);
      // Initialized first: a caller already gone would not start an initialization.
      expect((await tk.dispatch({ method: 'POST', path: '/initialize' })).statusCode).to.equal(200);
      const caller = new AbortController();
      caller.abort(new Error('gone before dispatch'));
      const answer = await tk.dispatch({ method: 'POST', path: '/invoke', body: '{}', signal: caller.signal });
      expect(answer.body).to.equal('true');
      expect((contexts[0]!.signal.reason as Error).message).to.equal('gone before dispatch');
    });

    it('does not reach ctx.signal after the invocation ended', async () => {
      const { Watched, contexts } = watched(() => 'done');
      const tk = kernelOf([Watched]);
      const caller = new AbortController();
      await tk.dispatch({ method: 'POST', path: '/invoke', body: '{}', signal: caller.signal });
      caller.abort();
      expect(contexts[0]!.signal.aborted).to.equal(false);
    });
  });

  describe('bodyLimit', () => {
    it('answers PayloadTooLargeError for a body over the limit, counting bytes', async () => {
      const { Watched, contexts } = watched(() => 'ok');
      const tk = kernelOf([Watched], { bodyLimit: 8 });
      expect(tk.kernel.bodyLimit).to.equal(8);
      expect((await tk.invoke('"123456"')).statusCode).to.equal(200);
      for (const body of ['"1234567"', '"éééé"', Buffer.alloc(9)]) {
        const error = errorOf(await tk.invoke(body));
        expect(error.errorType).to.equal('PayloadTooLargeError');
        expect(error.errorMessage).to.equal('Request body exceeds the limit of 8 bytes');
      }
      expect(contexts).to.have.length(1);
    });

    it('defaults to 32 MB', async () => {
      const { Watched } = watched(() => 'ok');
      const tk = kernelOf([Watched]);
      expect(tk.kernel.bodyLimit).to.equal(32 * 1024 * 1024);
    });
  });
});
