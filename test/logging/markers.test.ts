import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { Ctx, Event, FcContext, FcFunction, OnInitialize, OnInvoke, OnPreFreeze, OnPreStop } from '../../src';
import { call, invoke } from '../helpers/invoke';
import { useKernels } from '../helpers/kernels';

class Amount {
  @IsInt()
  value!: number;
}

describe('FC marker lines', () => {
  const kernelOf = useKernels();

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
    return kernelOf({ functions: [AllHooks] });
  }

  it('frames a successful invocation exactly, with its log lines in between', async () => {
    const { kernel, logs } = kernelWithAllHooks();
    await call(kernel, 'POST', '/initialize', { 'x-fc-request-id': 'init-1' });
    logs.lines.length = 0;
    await invoke(kernel, '{"value":1}', { 'x-fc-request-id': 'inv-1' });
    expect(logs.lines).to.have.length(3);
    expect(logs.lines[0]).to.equal('FC Invoke Start RequestId: inv-1');
    expect(logs.lines[1]).to.match(/ inv-1 \[INFO\] handling$/);
    expect(logs.lines[2]).to.equal('FC Invoke End RequestId: inv-1');
  });

  it('marks a validation error as handled', async () => {
    const { kernel, logs } = kernelWithAllHooks();
    await call(kernel, 'POST', '/initialize');
    await invoke(kernel, '{"value":"x"}', { 'x-fc-request-id': 'inv-2' });
    expect(logs.markers().slice(-2)).to.deep.equal([
      'FC Invoke Start RequestId: inv-2',
      'FC Invoke End RequestId: inv-2, Error: Handled function error',
    ]);
  });

  it('marks an error thrown by the handler as unhandled', async () => {
    const { kernel, logs } = kernelWithAllHooks();
    await call(kernel, 'POST', '/initialize');
    await invoke(kernel, '{"value":-1}', { 'x-fc-request-id': 'inv-3' });
    expect(logs.markers().slice(-2)).to.deep.equal([
      'FC Invoke Start RequestId: inv-3',
      'FC Invoke End RequestId: inv-3, Error: Unhandled function error',
    ]);
    expect(logs.linesOf('inv-3').at(-1)).to.match(/\[ERROR\] RangeError: negative$/);
  });

  it('frames /initialize, /pre-stop and /pre-freeze', async () => {
    const { kernel, logs } = kernelWithAllHooks();
    await call(kernel, 'POST', '/initialize', { 'x-fc-request-id': 'i-1' });
    await call(kernel, 'GET', '/pre-freeze', { 'x-fc-request-id': 'f-1' });
    await call(kernel, 'GET', '/pre-stop', { 'x-fc-request-id': 's-1' });
    expect(logs.markers()).to.deep.equal([
      'FC Initialize Start RequestId: i-1',
      'FC Initialize End RequestId: i-1',
      'FC PreFreeze Start RequestId: f-1',
      'FC PreFreeze End RequestId: f-1',
      'FC PreStop Start RequestId: s-1',
      'FC PreStop End RequestId: s-1',
    ]);
    expect(logs.linesOf('i-1')).to.have.length(1);
  });

  it('marks a failed initializer as unhandled', async () => {
    const { kernel, logs } = kernelWithAllHooks({ initFails: true });
    await call(kernel, 'POST', '/initialize', { 'x-fc-request-id': 'i-2' });
    expect(logs.markers()).to.deep.equal([
      'FC Initialize Start RequestId: i-2',
      'FC Initialize End RequestId: i-2, Error: Unhandled function error',
    ]);
  });

  it('nests the initialization an /invoke runs first inside its own markers', async () => {
    const { kernel, logs } = kernelWithAllHooks();
    await invoke(kernel, '{"value":1}', { 'x-fc-request-id': 'inv-4' });
    expect(logs.markers()).to.deep.equal([
      'FC Invoke Start RequestId: inv-4',
      'FC Initialize Start RequestId: inv-4',
      'FC Initialize End RequestId: inv-4',
      'FC Invoke End RequestId: inv-4',
    ]);
    await invoke(kernel, '{"value":1}', { 'x-fc-request-id': 'inv-5' });
    expect(logs.markers().slice(4)).to.deep.equal([
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
    const { kernel, logs } = kernelOf({ functions: [NoInitializer] });
    await invoke(kernel, '{}', { 'x-fc-request-id': 'inv-6' });
    expect(logs.markers()).to.deep.equal(['FC Invoke Start RequestId: inv-6', 'FC Invoke End RequestId: inv-6']);
  });

  it('marks an implicit initialization that fails, inside the failed invocation', async () => {
    const { kernel, logs } = kernelWithAllHooks({ initFails: true });
    await invoke(kernel, '{"value":1}', { 'x-fc-request-id': 'inv-7' });
    expect(logs.markers()).to.deep.equal([
      'FC Invoke Start RequestId: inv-7',
      'FC Initialize Start RequestId: inv-7',
      'FC Initialize End RequestId: inv-7, Error: Unhandled function error',
      'FC Invoke End RequestId: inv-7, Error: Unhandled function error',
    ]);
  });

  it('writes no markers for a request that never became an invocation', async () => {
    const { kernel, logs } = kernelWithAllHooks();
    await call(kernel, 'GET', '/nowhere', { 'x-fc-request-id': 'lost-1' });
    expect(logs.markers()).to.deep.equal([]);
    expect(logs.linesOf('lost-1')).to.have.length(1);
    expect(logs.linesOf('lost-1')[0]).to.match(/\[ERROR\] RouteNotFoundError: No route for GET \/nowhere/);
  });
});
