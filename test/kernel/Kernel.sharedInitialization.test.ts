import { expect } from 'chai';
import {
  Ctx,
  currentInvocation,
  FcContext,
  FcFunction,
  Inject,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  scoped,
  TimeoutError,
} from '../../src';
import { deferred, settle } from '../helpers/async';
import { fcHeaders, HEADER_CREDENTIALS } from '../helpers/fcHeaders';
import { errorOf } from '../helpers/answers';
import { linesOf, markersIn } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';
import { withFrozenClock } from '../helpers/frozenClock';

describe('Kernel initialization shared between callers', () => {
  const kernelOf = useTestKernels();

  /** A scoped service, to tell which invocation container a hook resolved from. */
  @scoped(Lifecycle.ContainerScoped)
  class Probe {}

  /**
   * A function whose initializer records what it was given, logs a line, and then settles as
   * `init` does; `honourSignal` makes it give up when its signal aborts.
   */
  function slowStarter(init: () => Promise<void>, honourSignal = true) {
    const seen: { contexts: FcContext[]; probes: Probe[]; attempts: number } = {
      contexts: [],
      probes: [],
      attempts: 0,
    };
    @FcFunction({ name: 'slow-starter' })
    class SlowStarter {
      @OnInitialize()
      async warmUp(@Ctx() ctx: FcContext, @Inject(Probe) probe: Probe): Promise<void> {
        seen.attempts++;
        seen.contexts.push(ctx);
        seen.probes.push(probe);
        expect(currentInvocation()?.context).to.equal(ctx);
        ctx.logger.info('warming up');
        const aborted = new Promise<never>((_, reject) => {
          if (honourSignal) ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        });
        await Promise.race([init(), aborted]);
      }
      @OnInvoke()
      handle(@Ctx() ctx: FcContext, @Inject(Probe) probe: Probe): string {
        seen.contexts.push(ctx);
        seen.probes.push(probe);
        return 'handled';
      }
    }
    return { SlowStarter, seen };
  }

  describe('started by an /invoke', () => {
    it('gives the initializer an invocation of its own: the request id and credentials of the invocation, the initialization timeout, its own container', async () => {
      const { SlowStarter, seen } = slowStarter(() => Promise.resolve());
      const tk = kernelOf([SlowStarter]);
      const { answer, instant } = await withFrozenClock(async (now) => ({
        answer: await tk.invoke('{}', {
          headers: fcHeaders({
            'x-fc-request-id': 'A',
            'x-fc-function-timeout': '30',
            'x-fc-initialization-timeout': '10',
          }),
        }),
        instant: now,
      }));
      expect(answer.statusCode).to.equal(200);
      const [initCtx, invokeCtx] = seen.contexts as [FcContext, FcContext];
      expect(initCtx).to.not.equal(invokeCtx);
      expect(initCtx.requestId).to.equal('A');
      expect(initCtx.logger).to.not.equal(invokeCtx.logger);
      expect(initCtx.logger.requestId).to.equal('A');
      expect(initCtx.toJSON()).to.deep.equal({ ...invokeCtx.toJSON(), deadline: initCtx.toJSON().deadline });
      expect(initCtx.credentials).to.deep.equal(HEADER_CREDENTIALS);
      expect(initCtx.deadline).to.equal(instant + 10_000);
      expect(invokeCtx.deadline).to.equal(instant + 30_000);
      // The run may outlive the request that started it: its services are its own.
      expect(seen.probes[0]).to.not.equal(seen.probes[1]);
      expect(linesOf(tk.logs, 'A').some((line) => line.includes('warming up'))).to.equal(true);
      expect(markersIn(tk.logs)).to.deep.equal([
        'FC Initialize Start RequestId: A',
        'FC Initialize End RequestId: A',
        'FC Invoke Start RequestId: A',
        'FC Invoke End RequestId: A',
      ]);
    });

    it("outlives the invocation's function timeout, and an /initialize that joined it succeeds", async () => {
      const release = deferred();
      const { SlowStarter, seen } = slowStarter(() => release.promise);
      const tk = kernelOf([SlowStarter]);
      const invoking = tk.invoke('{}', {
        headers: {
          'x-fc-request-id': 'A',
          'x-fc-function-timeout': '0.05',
          'x-fc-initialization-timeout': '10',
        },
      });
      await settle();
      const initializing = tk.initialize({
        headers: {
          'x-fc-request-id': 'B',
          'x-fc-initialization-timeout': '10',
        },
      });
      const timedOut = errorOf(await invoking);
      expect(timedOut.errorType).to.equal('TimeoutError');
      expect(timedOut.errorMessage).to.equal('Function timed out after 0.05 seconds');
      const initCtx = seen.contexts[0]!;
      expect(initCtx.signal.aborted).to.equal(false);
      release.resolve();
      expect((await initializing).statusCode).to.equal(200);
      expect(seen.attempts).to.equal(1);
    });

    it('ends when its only waiting caller goes away, and the next /invoke starts afresh', async () => {
      let attempt = 0;
      const { SlowStarter, seen } = slowStarter(() =>
        ++attempt === 1 ? new Promise(() => undefined) : Promise.resolve(),
      );
      const tk = kernelOf([SlowStarter]);
      const caller = new AbortController();
      const invoking = tk.dispatch({
        method: 'POST',
        path: '/invoke',
        headers: { 'x-fc-request-id': 'A' },
        body: '{}',
        signal: caller.signal,
      });
      await settle();
      caller.abort(new Error('client went away'));
      expect(errorOf(await invoking).errorMessage).to.equal('client went away');
      expect((seen.contexts[0]!.signal.reason as Error).message).to.equal(
        'Initialization abandoned: no request waits for it any more',
      );
      await settle();
      // The invocation ended while the run it waited for went on: its markers fall inside the run's.
      expect(markersIn(tk.logs)).to.deep.equal([
        'FC Initialize Start RequestId: A',
        'FC Invoke Start RequestId: A',
        'FC Invoke End RequestId: A, Error: Unhandled function error',
        'FC Initialize End RequestId: A, Error: Unhandled function error',
      ]);
      expect((await tk.invoke('{}', { requestId: 'B' })).statusCode).to.equal(200);
      expect(seen.attempts).to.equal(2);
    });

    it('goes on when the invoking caller goes away while another request waits for it', async () => {
      const release = deferred();
      const { SlowStarter, seen } = slowStarter(() => release.promise);
      const tk = kernelOf([SlowStarter]);
      const caller = new AbortController();
      const invoking = tk.dispatch({ method: 'POST', path: '/invoke', body: '{}', signal: caller.signal });
      await settle();
      const waiting = tk.invoke('{}', { requestId: 'B' });
      await settle();
      caller.abort(new Error('client went away'));
      expect(errorOf(await invoking).errorMessage).to.equal('client went away');
      expect(seen.contexts[0]!.signal.aborted).to.equal(false);
      release.resolve();
      expect((await waiting).statusCode).to.equal(200);
      expect(seen.attempts).to.equal(1);
    });

    it('prints its failure marker when it times out, and nothing when the abandoned run settles', async () => {
      const release = deferred();
      const { SlowStarter, seen } = slowStarter(() => release.promise, false);
      const tk = kernelOf([SlowStarter]);
      const body = errorOf(
        await tk.invoke('{}', {
          headers: {
            'x-fc-request-id': 'A',
            'x-fc-function-timeout': '10',
            'x-fc-initialization-timeout': '0.05',
          },
        }),
      );
      expect(body.errorType).to.equal('TimeoutError');
      expect(body.errorMessage).to.equal('Initialization timed out after 0.05 seconds');
      expect(seen.contexts[0]!.signal.reason).to.be.instanceOf(TimeoutError);
      const markers = [
        'FC Initialize Start RequestId: A',
        'FC Initialize End RequestId: A, Error: Unhandled function error',
        'FC Invoke Start RequestId: A',
        'FC Invoke End RequestId: A, Error: Unhandled function error',
      ];
      expect(markersIn(tk.logs)).to.deep.equal(markers);
      release.resolve();
      await settle();
      expect(markersIn(tk.logs)).to.deep.equal(markers);
      // The late success did not count: the next /invoke initializes afresh.
      expect((await tk.invoke('{}', { requestId: 'C' })).statusCode).to.equal(200);
      expect(seen.attempts).to.equal(2);
    });
  });

  describe('started by an /initialize', () => {
    it('fails an /invoke that joined it with its own timeout, and the next /invoke starts afresh', async () => {
      let attempt = 0;
      const { SlowStarter, seen } = slowStarter(() =>
        ++attempt === 1 ? new Promise(() => undefined) : Promise.resolve(),
      );
      const tk = kernelOf([SlowStarter]);
      const initializing = tk.initialize({
        headers: {
          'x-fc-request-id': 'B',
          'x-fc-initialization-timeout': '0.05',
        },
      });
      await settle();
      const joined = errorOf(await tk.invoke('{}', { requestId: 'A' }));
      expect(joined.errorType).to.equal('TimeoutError');
      expect(joined.errorMessage).to.equal('Initialization timed out after 0.05 seconds');
      expect(errorOf(await initializing).errorType).to.equal('TimeoutError');
      expect(seen.contexts[0]!.requestId).to.equal('B');
      expect(seen.contexts[0]!.signal.aborted).to.equal(true);
      expect((await tk.invoke('{}', { requestId: 'C' })).statusCode).to.equal(200);
      expect(seen.attempts).to.equal(2);
    });
    it('goes on for the 20 invocations waiting for it when the /initialize caller goes away', async () => {
      const release = deferred();
      const { SlowStarter, seen } = slowStarter(() => release.promise);
      const tk = kernelOf([SlowStarter]);
      const caller = new AbortController();
      const initializing = tk.dispatch({
        method: 'POST',
        path: '/initialize',
        headers: { 'x-fc-request-id': 'B' },
        signal: caller.signal,
      });
      await settle();
      const waiting = Array.from({ length: 20 }, (_, i) => tk.invoke('{}', { requestId: `J${i}` }));
      await settle();
      caller.abort(new Error('The caller closed the connection'));
      expect(errorOf(await initializing).errorMessage).to.equal('The caller closed the connection');
      expect(seen.contexts[0]!.signal.aborted).to.equal(false);
      release.resolve();
      const answers = await Promise.all(waiting);
      expect(answers.map((a) => a.statusCode)).to.deep.equal(Array(20).fill(200));
      expect(seen.attempts).to.equal(1);
    });

    it('ends when its caller goes away and nobody else waits for it', async () => {
      const { SlowStarter, seen } = slowStarter(() => new Promise(() => undefined));
      const tk = kernelOf([SlowStarter]);
      const caller = new AbortController();
      const initializing = tk.dispatch({ method: 'POST', path: '/initialize', signal: caller.signal });
      await settle();
      caller.abort(new Error('The caller closed the connection'));
      expect(errorOf(await initializing).errorType).to.equal('Error');
      expect(seen.contexts[0]!.signal.aborted).to.equal(true);
    });
  });

  describe('an /initialize joining a run started by someone else', () => {
    it("fails with that run's own initialization timeout", async () => {
      const { SlowStarter } = slowStarter(() => new Promise(() => undefined), false);
      const tk = kernelOf([SlowStarter]);
      const invoking = tk.invoke('{}', { headers: { 'x-fc-request-id': 'A', 'x-fc-initialization-timeout': '0.05' } });
      await settle();
      const joined = errorOf(
        await tk.initialize({ headers: { 'x-fc-request-id': 'B', 'x-fc-initialization-timeout': '600' } }),
      );
      expect(joined.errorType).to.equal('TimeoutError');
      expect(joined.errorMessage).to.equal('Initialization timed out after 0.05 seconds');
      expect(errorOf(await invoking).errorMessage).to.equal('Initialization timed out after 0.05 seconds');
    });

    it("fails with InitializationError carrying the initializer's error, even a TimeoutError", async () => {
      const { SlowStarter } = slowStarter(() => Promise.reject(new TimeoutError('Database connection', 3)));
      const tk = kernelOf([SlowStarter]);
      const invoking = tk.invoke('{}', { requestId: 'A' });
      const joined = errorOf(await tk.initialize({ requestId: 'B' }));
      expect(joined.errorType).to.equal('InitializationError');
      expect(joined.errorMessage).to.equal(
        'Initialization of function "slow-starter" failed: Database connection timed out after 3 seconds',
      );
      expect(errorOf(await invoking).errorType).to.equal('InitializationError');
    });

    it("answers and logs its failure to requests with other credentials without the starter's", async () => {
      const release = deferred();
      const { SlowStarter, seen } = slowStarter(async () => {
        await release.promise;
        // The initializer's own context: the starter's credentials.
        const { accessKeyId, accessKeySecret, securityToken } = seen.contexts[0]!.credentials;
        throw new Error(`cannot sign in as ${accessKeyId} with ${accessKeySecret} and ${securityToken}`);
      });
      const tk = kernelOf([SlowStarter]);
      const rotated = {
        'x-fc-access-key-id': 'STS.RotatedKeyId0002',
        'x-fc-access-key-secret': 'RotatedSecret-1a2b3c4d5e',
        'x-fc-security-token': 'CAISrotatedSecurityToken+/abc==',
      };
      const initializing = tk.initialize({ headers: fcHeaders({ 'x-fc-request-id': 'B' }) });
      await settle();
      const joining = tk.invoke('{}', { headers: fcHeaders({ 'x-fc-request-id': 'A', ...rotated }) });
      await settle();
      release.resolve();
      const [starterAnswer, joinerAnswer] = await Promise.all([initializing, joining]);
      expect(errorOf(starterAnswer).errorMessage).to.equal(
        'Initialization of function "slow-starter" failed: cannot sign in as [redacted] with [redacted] and [redacted]',
      );
      expect(errorOf(joinerAnswer)).to.deep.equal(errorOf(starterAnswer));
      // The same failure, its frames as the answer lists them.
      const { errorMessage, stackTrace } = errorOf(starterAnswer);
      expect(linesOf(tk.logs, 'A')).to.deep.equal([
        linesOf(tk.logs, 'A')[0]!.replace(/\[ERROR\][\s\S]*/, '[ERROR] ') +
          [`InitializationError: ${errorMessage}`, ...stackTrace.map((frame) => `    ${frame}`)].join('\r'),
      ]);
      const everything = [String(starterAnswer.raw), String(joinerAnswer.raw), ...tk.logs].join('\n');
      for (const secret of Object.values(HEADER_CREDENTIALS)) expect(everything).to.not.include(secret);
    });

    it('times out alone when its own deadline passes, leaving the run to the others', async () => {
      const release = deferred();
      const { SlowStarter, seen } = slowStarter(() => release.promise);
      const tk = kernelOf([SlowStarter]);
      const invoking = tk.invoke('{}', { headers: { 'x-fc-request-id': 'A', 'x-fc-initialization-timeout': '600' } });
      await settle();
      const joined = errorOf(
        await tk.initialize({ headers: { 'x-fc-request-id': 'B', 'x-fc-initialization-timeout': '0.05' } }),
      );
      expect(joined.errorType).to.equal('TimeoutError');
      expect(joined.errorMessage).to.equal('Initialization timed out after 0.05 seconds');
      expect(seen.contexts[0]!.signal.aborted).to.equal(false);
      // A retry joins the run still going rather than starting a second one.
      const retry = tk.initialize({ requestId: 'B2' });
      release.resolve();
      expect((await invoking).statusCode).to.equal(200);
      expect((await retry).statusCode).to.equal(200);
      expect(seen.attempts).to.equal(1);
    });
  });
});
