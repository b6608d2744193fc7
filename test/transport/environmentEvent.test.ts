import { expect } from 'chai';
import { Ctx, FcContext, FcFunction, OnInitialize, OnInvoke, OnPreStop, runEnvironmentEvent } from '../../src';
import { portFromEnvironment } from '../../src/transport/httpServer';
import { markersIn } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

describe('environment event (non-web-server mode)', () => {
  const kernelOf = useTestKernels();

  it('initializes, invokes once, runs @OnPreStop and closes the kernel', async () => {
    const journal: string[] = [];
    @FcFunction({ name: 'once' })
    class Once {
      @OnInitialize()
      init(@Ctx() ctx: FcContext): void {
        journal.push(`init:${ctx.requestId}`);
      }
      @OnInvoke({ event: Object })
      handle(event: unknown, ctx: FcContext): object {
        journal.push(`invoke:${ctx.requestId}:${ctx.region}:${ctx.function.memory}`);
        return { echoed: event };
      }
      @OnPreStop()
      stop(@Ctx() ctx: FcContext): void {
        journal.push(`preStop:${ctx.requestId}`);
      }
    }
    const tk = kernelOf([Once]);
    const outcome = await runEnvironmentEvent(tk.kernel, '{"n":1}', {
      FC_REQUEST_ID: 'env-req',
      FC_REGION: 'cn-shenzhen',
      FC_FUNCTION_MEMORY_SIZE: '256',
    });
    expect(outcome).to.deep.equal({ exitCode: 0, stdout: '{"echoed":{"n":1}}', stderr: '' });
    expect(journal.slice(0, 2)).to.deep.equal(['init:env-req', 'invoke:env-req:cn-shenzhen:256']);
    expect(journal).to.have.length(3);
    expect(journal[2]).to.match(/^preStop:env-req$/);
    expect((await tk.dispatch({ method: 'POST', path: '/invoke', body: '{}' })).statusCode).to.equal(404);
  });

  it('reports a failure on stderr with exit code 1', async () => {
    const journal: string[] = [];
    @FcFunction()
    class Fails {
      @OnInvoke()
      handle(): void {
        journal.push('invoke');
        throw new Error('cannot handle');
      }
    }
    const tk = kernelOf([Fails]);
    const outcome = await runEnvironmentEvent(tk.kernel, '{}', {});
    expect(outcome.exitCode).to.equal(1);
    expect(outcome.stdout).to.equal('');
    expect(JSON.parse(outcome.stderr)).to.deep.include({ errorType: 'Error', errorMessage: 'cannot handle' });
    expect(journal).to.deep.equal(['invoke']);
  });

  it('does not invoke when initialization fails', async () => {
    const journal: string[] = [];
    @FcFunction()
    class BadInit {
      @OnInitialize()
      init(): void {
        throw new Error('cannot start');
      }
      @OnInvoke()
      handle(): void {
        journal.push('invoke');
      }
    }
    const tk = kernelOf([BadInit]);
    const outcome = await runEnvironmentEvent(tk.kernel, '{}', {});
    expect(outcome.exitCode).to.equal(1);
    expect(JSON.parse(outcome.stderr).errorType).to.equal('InitializationError');
    expect(journal).to.deep.equal([]);
  });
});

describe('portFromEnvironment', () => {
  it('prefers FC_CUSTOM_LISTEN_PORT, then FC_SERVER_PORT, then 9000', () => {
    expect(portFromEnvironment({ FC_CUSTOM_LISTEN_PORT: '8080', FC_SERVER_PORT: '7000' })).to.equal(8080);
    expect(portFromEnvironment({ FC_SERVER_PORT: '7000' })).to.equal(7000);
    expect(portFromEnvironment({})).to.equal(9000);
  });

  it('skips values that are not ports', () => {
    expect(portFromEnvironment({ FC_CUSTOM_LISTEN_PORT: 'abc', FC_SERVER_PORT: '7000' })).to.equal(7000);
    expect(portFromEnvironment({ FC_CUSTOM_LISTEN_PORT: '70000' })).to.equal(9000);
    expect(portFromEnvironment({ FC_CUSTOM_LISTEN_PORT: '1.5' })).to.equal(9000);
    expect(portFromEnvironment({ FC_CUSTOM_LISTEN_PORT: '' })).to.equal(9000);
  });
});

describe('environment event (non-web-server mode): markers and winding down', () => {
  const kernelOf = useTestKernels();

  it('prints no Initialize markers for a function without @OnInitialize', async () => {
    @FcFunction()
    class NoInit {
      @OnInvoke()
      handle(): string {
        return 'done';
      }
    }
    const tk = kernelOf([NoInit]);
    const outcome = await runEnvironmentEvent(tk.kernel, '{}', { FC_REQUEST_ID: 'no-init' });
    expect(outcome.exitCode).to.equal(0);
    expect(markersIn(tk.logs)).to.deep.equal([
      'FC Invoke Start RequestId: no-init',
      'FC Invoke End RequestId: no-init',
    ]);
  });

  it('keeps the answer when closing the kernel fails, and says so on stderr', async () => {
    @FcFunction()
    class LeakyPool {
      @OnInvoke()
      handle(): string {
        return 'result';
      }
      dispose(): Promise<void> {
        return Promise.reject(new Error('pool.end() failed'));
      }
    }
    const tk = kernelOf([LeakyPool]);
    const outcome = await runEnvironmentEvent(tk.kernel, '{}', {});
    expect(outcome.exitCode).to.equal(0);
    expect(outcome.stdout).to.equal('result');
    expect(outcome.stderr).to.equal('fc-kernel: closing the kernel failed: pool.end() failed');
  });
});
