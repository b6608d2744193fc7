import { expect } from 'chai';
import { Ctx, FcContext, FcFunction, OnInitialize, OnInvoke, OnPreFreeze, OnPreStop } from '../../src';
import { deferred, settle } from '../helpers/async';
import { errorOf } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

/** What happened in the function, in order. */
type Journal = string[];

describe('Kernel lifecycle', () => {
  const kernelOf = useTestKernels();

  /** A function class whose hooks write to `journal`; `init` decides what the initializer does. */
  function lifecycleFunction(
    journal: Journal,
    init: (attempt: number) => Promise<void> | void = () => undefined,
    name = 'lifecycle',
  ) {
    let attempts = 0;
    @FcFunction({ name })
    class Lifecycle {
      constructor() {
        journal.push('construct');
      }
      @OnInitialize()
      async initialize(@Ctx() ctx: FcContext): Promise<void> {
        journal.push(`init:${ctx.requestId}`);
        await init(++attempts);
        journal.push('init-done');
      }
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): string {
        journal.push(`invoke:${ctx.requestId}`);
        return 'handled';
      }
      @OnPreStop()
      preStop(@Ctx() ctx: FcContext): void {
        journal.push(`preStop:${ctx.requestId}`);
      }
      @OnPreFreeze()
      preFreeze(@Ctx() ctx: FcContext): void {
        journal.push(`preFreeze:${ctx.requestId}`);
      }
    }
    return Lifecycle;
  }

  describe('/initialize', () => {
    it('runs the initializer once, however often it is called', async () => {
      const journal: Journal = [];
      const tk = kernelOf([lifecycleFunction(journal)]);
      for (const id of ['i1', 'i2']) {
        const res = await tk.initialize({ requestId: id });
        expect(res.statusCode).to.equal(200);
        expect(res.headers['x-fc-status']).to.equal('200');
        expect(res.raw.length).to.equal(0);
      }
      await tk.invoke('{}', { requestId: 'v1' });
      expect(journal).to.deep.equal(['construct', 'init:i1', 'init-done', 'invoke:v1']);
    });

    it('20 concurrent calls share one run and all succeed', async () => {
      const journal: Journal = [];
      const release = deferred();
      const tk = kernelOf([lifecycleFunction(journal, () => release.promise)]);
      const calls = Array.from({ length: 20 }, (_, i) => tk.initialize({ requestId: `c${i}` }));
      await settle();
      expect(journal).to.deep.equal(['construct', 'init:c0']);
      release.resolve();
      const answers = await Promise.all(calls);
      expect(answers.map((a) => a.statusCode)).to.deep.equal(Array(20).fill(200));
      expect(journal).to.deep.equal(['construct', 'init:c0', 'init-done']);
    });

    it('a failure answers InitializationError with the cause; the next /initialize retries', async () => {
      const journal: Journal = [];
      const Fn = lifecycleFunction(journal, (attempt) => {
        if (attempt === 1) throw new Error('connection refused by db:5432');
      });
      const tk = kernelOf([Fn]);
      const failed = errorOf(await tk.initialize({ requestId: 'i1' }));
      expect(failed.errorType).to.equal('InitializationError');
      expect(failed.errorMessage).to.equal(
        'Initialization of function "lifecycle" failed: connection refused by db:5432',
      );
      expect(failed.stackTrace.length).to.be.greaterThan(0);

      const retried = await tk.initialize({ requestId: 'i2' });
      expect(retried.statusCode).to.equal(200);
      await tk.invoke('{}', { requestId: 'v1' });
      expect(journal).to.deep.equal(['construct', 'init:i1', 'construct', 'init:i2', 'init-done', 'invoke:v1']);
    });

    it('after a failure, an /invoke retries the initialization and succeeds', async () => {
      const journal: Journal = [];
      const Fn = lifecycleFunction(journal, (attempt) => {
        if (attempt === 1) throw new Error('transient');
      });
      const tk = kernelOf([Fn]);
      expect(errorOf(await tk.initialize()).errorType).to.equal('InitializationError');
      const answer = await tk.invoke('{}', { requestId: 'v1' });
      expect(answer.statusCode).to.equal(200);
      expect(answer.body).to.equal('handled');
      expect(journal.slice(-3)).to.deep.equal(['init:v1', 'init-done', 'invoke:v1']);
    });

    it('answers 200 for a function without @OnInitialize', async () => {
      @FcFunction()
      class NoInitializer {
        @OnInvoke()
        handle(): string {
          return 'ok';
        }
      }
      const tk = kernelOf([NoInitializer]);
      const res = await tk.initialize();
      expect(res.statusCode).to.equal(200);
      expect(res.headers['x-fc-status']).to.equal('200');
    });

    it('a throwing constructor is an InitializationError, on /initialize and on /invoke', async () => {
      let constructed = 0;
      @FcFunction({ name: 'broken' })
      class BrokenConstructor {
        constructor() {
          constructed++;
          throw new Error('missing ORDERS_TABLE');
        }
        @OnInvoke()
        handle(): void {}
      }
      const tk = kernelOf([BrokenConstructor]);
      for (const answer of [await tk.initialize(), await tk.invoke('{}')]) {
        const body = errorOf(answer);
        expect(body.errorType).to.equal('InitializationError');
        expect(body.errorMessage).to.equal('Initialization of function "broken" failed: missing ORDERS_TABLE');
      }
      expect(constructed).to.equal(2);
    });
  });

  describe('/invoke before initialization', () => {
    it('runs the initializer first, under the invocation', async () => {
      const journal: Journal = [];
      const tk = kernelOf([lifecycleFunction(journal)]);
      const answer = await tk.invoke('{}', { requestId: 'v1' });
      expect(answer.statusCode).to.equal(200);
      expect(journal).to.deep.equal(['construct', 'init:v1', 'init-done', 'invoke:v1']);
    });

    it('waits for an /initialize in flight', async () => {
      const journal: Journal = [];
      const release = deferred();
      const tk = kernelOf([lifecycleFunction(journal, () => release.promise)]);
      const initializing = tk.initialize({ requestId: 'i1' });
      const invoking = tk.invoke('{}', { requestId: 'v1' });
      await settle();
      expect(journal).to.deep.equal(['construct', 'init:i1']);
      release.resolve();
      const [init, inv] = await Promise.all([initializing, invoking]);
      expect([init.statusCode, inv.statusCode]).to.deep.equal([200, 200]);
      expect(journal).to.deep.equal(['construct', 'init:i1', 'init-done', 'invoke:v1']);
    });

    it('fails with InitializationError when the initializer fails, without calling the handler', async () => {
      const journal: Journal = [];
      const Fn = lifecycleFunction(journal, () => {
        throw new Error('bad config');
      });
      const tk = kernelOf([Fn]);
      const body = errorOf(await tk.invoke('{}', { requestId: 'v1' }));
      expect(body.errorType).to.equal('InitializationError');
      expect(body.errorMessage).to.include('bad config');
      expect(journal).to.deep.equal(['construct', 'init:v1']);
    });
  });

  describe('/pre-stop and /pre-freeze', () => {
    for (const method of ['GET', 'POST']) {
      it(`${method} calls the hook of an initialized function`, async () => {
        const journal: Journal = [];
        const tk = kernelOf([lifecycleFunction(journal)]);
        await tk.initialize({ requestId: 'i' });
        for (const [path, id] of [
          ['/pre-freeze', 'f'],
          ['/pre-stop', 's'],
        ]) {
          const res = await tk.dispatch({ method: method, path: path!, headers: { 'x-fc-request-id': id! } });
          expect(res.statusCode).to.equal(200);
          expect(res.headers['x-fc-status']).to.equal('200');
          expect(res.raw.length).to.equal(0);
        }
        expect(journal.slice(-2)).to.deep.equal(['preFreeze:f', 'preStop:s']);
      });
    }

    it('answer 200 without calling hooks of a function that never initialized', async () => {
      const journal: Journal = [];
      const tk = kernelOf([lifecycleFunction(journal)]);
      expect((await tk.preFreeze()).statusCode).to.equal(200);
      expect((await tk.preStop()).statusCode).to.equal(200);
      expect(journal).to.deep.equal([]);
    });

    it('answer 200 for a function without those hooks', async () => {
      @FcFunction()
      class Bare {
        @OnInvoke()
        handle(): void {}
      }
      const tk = kernelOf([Bare]);
      await tk.invoke('{}');
      expect((await tk.preStop()).statusCode).to.equal(200);
      expect((await tk.dispatch({ method: 'POST', path: '/pre-freeze' })).statusCode).to.equal(200);
    });

    it('a failing hook answers 404 with its error', async () => {
      @FcFunction()
      class FailingStop {
        @OnInvoke()
        handle(): void {}
        @OnPreStop()
        stop(): void {
          throw new Error('flush failed');
        }
      }
      const tk = kernelOf([FailingStop]);
      await tk.invoke('{}');
      expect(errorOf(await tk.preStop())).to.deep.include({
        errorType: 'Error',
        errorMessage: 'flush failed',
      });
    });
  });

  describe('kernel.preStop()', () => {
    it('runs @OnPreStop of initialized functions, skipping those FC already stopped', async () => {
      const journalA: Journal = [];
      const journalB: Journal = [];
      const journalC: Journal = [];
      const tk = kernelOf([
        lifecycleFunction(journalA, undefined, 'a'),
        lifecycleFunction(journalB, undefined, 'b'),
        lifecycleFunction(journalC, undefined, 'c'),
      ]);
      await tk.invoke('{}', { functionName: 'a' });
      await tk.invoke('{}', { functionName: 'b' });
      await tk.preStop({ headers: { 'x-fc-function-name': 'b', 'x-fc-request-id': 'fc-stop' } });
      await tk.kernel.preStop();
      expect(journalA.filter((e) => e.startsWith('preStop:'))).to.have.length(1);
      expect(journalA.at(-1)).to.match(/^preStop:shutdown-/);
      expect(journalB.filter((e) => e.startsWith('preStop:'))).to.deep.equal(['preStop:fc-stop']);
      // c never initialized: nothing to stop.
      expect(journalC).to.deep.equal([]);
    });
  });

  describe('kernel.close()', () => {
    it('refuses requests afterwards and is idempotent', async () => {
      const journal: Journal = [];
      const tk = kernelOf([lifecycleFunction(journal)]);
      await tk.kernel.close();
      await tk.kernel.close();
      const body = errorOf(await tk.invoke('{}'));
      expect(body.errorType).to.equal('RouteNotFoundError');
      expect(body.errorMessage).to.include('closed');
      expect(journal).to.deep.equal([]);
    });
  });
});
