import { expect } from 'chai';
import {
  createKernel,
  Ctx,
  Event,
  FcContext,
  FcFunction,
  OnInitialize,
  OnInvoke,
  type KernelResponse,
} from '../../src';
import { ConnectionSignal } from '../../src/transport/ConnectionSignal';

/** A kernel whose log lines are kept, and an /invoke request for it. */
function kernelWith(fn: new (...args: never[]) => unknown) {
  const lines: string[] = [];
  const kernel = createKernel({ functions: [fn], logSink: (line) => lines.push(line), env: {} });
  const invoke = (body: string, signal?: ConnectionSignal) =>
    kernel.respond({
      method: 'POST',
      path: '/invoke',
      headers: { 'x-fc-request-id': 'r-1', 'x-fc-function-timeout': '3' },
      body,
      signal,
    });
  return { kernel, lines, invoke };
}

function settled(answer: KernelResponse | Promise<KernelResponse>): KernelResponse {
  expect(answer).not.to.be.instanceOf(Promise);
  return answer as KernelResponse;
}

describe('Kernel.respond', () => {
  @FcFunction({ name: 'sync' })
  class Sync {
    static signalSeen: AbortSignal | undefined;
    @OnInvoke()
    handle(@Event() text: string, @Ctx() ctx: FcContext): string {
      if (text === 'throw') throw new RangeError('no such thing');
      if (text === 'signal') Sync.signalSeen = ctx.signal;
      return `got ${text}`;
    }
  }

  it('answers a synchronous handler of an initialized function at once, between its markers', async () => {
    const { kernel, lines, invoke } = kernelWith(Sync);
    // The first request initializes the function: that waits for the initialization.
    const first = invoke('one');
    expect(first).to.be.instanceOf(Promise);
    expect((await first).body).to.equal('got one');
    lines.length = 0;
    const answer = settled(invoke('two'));
    expect(answer.statusCode).to.equal(200);
    expect(answer.headers['x-fc-status']).to.equal('200');
    expect(answer.body).to.equal('got two');
    expect(lines).to.deep.equal(['FC Invoke Start RequestId: r-1', 'FC Invoke End RequestId: r-1']);
    await kernel.close();
  });

  it("answers a synchronous handler's throw at once with FC's error, its [ERROR] line and End marker", async () => {
    const { kernel, lines, invoke } = kernelWith(Sync);
    await invoke('warm');
    lines.length = 0;
    const answer = settled(invoke('throw'));
    expect(answer.statusCode).to.equal(404);
    expect(answer.headers['x-fc-status']).to.equal('404');
    expect(JSON.parse(answer.body as string)).to.include({ errorType: 'RangeError', errorMessage: 'no such thing' });
    expect(lines[0]).to.equal('FC Invoke Start RequestId: r-1');
    expect(lines[1]).to.match(/ r-1 \[ERROR\] RangeError: no such thing\r {4}at /);
    expect(lines[2]).to.equal('FC Invoke End RequestId: r-1, Error: Unhandled function error');
    await kernel.close();
  });

  it('answers a refused route at once', () => {
    const { kernel } = kernelWith(Sync);
    const answer = settled(kernel.respond({ method: 'GET', path: '/nowhere' }));
    expect(answer.statusCode).to.equal(404);
    expect(JSON.parse(answer.body as string)).to.include({ errorType: 'RouteNotFoundError' });
  });

  it('gives a synchronous handler a signal that a caller gone before it started has aborted', async () => {
    const { kernel, invoke } = kernelWith(Sync);
    await invoke('warm');
    expect(settled(invoke('signal')).statusCode).to.equal(200);
    expect(Sync.signalSeen?.aborted).to.equal(false);
    const gone = new ConnectionSignal();
    gone.abort(new Error('The caller closed the connection'));
    expect(settled(invoke('signal', gone)).statusCode).to.equal(200);
    expect(Sync.signalSeen?.aborted).to.equal(true);
    await kernel.close();
  });

  it('answers an asynchronous handler with a promise, raced against its timeout', async () => {
    @FcFunction({ name: 'async' })
    class Async {
      @OnInitialize()
      init(): void {}
      @OnInvoke()
      async handle(@Event() text: string): Promise<string> {
        await new Promise((resolve) => setImmediate(resolve));
        return `later ${text}`;
      }
    }
    const { kernel, invoke } = kernelWith(Async);
    await invoke('warm');
    const answer = invoke('now');
    expect(answer).to.be.instanceOf(Promise);
    expect((await answer).body).to.equal('later now');
    expect((await kernel.dispatch({ method: 'POST', path: '/invoke', body: 'x' })).body).to.equal('later x');
    await kernel.close();
  });
});
