import { expect } from 'chai';
import {
  currentInvocation,
  Ctx,
  Event,
  FC_CONTEXT,
  FcContext,
  FcFunction,
  Headers,
  Inject,
  Lifecycle,
  OnInvoke,
  scoped,
  type DependencyContainer,
} from '../../src';
import { createTestKernel, type TestKernel } from '../../src/testing';
import { deferred, settle, sleep } from '../helpers/async';

/** Counts the child containers made under a kernel's root container. */
function countContainers(tk: TestKernel): { readonly made: number } {
  const root = tk.kernel.root;
  const create = root.createChildContainer.bind(root);
  const counter = { made: 0 };
  root.createChildContainer = (): DependencyContainer => {
    counter.made++;
    return create();
  };
  return counter;
}

describe('the invocation container, made only when something asks for it', () => {
  let tk: TestKernel | undefined;
  afterEach(() => tk?.close());

  it('makes none for a function whose hooks take only the event, the context and headers', async () => {
    @FcFunction({ name: 'container-free' })
    class ContainerFree {
      @OnInvoke()
      handle(@Event() event: { n: number }, @Ctx() ctx: FcContext, @Headers('x-fc-region') region: string): string {
        return `${event.n} ${ctx.requestId} ${region}`;
      }
    }
    tk = createTestKernel(ContainerFree, { headers: { 'x-fc-region': 'cn-hangzhou' } });
    const containers = countContainers(tk);
    for (let n = 0; n < 20; n++) {
      const res = await tk.invoke({ n }, { requestId: `free-${n}` });
      expect(res.body).to.equal(`${n} free-${n} cn-hangzhou`);
    }
    expect(containers.made).to.equal(0);
  });

  it('keeps 200 concurrent invocations apart without one', async () => {
    const gate = deferred();
    @FcFunction({ name: 'container-free-concurrent' })
    class Concurrent {
      @OnInvoke()
      async handle(@Event() event: { n: number }, @Ctx() ctx: FcContext): Promise<string[]> {
        const before = currentInvocation()!;
        await gate.promise;
        await sleep(event.n % 7);
        const after = currentInvocation()!;
        ctx.logger.info(`done ${event.n}`);
        return [ctx.requestId, before.requestId, after.requestId, after.context.requestId];
      }
    }
    tk = createTestKernel(Concurrent);
    const containers = countContainers(tk);
    const calls = Array.from({ length: 200 }, (_, n) => tk!.invoke({ n }, { requestId: `iso-${n}` }));
    await settle();
    gate.resolve();
    const answers = await Promise.all(calls);
    answers.forEach((res, n) => {
      expect(res.body).to.deep.equal(Array(4).fill(`iso-${n}`));
      expect(res.logs.filter((l) => l.includes('[INFO]'))).to.have.length(1);
      expect(res.logs.find((l) => l.includes('[INFO]'))).to.match(new RegExp(` iso-${n} \\[INFO\\] done ${n}$`));
    });
    expect(containers.made).to.equal(0);
  });

  it("makes one per invocation for an @Inject() parameter, with the invocation's own services", async () => {
    let made = 0;
    @scoped(Lifecycle.ContainerScoped)
    class UnitOfWork {
      readonly serial = ++made;
      constructor(@Inject(FC_CONTEXT) readonly ctx: FcContext) {}
    }
    @FcFunction({ name: 'container-injected' })
    class Injected {
      @OnInvoke()
      async handle(@Inject(UnitOfWork) work: UnitOfWork): Promise<[string, number]> {
        await sleep(1);
        return [work.ctx.requestId, work.serial];
      }
    }
    tk = createTestKernel(Injected);
    const containers = countContainers(tk);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => tk!.invoke({}, { requestId: `inj-${n}` })));
    answers.forEach((res, n) => expect((res.body as [string, number])[0]).to.equal(`inj-${n}`));
    expect(new Set(answers.map((res) => (res.body as [string, number])[1])).size).to.equal(10);
    expect(containers.made).to.equal(10);
  });

  it('makes one when code reaches for currentInvocation().container, holding that invocation', async () => {
    @FcFunction({ name: 'container-reached' })
    class Reached {
      @OnInvoke()
      async handle(): Promise<string> {
        await sleep(1);
        return currentInvocation()!.container.resolve(FC_CONTEXT).requestId;
      }
    }
    tk = createTestKernel(Reached);
    const containers = countContainers(tk);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, n) => tk!.invoke({}, { requestId: `reach-${n}` })),
    );
    answers.forEach((res, n) => expect(res.body).to.equal(`reach-${n}`));
    expect(containers.made).to.equal(10);
  });

  it('gives work left running after the invocation a container that refuses, as before', async () => {
    const late = deferred<unknown>();
    @FcFunction({ name: 'container-late' })
    class Late {
      @OnInvoke()
      handle(): string {
        setTimeout(() => {
          try {
            late.resolve(currentInvocation()!.container.resolve(FC_CONTEXT));
          } catch (error) {
            late.resolve(error);
          }
        }, 5);
        return 'answered';
      }
    }
    tk = createTestKernel(Late);
    expect((await tk.invoke()).body).to.equal('answered');
    const outcome = await late.promise;
    expect(outcome).to.be.instanceOf(Error);
    expect((outcome as Error).message).to.match(/disposed/);
  });
});
