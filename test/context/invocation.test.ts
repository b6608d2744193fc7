import { expect } from 'chai';
import {
  Ctx,
  currentInvocation,
  FC_CONTEXT,
  FcContext,
  FcFunction,
  OnInitialize,
  OnInvoke,
  type CurrentInvocation,
} from '../../src';
import { deferred, sleep } from '../helpers/async';
import { okBody } from '../helpers/answers';
import { linesOf, markersIn } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

describe('currentInvocation', () => {
  const kernelOf = useTestKernels();

  it('is undefined outside any invocation', () => {
    expect(currentInvocation()).to.equal(undefined);
  });

  it('is the running invocation inside a handler and an initializer', async () => {
    const seen: { invocation: CurrentInvocation | undefined; ctx: FcContext; resolved: unknown }[] = [];
    @FcFunction({ name: 'current' })
    class Current {
      @OnInitialize()
      init(@Ctx() ctx: FcContext): void {
        seen.push({
          invocation: currentInvocation(),
          ctx,
          resolved: currentInvocation()?.container.resolve(FC_CONTEXT),
        });
      }
      @OnInvoke()
      async handle(@Ctx() ctx: FcContext): Promise<void> {
        await sleep(1);
        seen.push({
          invocation: currentInvocation(),
          ctx,
          resolved: currentInvocation()?.container.resolve(FC_CONTEXT),
        });
      }
    }
    const tk = kernelOf([Current]);
    await tk.initialize({ requestId: 'init-id' });
    await tk.invoke('{}', { requestId: 'inv-id' });
    expect(seen.map((s) => [s.invocation?.kind, s.invocation?.requestId])).to.deep.equal([
      ['initialize', 'init-id'],
      ['invoke', 'inv-id'],
    ]);
    for (const { invocation, ctx, resolved } of seen) {
      expect(invocation!.functionName).to.equal('current');
      expect(invocation!.context).to.equal(ctx);
      expect(invocation!.logger).to.equal(ctx.logger);
      expect(resolved).to.equal(ctx);
    }
    expect(currentInvocation()).to.equal(undefined);
  });

  it('follows timers the handler starts, during and after the handler', async () => {
    const afterHandler = deferred<CurrentInvocation | undefined>();
    @FcFunction()
    class Timers {
      @OnInvoke()
      async handle(): Promise<string | undefined> {
        const during = await new Promise<CurrentInvocation | undefined>((resolve) =>
          setTimeout(() => resolve(currentInvocation()), 1),
        );
        setTimeout(() => afterHandler.resolve(currentInvocation()), 5);
        return during?.requestId;
      }
    }
    const tk = kernelOf([Timers]);
    const answer = await tk.invoke('{}', { requestId: 'timer-id' });
    expect(answer.body).to.equal('timer-id');
    expect((await afterHandler.promise)?.requestId).to.equal('timer-id');
  });

  it('keeps 50 concurrent invocations apart: context, log lines and currentInvocation', async () => {
    @FcFunction()
    class Concurrent {
      @OnInvoke()
      async handle(@Ctx() ctx: FcContext): Promise<object> {
        const seen: string[] = [ctx.requestId];
        ctx.logger.info(`start ${ctx.requestId}`);
        for (let step = 0; step < 3; step++) {
          await sleep(Math.floor(Math.random() * 8));
          seen.push(currentInvocation()!.requestId);
          currentInvocation()!.logger.info(`step ${step} ${ctx.requestId}`);
        }
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(currentInvocation()!.context.requestId);
        return { seen };
      }
    }
    const tk = kernelOf([Concurrent]);
    const ids = Array.from({ length: 50 }, (_, i) => `1-concurrent-${i}`);
    const answers = await Promise.all(ids.map((id) => tk.invoke<{ seen: string[] }>('{}', { requestId: id })));
    answers.forEach((answer, i) => {
      const { seen } = okBody(answer);
      expect(seen).to.deep.equal(Array(5).fill(ids[i]));
    });
    for (const id of ids) {
      const lines = linesOf(tk.logs, id);
      expect(lines).to.have.length(4);
      for (const line of lines) expect(line.endsWith(` ${id}`), line).to.equal(true);
      expect(markersIn(tk.logs).filter((m) => m.endsWith(`RequestId: ${id}`))).to.deep.equal([
        `FC Invoke Start RequestId: ${id}`,
        `FC Invoke End RequestId: ${id}`,
      ]);
    }
  });
});
