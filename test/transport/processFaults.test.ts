import { expect } from 'chai';
import { createKernel, FcFunction, OnInvoke } from '../../src';
import { logUnhandledRejections, stopOnUncaughtExceptions } from '../../src/transport/processFaults';
import { captureStderr } from '../helpers/stderrCapture';

@FcFunction({ name: 'faulty-process' })
class Quiet {
  @OnInvoke()
  handle(): string {
    return 'ok';
  }
}

/** Emits a process event to `install`'s handler alone (mocha's own handlers are set aside meanwhile). */
function emitAlone(event: 'unhandledRejection' | 'uncaughtException', install: () => () => void, value: unknown) {
  const others = process.listeners(event as 'uncaughtException') as ((...args: unknown[]) => void)[];
  process.removeAllListeners(event);
  const remove = install();
  const stderr = captureStderr();
  try {
    const emit = process.emit as (name: string, ...args: unknown[]) => boolean;
    emit.call(process, event, value, event === 'unhandledRejection' ? Promise.resolve() : event);
  } finally {
    stderr.restore();
    remove();
    for (const listener of others) process.on(event as 'uncaughtException', listener);
  }
  return stderr.written;
}

describe('process fault handlers', () => {
  it('never throw, even when logging the value throws; the details stay unprinted', () => {
    const kernel = createKernel({ functions: [Quiet], env: {} });
    const failure = () => {
      throw new Error('logging failed for credential plantedSecretValue');
    };
    kernel.logUnhandledRejection = failure;
    kernel.logUncaughtException = failure;
    const secretReason = new Error('credential plantedSecretValue');
    let stopped = 0;
    const said = [
      ...emitAlone('unhandledRejection', () => logUnhandledRejections(kernel), secretReason),
      ...emitAlone('uncaughtException', () => stopOnUncaughtExceptions(kernel, () => stopped++), secretReason),
    ].join('');
    expect(said).to.contain('fc-kernel: an unhandled promise rejection could not be logged');
    expect(said).to.contain('fc-kernel: an uncaught exception could not be logged');
    expect(said).to.not.contain('plantedSecretValue');
    expect(stopped).to.equal(1);
  });

  it('log through a sink that throws without throwing, saying so once without the details', () => {
    const kernel = createKernel({
      functions: [Quiet],
      env: {},
      logSink: () => {
        throw new Error('the log sink broke');
      },
    });
    const secretReason = new Error('credential plantedSecretValue');
    let stopped = 0;
    const said = [
      ...emitAlone('unhandledRejection', () => logUnhandledRejections(kernel), secretReason),
      ...emitAlone('uncaughtException', () => stopOnUncaughtExceptions(kernel, () => stopped++), secretReason),
    ].join('');
    expect(said).to.equal('fc-kernel: the log sink threw (the log sink broke): the lines it refuses are lost\n');
    expect(stopped).to.equal(1);
  });

  it('log an uncaught exception outside any invocation with every credential the kernel has seen redacted', async () => {
    const lines: string[] = [];
    const kernel = createKernel({ functions: [Quiet], env: {}, logSink: (line) => lines.push(line) });
    const secret = 'seen-in-a-request-secret-123';
    await kernel.dispatch({ method: 'POST', path: '/invoke', headers: { 'x-fc-access-key-secret': secret } });
    let stopped = 0;
    emitAlone(
      'uncaughtException',
      () => stopOnUncaughtExceptions(kernel, () => stopped++),
      new Error(`boom ${secret}`),
    );
    const logged = lines.find((l) => l.includes('Uncaught exception'));
    expect(logged).to.match(/^\S+ - \[ERROR\] Uncaught exception: Error: boom \[redacted\]/);
    expect(stopped).to.equal(1);
  });
});
