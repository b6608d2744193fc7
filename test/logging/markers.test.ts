import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { Ctx, Event, FcContext, FcFunction, OnInitialize, OnInvoke, OnPreFreeze, OnPreStop } from '../../src';
import { linesOf, markersIn } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

class Amount {
  @IsInt()
  value!: number;
}

describe('FC marker lines', () => {
  const kernelOf = useTestKernels();

  function kernelWithAllHooks(options: { initFails?: boolean } = {}) {
    @FcFunction()
    class AllHooks {
      @OnInitialize()
      init(@Ctx() ctx: FcContext): void {
        ctx.logger.info('initializing');
        if (options.initFails) throw new Error('no config');
      }
      @OnInvoke()
      handle(@Event() amount: Amount, @Ctx() ctx: FcContext): number {
        ctx.logger.info('handling');
        if (amount.value < 0) throw new RangeError('negative');
        return amount.value;
      }
      @OnPreStop()
      stop(): void {}
      @OnPreFreeze()
      freeze(): void {}
    }
    return kernelOf([AllHooks]);
  }

  it('frames a successful invocation exactly, with its log lines in between', async () => {
    const tk = kernelWithAllHooks();
    await tk.initialize({ requestId: 'init-1' });
    const before = tk.logs.length;
    await tk.invoke('{"value":1}', { requestId: 'inv-1' });
    const lines = tk.logs.slice(before);
    expect(lines).to.have.length(3);
    expect(lines[0]).to.equal('FC Invoke Start RequestId: inv-1');
    expect(lines[1]).to.match(/ inv-1 \[INFO\] handling$/);
    expect(lines[2]).to.equal('FC Invoke End RequestId: inv-1');
  });

  it('marks a validation error as handled', async () => {
    const tk = kernelWithAllHooks();
    await tk.initialize();
    await tk.invoke('{"value":"x"}', { requestId: 'inv-2' });
    expect(markersIn(tk.logs).slice(-2)).to.deep.equal([
      'FC Invoke Start RequestId: inv-2',
      'FC Invoke End RequestId: inv-2, Error: Handled function error',
    ]);
  });

  it('marks an error thrown by the handler as unhandled', async () => {
    const tk = kernelWithAllHooks();
    await tk.initialize();
    await tk.invoke('{"value":-1}', { requestId: 'inv-3' });
    expect(markersIn(tk.logs).slice(-2)).to.deep.equal([
      'FC Invoke Start RequestId: inv-3',
      'FC Invoke End RequestId: inv-3, Error: Unhandled function error',
    ]);
    // One line, its stack's frames after the message, as FC's runtime keeps a message on one line.
    const failure = linesOf(tk.logs, 'inv-3').at(-1)!;
    expect(failure).to.match(
      / inv-3 \[ERROR\] RangeError: negative\r {4}at AllHooks\.handle \(.*markers\.test\.js:\d+:\d+\)\r/,
    );
    expect(failure).to.not.include('\n');
  });

  it("logs a validation error's message without the framework's frames", async () => {
    const tk = kernelWithAllHooks();
    await tk.invoke('{"value":"x"}', { requestId: 'inv-2b' });
    const failure = linesOf(tk.logs, 'inv-2b').at(-1)!;
    expect(failure).to.match(
      /\[ERROR\] ValidationError: Event validation failed: value: value must be an integer number$/,
    );
  });

  it("logs a failed initializer's stack under each request that waited for it", async () => {
    const tk = kernelWithAllHooks({ initFails: true });
    await tk.initialize({ requestId: 'i-3' });
    const failure = linesOf(tk.logs, 'i-3').at(-1)!;
    expect(failure).to.match(
      /\[ERROR\] InitializationError: Initialization of function "AllHooks" failed: no config\r {4}at AllHooks\.init /,
    );
  });

  it('frames /initialize, /pre-stop and /pre-freeze', async () => {
    const tk = kernelWithAllHooks();
    await tk.initialize({ requestId: 'i-1' });
    await tk.preFreeze({ requestId: 'f-1' });
    await tk.preStop({ requestId: 's-1' });
    expect(markersIn(tk.logs)).to.deep.equal([
      'FC Initialize Start RequestId: i-1',
      'FC Initialize End RequestId: i-1',
      'FC PreFreeze Start RequestId: f-1',
      'FC PreFreeze End RequestId: f-1',
      'FC PreStop Start RequestId: s-1',
      'FC PreStop End RequestId: s-1',
    ]);
    expect(linesOf(tk.logs, 'i-1')).to.have.length(1);
  });

  it('marks a failed initializer as unhandled', async () => {
    const tk = kernelWithAllHooks({ initFails: true });
    await tk.initialize({ requestId: 'i-2' });
    expect(markersIn(tk.logs)).to.deep.equal([
      'FC Initialize Start RequestId: i-2',
      'FC Initialize End RequestId: i-2, Error: Unhandled function error',
    ]);
  });

  it('prints the initialization an /invoke runs first before its own markers, not inside them', async () => {
    const tk = kernelWithAllHooks();
    await tk.invoke('{"value":1}', { requestId: 'inv-4' });
    expect(markersIn(tk.logs)).to.deep.equal([
      'FC Initialize Start RequestId: inv-4',
      'FC Initialize End RequestId: inv-4',
      'FC Invoke Start RequestId: inv-4',
      'FC Invoke End RequestId: inv-4',
    ]);
    expect(linesOf(tk.logs, 'inv-4').filter((line) => !line.startsWith('FC '))).to.have.length(2);
    expect(tk.logs.findIndex((line) => line.endsWith(' inv-4 [INFO] initializing'))).to.equal(1);
    expect(tk.logs.findIndex((line) => line.endsWith(' inv-4 [INFO] handling'))).to.equal(4);
    await tk.invoke('{"value":1}', { requestId: 'inv-5' });
    expect(markersIn(tk.logs).slice(4)).to.deep.equal([
      'FC Invoke Start RequestId: inv-5',
      'FC Invoke End RequestId: inv-5',
    ]);
  });

  it('prints no Initialize markers for a function without an initializer', async () => {
    @FcFunction()
    class NoInitializer {
      @OnInvoke()
      handle(): string {
        return 'ok';
      }
    }
    const tk = kernelOf([NoInitializer]);
    await tk.invoke('{}', { requestId: 'inv-6' });
    expect(markersIn(tk.logs)).to.deep.equal(['FC Invoke Start RequestId: inv-6', 'FC Invoke End RequestId: inv-6']);
  });

  it('marks an implicit initialization that fails, then the invocation it failed, with its [ERROR] line', async () => {
    const tk = kernelWithAllHooks({ initFails: true });
    await tk.invoke('{"value":1}', { requestId: 'inv-7' });
    expect(markersIn(tk.logs)).to.deep.equal([
      'FC Initialize Start RequestId: inv-7',
      'FC Initialize End RequestId: inv-7, Error: Unhandled function error',
      'FC Invoke Start RequestId: inv-7',
      'FC Invoke End RequestId: inv-7, Error: Unhandled function error',
    ]);
    expect(tk.logs.at(-2)).to.match(/ inv-7 \[ERROR\] InitializationError: /);
  });

  it('under concurrency, nests no marker pair inside another of the same request id', async () => {
    let release!: () => void;
    const ready = new Promise<void>((resolve) => (release = resolve));
    @FcFunction()
    class SlowStart {
      @OnInitialize()
      async init(): Promise<void> {
        await ready;
      }
      @OnInvoke()
      handle(): string {
        return 'ok';
      }
    }
    const tk = kernelOf([SlowStart]);
    const first = tk.invoke('{}', { requestId: 'c-1' });
    const second = tk.invoke('{}', { requestId: 'c-2' });
    await new Promise((resolve) => setImmediate(resolve));
    // The request that started the run waits to print its Start; the one that joined it has started.
    expect(markersIn(tk.logs)).to.deep.equal(['FC Initialize Start RequestId: c-1', 'FC Invoke Start RequestId: c-2']);
    release();
    await Promise.all([first, second]);
    expect(markersIn(tk.logs).filter((line) => line.endsWith(' c-1'))).to.deep.equal([
      'FC Initialize Start RequestId: c-1',
      'FC Initialize End RequestId: c-1',
      'FC Invoke Start RequestId: c-1',
      'FC Invoke End RequestId: c-1',
    ]);
    expect(markersIn(tk.logs).filter((line) => line.endsWith(' c-2'))).to.deep.equal([
      'FC Invoke Start RequestId: c-2',
      'FC Invoke End RequestId: c-2',
    ]);
  });

  it('writes no markers for a request that never became an invocation', async () => {
    const tk = kernelWithAllHooks();
    await tk.dispatch({ method: 'GET', path: '/nowhere', headers: { 'x-fc-request-id': 'lost-1' } });
    expect(markersIn(tk.logs)).to.deep.equal([]);
    expect(linesOf(tk.logs, 'lost-1')).to.have.length(1);
    expect(linesOf(tk.logs, 'lost-1')[0]).to.match(/\[ERROR\] RouteNotFoundError: No route for GET \/nowhere/);
  });
});
