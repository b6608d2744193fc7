import { expect } from 'chai';
import { ConfigurationError, FcFunction, OnInvoke, OnPreStop } from '../../src';
import { deferred } from '../helpers/async';
import { useTestKernels } from '../helpers/testKernels';

function declareFunctions() {
  const flushed: string[][] = [];
  const accepted: string[] = [];
  let hold: Promise<void> | undefined;

  @FcFunction({ name: 'buffer' })
  class Buffered {
    @OnInvoke()
    take(): string {
      accepted.push(`order-${accepted.length + flushed.flat().length + 1}`);
      return 'ok';
    }

    @OnPreStop()
    async flush(): Promise<void> {
      if (hold) await hold;
      flushed.push(accepted.splice(0));
    }
  }
  return { Buffered, flushed, holdPreStop: (until: Promise<void> | undefined) => (hold = until) };
}

const invoke = { method: 'POST', path: '/invoke', body: '{}' } as const;
const fcPreStop = { method: 'GET', path: '/pre-stop' } as const;

describe('Kernel readiness probes and the stopping gate', () => {
  const kernelOf = useTestKernels();

  describe('readiness probes', () => {
    it('answers GET and HEAD / with 200, no body, no log line', async () => {
      const { Buffered } = declareFunctions();
      const tk = kernelOf([Buffered]);
      for (const method of ['GET', 'HEAD', 'get']) {
        const answer = await tk.kernel.dispatch({ method, path: '/?from=probe' });
        expect(answer).to.deep.equal({ statusCode: 200, headers: { 'x-fc-status': '200' }, body: '' });
      }
      expect(tk.logs).to.deep.equal([]);
    });

    it('answers the configured health path the same way, without choosing a function', async () => {
      const { Buffered } = declareFunctions();
      const other = declareFunctions().Buffered;
      @FcFunction({ name: 'second' })
      class Second extends other {}
      const tk = kernelOf([Buffered, Second], { healthPath: '/healthz' });
      expect((await tk.dispatch({ method: 'GET', path: '/healthz' })).statusCode).to.equal(200);
      expect(tk.logs).to.deep.equal([]);
    });

    for (const healthPath of ['healthz', '/ready?x=1', '/invoke', '/pre-stop', '']) {
      it(`refuses healthPath ${JSON.stringify(healthPath)} at boot`, () => {
        const { Buffered } = declareFunctions();
        expect(() => kernelOf([Buffered], { healthPath }))
          .to.throw(ConfigurationError)
          .with.property('code', 'INVALID_HEALTH_PATH');
      });
    }
  });

  describe("FC's /pre-stop", () => {
    it('refuses invocations and probes while its hook runs, with InstanceStoppingError and one log line', async () => {
      const { Buffered, holdPreStop } = declareFunctions();
      const tk = kernelOf([Buffered]);
      await tk.dispatch(invoke);
      const release = deferred();
      holdPreStop(release.promise);
      const preStop = tk.dispatch(fcPreStop);
      expect(tk.kernel.stopping).to.equal(true);
      for (const request of [
        { ...invoke, headers: { 'x-fc-request-id': 'late-1' } },
        { method: 'POST', path: '/initialize', headers: { 'x-fc-request-id': 'late-2' } },
        { method: 'GET', path: '/', headers: { 'x-fc-request-id': 'late-3' } },
      ]) {
        const answer = await tk.dispatch(request);
        expect(answer.statusCode).to.equal(404);
        expect(answer.headers['x-fc-status']).to.equal('404');
        expect(answer.error).to.include({ errorType: 'InstanceStoppingError' });
      }
      expect(tk.logs.filter((l) => / late-\d \[ERROR\] InstanceStoppingError: /.test(l))).to.have.length(3);
      release.resolve();
      expect((await preStop).statusCode).to.equal(200);
      expect(tk.kernel.stopping).to.equal(false);
      expect((await tk.dispatch(invoke)).statusCode).to.equal(200);
    });
  });

  describe('kernel.preStop() at shutdown', () => {
    it("runs the hook when invocations ran after FC's /pre-stop of a function that had not run", async () => {
      const { Buffered, flushed } = declareFunctions();
      const tk = kernelOf([Buffered]);
      await tk.dispatch(fcPreStop);
      for (let i = 0; i < 3; i++) await tk.dispatch(invoke);
      expect(await tk.kernel.preStop()).to.deep.equal({ ran: ['buffer'], failed: [] });
      expect(flushed).to.deep.equal([['order-1', 'order-2', 'order-3']]);
    });

    it("skips the hook when nothing ran since FC's /pre-stop", async () => {
      const { Buffered, flushed } = declareFunctions();
      const tk = kernelOf([Buffered]);
      await tk.dispatch(invoke);
      await tk.dispatch(fcPreStop);
      expect(await tk.kernel.preStop()).to.deep.equal({ ran: [], failed: [] });
      expect(flushed).to.have.length(1);
    });

    it("runs the hook again for an invocation that was still running when FC's /pre-stop began", async () => {
      const release = deferred();
      let flushes = 0;
      @FcFunction({ name: 'slow' })
      class Slow {
        @OnInvoke()
        async take(): Promise<string> {
          await release.promise;
          return 'late';
        }

        @OnPreStop()
        flush(): void {
          flushes++;
        }
      }
      const tk = kernelOf([Slow]);
      const running = tk.dispatch(invoke);
      await new Promise((resolve) => setImmediate(resolve));
      await tk.dispatch(fcPreStop);
      release.resolve();
      expect((await running).statusCode).to.equal(200);
      expect((await tk.kernel.preStop()).ran).to.deep.equal(['slow']);
      expect(flushes).to.equal(2);
    });

    it('refuses every invocation from then on and reports a failing hook', async () => {
      @FcFunction({ name: 'failing' })
      class Failing {
        @OnInvoke()
        take(): string {
          return 'ok';
        }

        @OnPreStop()
        flush(): void {
          throw new Error('flush failed');
        }
      }
      const tk = kernelOf([Failing]);
      await tk.dispatch(invoke);
      expect(await tk.kernel.preStop()).to.deep.equal({ ran: ['failing'], failed: ['failing'] });
      expect(tk.kernel.stopping).to.equal(true);
      const late = await tk.dispatch(invoke);
      expect(late.error).to.include({ errorType: 'InstanceStoppingError' });
    });
  });
});
