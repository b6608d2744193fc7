import { expect } from 'chai';
import { Ctx, FcContext, FcFunction, OnInitialize, OnInvoke, OnPreFreeze, OnPreStop } from '../../src';
import { createTestKernel, type TestKernel } from '../../src/testing';

/** A function whose hooks record what they were called with. */
function journaled(journal: string[], failInitOnce = false) {
  let failed = false;
  @FcFunction({ name: 'kit-lifecycle' })
  class Journaled {
    @OnInitialize()
    init(@Ctx() ctx: FcContext): void {
      journal.push(`init ${ctx.requestId} ${ctx.function.initializationTimeout}`);
      if (failInitOnce && !failed) {
        failed = true;
        throw new Error('no database yet');
      }
    }
    @OnInvoke()
    handle(@Ctx() ctx: FcContext): string {
      journal.push(`invoke ${ctx.requestId}`);
      return 'done';
    }
    @OnPreStop()
    preStop(@Ctx() ctx: FcContext): void {
      journal.push(`preStop ${ctx.requestId} ${ctx.function.timeout}`);
      ctx.logger.info('flushed');
    }
    @OnPreFreeze()
    preFreeze(@Ctx() ctx: FcContext): void {
      journal.push(`preFreeze ${ctx.requestId}`);
    }
  }
  return Journaled;
}

describe('fc-kernel/testing: lifecycle calls', () => {
  let tk: TestKernel | undefined;
  afterEach(() => tk?.close());

  it('initialize() sends POST /initialize with the initialization timeout, once per success', async () => {
    const journal: string[] = [];
    tk = createTestKernel(journaled(journal));
    const res = await tk.initialize({ requestId: 'init-1', timeoutSeconds: 12 });
    expect(res.ok).to.equal(true);
    expect(res.body).to.equal(undefined);
    expect(res.logs).to.deep.equal(['FC Initialize Start RequestId: init-1', 'FC Initialize End RequestId: init-1']);
    expect((await tk.initialize({ requestId: 'init-2' })).ok).to.equal(true);
    await tk.invoke(undefined, { requestId: 'call-1' });
    expect(journal).to.deep.equal(['init init-1 12', 'invoke call-1']);
  });

  it('initialize() answers a failed initializer with InitializationError, and the next call retries', async () => {
    const journal: string[] = [];
    tk = createTestKernel(journaled(journal, true));
    const failed = await tk.initialize({ requestId: 'init-1' });
    expect(failed.ok).to.equal(false);
    expect(failed.error).to.include({ errorType: 'InitializationError' });
    expect(failed.error?.errorMessage).to.include('no database yet');
    expect(failed.logs.at(-1)).to.equal('FC Initialize End RequestId: init-1, Error: Unhandled function error');
    expect((await tk.initialize({ requestId: 'init-2' })).ok).to.equal(true);
    expect(journal).to.deep.equal(['init init-1 0', 'init init-2 0']);
  });

  it('a first invoke initializes, before its own markers', async () => {
    const journal: string[] = [];
    tk = createTestKernel(journaled(journal));
    const res = await tk.invoke(undefined, { requestId: 'first' });
    expect(res.logs).to.deep.equal([
      'FC Initialize Start RequestId: first',
      'FC Initialize End RequestId: first',
      'FC Invoke Start RequestId: first',
      'FC Invoke End RequestId: first',
    ]);
    expect(journal).to.deep.equal(['init first 0', 'invoke first']);
  });

  it('preStop() sends GET /pre-stop with the function timeout: runs @OnPreStop of an initialized function', async () => {
    const journal: string[] = [];
    tk = createTestKernel(journaled(journal));
    await tk.invoke(undefined, { requestId: 'call-1' });
    const res = await tk.preStop({ requestId: 'stop-1', timeoutSeconds: 5 });
    expect(res.ok).to.equal(true);
    expect(res.logs[0]).to.equal('FC PreStop Start RequestId: stop-1');
    expect(res.logs[1]).to.match(/^\S+Z stop-1 \[INFO\] flushed$/);
    expect(res.logs[2]).to.equal('FC PreStop End RequestId: stop-1');
    expect(journal.at(-1)).to.equal('preStop stop-1 5');
  });

  it('preFreeze() sends GET /pre-freeze: runs @OnPreFreeze of an initialized function', async () => {
    const journal: string[] = [];
    tk = createTestKernel(journaled(journal));
    await tk.initialize();
    const res = await tk.preFreeze({ requestId: 'freeze-1' });
    expect(res.ok).to.equal(true);
    expect(res.logs).to.deep.equal(['FC PreFreeze Start RequestId: freeze-1', 'FC PreFreeze End RequestId: freeze-1']);
    expect(journal.at(-1)).to.equal('preFreeze freeze-1');
  });

  it('preStop() and preFreeze() of a function that never initialized run no hook', async () => {
    const journal: string[] = [];
    tk = createTestKernel(journaled(journal));
    expect((await tk.preStop()).ok).to.equal(true);
    expect((await tk.preFreeze()).ok).to.equal(true);
    expect(journal).to.deep.equal([]);
  });

  it('after preStop(), the kernel has no @OnPreStop left to run at shutdown', async () => {
    const journal: string[] = [];
    tk = createTestKernel(journaled(journal));
    await tk.initialize();
    await tk.preStop({ requestId: 'stop-1' });
    await tk.kernel.preStop();
    expect(journal.filter((entry) => entry.startsWith('preStop'))).to.have.length(1);
  });
});
