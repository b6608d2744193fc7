import { expect } from 'chai';
import { createKernel, Ctx, FcContext, FcFunction, OnInvoke } from '../../src';

let release: () => void = () => undefined;
let heard: unknown[] = [];

function gate(): Promise<void> {
  return new Promise((resolve) => (release = resolve));
}

@FcFunction({ name: 'reads-signal-late' })
class ReadsSignalLate {
  @OnInvoke()
  async handle(@Ctx() ctx: FcContext): Promise<{ aborted: boolean; reason: string }> {
    await gate();
    return { aborted: ctx.signal.aborted, reason: (ctx.signal.reason as Error).message };
  }
}

@FcFunction({ name: 'listens-to-signal' })
class ListensToSignal {
  @OnInvoke()
  async handle(@Ctx() ctx: FcContext): Promise<string> {
    ctx.signal.addEventListener('abort', () => heard.push((ctx.signal.reason as Error).message));
    await gate();
    return 'done';
  }
}

async function invokeThenAbort(fn: new () => unknown): Promise<string> {
  const kernel = createKernel({ functions: [fn], logSink: () => undefined });
  const caller = new AbortController();
  const answer = kernel.dispatch({ method: 'POST', path: '/invoke', body: '{}', signal: caller.signal });
  // Let the handler start and wait on its gate before the caller goes away.
  await new Promise((resolve) => setImmediate(resolve));
  caller.abort(new Error('caller gone'));
  release();
  const res = await answer;
  await kernel.close();
  expect(res.statusCode).to.equal(200);
  return String(res.body);
}

describe('ctx.signal', () => {
  beforeEach(() => {
    heard = [];
  });

  it('is already aborted, with the caller’s reason, when first read after the caller went away', async () => {
    const body = await invokeThenAbort(ReadsSignalLate);
    expect(JSON.parse(body)).to.deep.equal({ aborted: true, reason: 'caller gone' });
  });

  it('fires its abort listeners when the caller goes away', async () => {
    expect(await invokeThenAbort(ListensToSignal)).to.equal('done');
    expect(heard).to.deep.equal(['caller gone']);
  });

  it('is the same signal on every read', async () => {
    let reads: AbortSignal[] = [];
    @FcFunction({ name: 'reads-twice' })
    class ReadsTwice {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): string {
        reads = [ctx.signal, ctx.signal];
        return 'ok';
      }
    }
    const kernel = createKernel({ functions: [ReadsTwice], logSink: () => undefined });
    expect((await kernel.dispatch({ method: 'POST', path: '/invoke', body: '{}' })).statusCode).to.equal(200);
    await kernel.close();
    expect(reads[0]).to.be.instanceOf(AbortSignal);
    expect(reads[0]).to.equal(reads[1]);
    expect(reads[0]!.aborted).to.equal(false);
  });
});
