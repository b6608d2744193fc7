import { expect } from 'chai';
import { currentInvocation, Ctx, Event, FcContext, FcFunction, OnInitialize, OnInvoke } from '../../src';
import { createTestKernel, type TestKernel } from '../../src/testing';
import { deferred, settle, type Deferred } from '../helpers/async';

/** Messages of a call's ordinary lines (`<time> <requestId> [<LEVEL>] <message>`). */
const messages = (logs: string[]) =>
  logs.filter((l) => !l.startsWith('FC ')).map((l) => l.split(' ').slice(2).join(' '));

describe('fc-kernel/testing: logs per call', () => {
  let tk: TestKernel | undefined;
  afterEach(() => tk?.close());

  /** Logs `<name> before`, waits for the test to release it, then logs `<name> after`. */
  function gated(gates: Map<string, Deferred<void>>) {
    @FcFunction({ name: 'kit-gated' })
    class Gated {
      @OnInvoke()
      async handle(@Event() name: string, @Ctx() ctx: FcContext): Promise<string> {
        ctx.logger.info(`${name} before`);
        await gates.get(name)!.promise;
        // Deep below the handler, with nothing passed down.
        currentInvocation()!.logger.warn(`${name} after`);
        return name;
      }
    }
    return Gated;
  }

  it('keeps the lines of concurrent invocations apart, released in another order', async () => {
    const gates = new Map(['a', 'b', 'c'].map((name) => [name, deferred()]));
    tk = createTestKernel(gated(gates));
    const calls = ['a', 'b', 'c'].map((name) => tk!.invoke(name));
    await settle();
    for (const name of ['c', 'a', 'b']) gates.get(name)!.resolve();
    const answers = await Promise.all(calls);

    answers.forEach((res, i) => {
      const name = ['a', 'b', 'c'][i]!;
      expect(res.logs).to.have.length(4);
      expect(res.logs[0]).to.equal(`FC Invoke Start RequestId: ${res.requestId}`);
      expect(messages(res.logs)).to.deep.equal([`[INFO] ${name} before`, `[WARN] ${name} after`]);
      for (const line of res.logs.slice(1, 3)) expect(line.split(' ')[1]).to.equal(res.requestId);
      expect(res.logs[3]).to.equal(`FC Invoke End RequestId: ${res.requestId}`);
    });
    // The kernel's own record keeps every line, interleaved as written.
    expect(tk.logs).to.have.length(12);
    expect(messages([...tk.logs]).slice(0, 3)).to.deep.equal(['[INFO] a before', '[INFO] b before', '[INFO] c before']);
  });

  it('keeps calls apart even when they carry the same request id', async () => {
    const gates = new Map(['a', 'b'].map((name) => [name, deferred()]));
    tk = createTestKernel(gated(gates));
    const calls = ['a', 'b'].map((name) => tk!.invoke(name, { requestId: 'same' }));
    await settle();
    gates.get('b')!.resolve();
    gates.get('a')!.resolve();
    const [a, b] = await Promise.all(calls);
    expect(messages(a!.logs)).to.deep.equal(['[INFO] a before', '[WARN] a after']);
    expect(messages(b!.logs)).to.deep.equal(['[INFO] b before', '[WARN] b after']);
  });

  it('gives the one error line of a refused request, which has no markers', async () => {
    @FcFunction({ name: 'kit-one' })
    class One {
      @OnInvoke()
      handle(): string {
        return 'one';
      }
    }
    @FcFunction({ name: 'kit-two' })
    class Two {
      @OnInvoke()
      handle(): string {
        return 'two';
      }
    }
    tk = createTestKernel([One, Two]);
    const res = await tk.invoke('x', { requestId: 'lost', functionName: 'kit-three' });
    expect(res.logs).to.have.length(1);
    expect(res.logs[0]).to.match(/^\S+Z lost \[ERROR\] FunctionNotFoundError: /);
  });

  it('gives the initializer lines to the call that ran it, and not to one that waited for it', async () => {
    const release = deferred();
    @FcFunction({ name: 'kit-slow-init' })
    class SlowInit {
      @OnInitialize()
      async init(@Ctx() ctx: FcContext): Promise<void> {
        ctx.logger.info('connecting');
        await release.promise;
      }
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): string {
        ctx.logger.info('handled');
        return 'ok';
      }
    }
    tk = createTestKernel(SlowInit);
    const first = tk.invoke(undefined, { requestId: 'first' });
    const second = tk.invoke(undefined, { requestId: 'second' });
    await settle();
    release.resolve();
    const [a, b] = await Promise.all([first, second]);
    expect(messages(a.logs)).to.deep.equal(['[INFO] connecting', '[INFO] handled']);
    expect(a.logs.filter((l) => l.startsWith('FC Initialize'))).to.have.length(2);
    expect(messages(b.logs)).to.deep.equal(['[INFO] handled']);
    expect(b.logs.filter((l) => l.startsWith('FC Initialize'))).to.deep.equal([]);
  });

  it('also hands every line to logSink', async () => {
    const seen: string[] = [];
    @FcFunction({ name: 'kit-logged' })
    class Logged {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): void {
        ctx.logger.debug('debugging');
      }
    }
    tk = createTestKernel(Logged, { logSink: (line) => seen.push(line) });
    const res = await tk.invoke();
    expect(seen).to.deep.equal(res.logs);
    expect(seen).to.deep.equal([...tk.logs]);
  });

  it('keeps a snapshot: lines a timed-out handler writes later go to tk.logs only', async () => {
    const late = deferred();
    const wrote = deferred();
    @FcFunction({ name: 'kit-late' })
    class Late {
      @OnInvoke()
      async handle(@Ctx() ctx: FcContext): Promise<void> {
        await late.promise;
        ctx.logger.info('finished late');
        wrote.resolve();
      }
    }
    tk = createTestKernel(Late);
    const res = await tk.invoke(undefined, { timeoutSeconds: 0.02 });
    expect(res.error?.errorType).to.equal('TimeoutError');
    late.resolve();
    await wrote.promise;
    expect(messages(res.logs)).to.deep.equal(['[ERROR] TimeoutError: Function timed out after 0.02 seconds']);
    expect(messages([...tk.logs])).to.include('[INFO] finished late');
  });

  it('redacts the credentials a call carries', async () => {
    @FcFunction({ name: 'kit-leaky' })
    class Leaky {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): void {
        ctx.logger.info(`secret is ${ctx.credentials.accessKeySecret}`);
      }
    }
    tk = createTestKernel(Leaky, {
      headers: { 'x-fc-access-key-id': 'STS.kit-id', 'x-fc-access-key-secret': 'kit-secret-value' },
    });
    const res = await tk.invoke();
    expect(messages(res.logs)).to.deep.equal(['[INFO] secret is [redacted]']);
  });
});
