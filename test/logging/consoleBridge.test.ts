import { expect } from 'chai';
import { Ctx, Event, FcContext, FcFunction, OnInitialize, OnInvoke } from '../../src';
import { MAX_LOG_LINE_BYTES } from '../../src/logging/FcLogger';
import { currentConsoleRoute } from '../../src/kernel/InvocationFactory';
import { installConsoleBridge, uninstallConsoleBridge } from '../../src/logging/consoleBridge';
import { createTestKernel, type TestKernel } from '../../src/testing';
import { deferred, settle, sleep } from '../helpers/async';

/** `<level> <message>` of a call's ordinary lines, after checking they carry its request id. */
function messages(logs: readonly string[], requestId: string): string[] {
  return logs
    .filter((line) => !line.startsWith('FC '))
    .map((line) => {
      const [time, id, ...rest] = line.split(' ');
      expect(time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(id).to.equal(requestId);
      return rest.join(' ');
    });
}

/** What reaches process.stdout while `run` runs (the console's own stream). */
async function stdoutDuring(run: () => Promise<unknown>): Promise<string> {
  const write = process.stdout.write;
  let written = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return written;
}

describe('console inside an invocation', () => {
  let tk: TestKernel | undefined;
  afterEach(() => tk?.close());

  it('writes console.log, info, warn, error and debug as the invocation’s lines, in order with ctx.logger', async () => {
    @FcFunction({ name: 'console-levels' })
    class Levels {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): void {
        console.log('log %s has %d items', 'cart', 3);
        ctx.logger.info('from the logger');
        console.info('info', { total: 9.5 });
        console.warn('warn');
        console.error(new Error('boom'));
        console.debug('debug\nsecond line');
      }
    }
    tk = createTestKernel(Levels);
    const res = await tk.invoke(undefined, { requestId: 'console-1' });
    expect(res.logs[0]).to.equal('FC Invoke Start RequestId: console-1');
    expect(res.logs.at(-1)).to.equal('FC Invoke End RequestId: console-1');
    const lines = messages(res.logs, 'console-1');
    expect(lines.slice(0, 4)).to.deep.equal([
      '[INFO] log cart has 3 items',
      '[INFO] from the logger',
      '[INFO] info { total: 9.5 }',
      '[WARN] warn',
    ]);
    expect(lines[4]).to.match(/^\[ERROR\] Error: boom\r {4}at /);
    expect(lines[5]).to.equal('[DEBUG] debug\rsecond line');
    for (const line of res.logs) expect(line).to.not.include('\n');
  });

  it('keeps the console lines of 200 concurrent invocations under their own request ids', async () => {
    const gate = deferred();
    @FcFunction({ name: 'console-concurrent' })
    class Concurrent {
      @OnInvoke()
      async handle(@Event() event: { n: number }): Promise<number> {
        console.log(`before ${event.n}`);
        await gate.promise;
        await sleep(event.n % 5);
        console.warn(`after ${event.n}`);
        return event.n;
      }
    }
    tk = createTestKernel(Concurrent);
    const calls = Array.from({ length: 200 }, (_, n) => tk!.invoke({ n }, { requestId: `cc-${n}` }));
    await settle();
    gate.resolve();
    const answers = await Promise.all(calls);
    answers.forEach((res, n) => {
      expect(messages(res.logs, `cc-${n}`)).to.deep.equal([`[INFO] before ${n}`, `[WARN] after ${n}`]);
    });
    expect(tk.logs).to.have.length(200 * 4);
  });

  it('redacts the invocation’s secrets and keeps to the line length limit', async () => {
    @FcFunction({ name: 'console-leaky' })
    class Leaky {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): void {
        console.log('secret is', ctx.credentials.accessKeySecret, 'token', ctx.credentials.securityToken);
        console.log('x'.repeat(200_000));
      }
    }
    tk = createTestKernel(Leaky, {
      headers: {
        'x-fc-access-key-id': 'STS.console-id',
        'x-fc-access-key-secret': 'console-secret-value',
        'x-fc-security-token': 'console-token-value',
      },
    });
    const res = await tk.invoke(undefined, { requestId: 'console-leak' });
    const lines = messages(res.logs, 'console-leak');
    expect(lines[0]).to.equal('[INFO] secret is [redacted] token [redacted]');
    expect(Buffer.byteLength(res.logs[2]!)).to.be.at.most(MAX_LOG_LINE_BYTES);
    expect(res.logs[2]).to.match(/bytes cut/);
  });

  it('gives the lines of @OnInitialize to the initialization, and console.trace as one ERROR line', async () => {
    @FcFunction({ name: 'console-init' })
    class Init {
      @OnInitialize()
      init(): void {
        console.log('warming up');
      }
      @OnInvoke()
      handle(): void {
        console.trace('where am I');
      }
    }
    tk = createTestKernel(Init);
    const init = await tk.initialize({ requestId: 'console-init-1' });
    expect(messages(init.logs, 'console-init-1')).to.deep.equal(['[INFO] warming up']);
    const res = await tk.invoke(undefined, { requestId: 'console-trace' });
    const [trace] = messages(res.logs, 'console-trace');
    expect(trace).to.match(/^\[ERROR\] Trace: where am I\r {4}at /);
  });

  it('leaves console alone outside invocations', async () => {
    tk = createTestKernel(
      (() => {
        @FcFunction({ name: 'console-outside' })
        class Outside {
          @OnInvoke()
          handle(): string {
            return 'ok';
          }
        }
        return Outside;
      })(),
    );
    const written = await stdoutDuring(async () => {
      console.log('plain %s', 'line');
      await tk!.invoke();
    });
    expect(written).to.equal('plain line\n');
    expect(tk.logs.some((line) => line.includes('plain'))).to.equal(false);
  });

  it('leaves console alone in the invocations of a kernel created with console: false', async () => {
    @FcFunction({ name: 'console-off' })
    class Off {
      @OnInvoke()
      handle(): string {
        console.log('straight to stdout');
        return 'ok';
      }
    }
    // Another kernel has installed the bridge: the choice is per kernel.
    const routed = createTestKernel(Off);
    tk = createTestKernel(Off, { console: false });
    let res: Awaited<ReturnType<TestKernel['invoke']>> | undefined;
    const written = await stdoutDuring(async () => {
      res = await tk!.invoke(undefined, { requestId: 'console-off-1' });
    });
    await routed.close();
    expect(written).to.equal('straight to stdout\n');
    expect(res!.logs).to.deep.equal([
      'FC Invoke Start RequestId: console-off-1',
      'FC Invoke End RequestId: console-off-1',
    ]);
  });

  it('prints what a sink writes through console once, without logging it again', async () => {
    @FcFunction({ name: 'console-sink' })
    class Sunk {
      @OnInvoke()
      handle(): void {
        console.log('inside');
      }
    }
    tk = createTestKernel(Sunk, { logSink: (line) => console.log(line) });
    let res: Awaited<ReturnType<TestKernel['invoke']>> | undefined;
    const written = await stdoutDuring(async () => {
      res = await tk!.invoke(undefined, { requestId: 'console-sink-1' });
    });
    expect(res!.logs).to.have.length(3);
    expect(messages(res!.logs, 'console-sink-1')).to.deep.equal(['[INFO] inside']);
    expect(written).to.equal(res!.logs.map((line) => `${line}\n`).join(''));
  });

  it('installs once, and uninstalling puts the console methods back', () => {
    installConsoleBridge(currentConsoleRoute);
    const bridged = console.log;
    installConsoleBridge(currentConsoleRoute);
    expect(console.log).to.equal(bridged);
    uninstallConsoleBridge();
    try {
      expect(console.log).to.not.equal(bridged);
    } finally {
      installConsoleBridge(currentConsoleRoute);
    }
  });
});
