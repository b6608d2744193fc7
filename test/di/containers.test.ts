import { expect } from 'chai';
import {
  container as globalContainer,
  Ctx,
  currentInvocation,
  FC_CONTEXT,
  FC_LOGGER,
  FcContext,
  FcFunction,
  FcLogger,
  inject,
  Inject,
  injectable,
  Lifecycle,
  OnInvoke,
  registry,
  scoped,
  singleton,
  type InjectionToken,
} from '../../src';
import { deferred, settle } from '../helpers/async';
import { okBody } from '../helpers/answers';
import { linesOf } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

describe('DI containers', () => {
  const kernelOf = useTestKernels();

  it('injects the function class constructor from the root container, once', async () => {
    let constructed = 0;
    @injectable()
    class Pricing {
      total(n: number): number {
        return n * 2;
      }
    }
    @FcFunction()
    class Priced {
      constructor(private readonly pricing: Pricing) {
        constructed++;
      }
      @OnInvoke()
      handle(): number {
        return this.pricing.total(21);
      }
    }
    const tk = kernelOf([Priced]);
    expect((await tk.invoke('{}')).body).to.equal('42');
    expect((await tk.invoke('{}')).body).to.equal('42');
    expect(constructed).to.equal(1);
  });

  it('resolves @Inject(token) handler parameters from the invocation container', async () => {
    const GREETING: InjectionToken<string> = Symbol('greeting');
    const parent = globalContainer.createChildContainer();
    parent.register(GREETING, { useValue: 'hello from the parent' });
    @FcFunction()
    class Injected {
      @OnInvoke()
      handle(
        @Inject(GREETING) greeting: string,
        @Inject(FC_CONTEXT) ctx: FcContext,
        @Inject(FcContext) sameCtx: FcContext,
        @Inject(FC_LOGGER) logger: FcLogger,
        @Ctx() fromDecorator: FcContext,
      ): object {
        return {
          greeting,
          requestId: ctx.requestId,
          ctxIsTheInvocations: ctx === fromDecorator && sameCtx === fromDecorator,
          loggerIsTheInvocations: logger === fromDecorator.logger,
          fromChild: currentInvocation()!.container.resolve(FC_CONTEXT) === ctx,
        };
      }
    }
    const tk = kernelOf([Injected], { container: parent });
    expect(okBody(await tk.invoke('{}', { requestId: 'inj-1' }))).to.deep.equal({
      greeting: 'hello from the parent',
      requestId: 'inj-1',
      ctxIsTheInvocations: true,
      loggerIsTheInvocations: true,
      fromChild: true,
    });
  });

  it('uses the container option as the parent of its root', async () => {
    const TOKEN: InjectionToken<{ source: string }> = Symbol('only-in-parent');
    const parent = globalContainer.createChildContainer();
    parent.register(TOKEN, { useValue: { source: 'parent' } });
    @FcFunction()
    class UsesParent {
      constructor(@Inject(TOKEN) private readonly dep: { source: string }) {}
      @OnInvoke()
      handle(@Inject(TOKEN) viaParam: { source: string }): object {
        return { ctor: this.dep.source, param: viaParam.source, same: viaParam === this.dep };
      }
    }
    const tk = kernelOf([UsesParent], { container: parent });
    expect(okBody(await tk.invoke('{}'))).to.deep.equal({ ctor: 'parent', param: 'parent', same: true });
    expect(globalContainer.isRegistered(TOKEN, true)).to.equal(false);
  });

  it("sees users' @registry registrations in tsyringe's global container", async () => {
    const CONFIG: InjectionToken<{ table: string }> = Symbol('config');
    @registry([{ token: CONFIG, useValue: { table: 'orders' } }])
    class ConfigModule {}
    expect(ConfigModule).to.be.a('function');
    @FcFunction()
    class UsesRegistry {
      constructor(@inject(CONFIG) private readonly config: { table: string }) {}
      @OnInvoke()
      handle(@Inject(CONFIG) config: { table: string }): object {
        return { ctor: this.config.table, param: config.table };
      }
    }
    const tk = kernelOf([UsesRegistry]);
    expect(okBody(await tk.invoke('{}'))).to.deep.equal({ ctor: 'orders', param: 'orders' });
  });

  describe('a Lifecycle.ContainerScoped service', () => {
    it('is new per invocation, shared within one, and sees its own FC_CONTEXT', async () => {
      const instances: RequestAudit[] = [];
      @scoped(Lifecycle.ContainerScoped)
      class RequestAudit {
        constructor(@inject(FC_CONTEXT) readonly ctx: FcContext) {
          instances.push(this);
        }
      }
      const gates = [deferred(), deferred()];
      @FcFunction()
      class Audited {
        @OnInvoke()
        async handle(
          @Inject(RequestAudit) a: RequestAudit,
          @Inject(RequestAudit) b: RequestAudit,
          @Ctx() ctx: FcContext,
        ): Promise<object> {
          // Both invocations hold their instance at the same time.
          await gates[Number(ctx.requestId.slice(-1))]!.promise;
          const c = currentInvocation()!.container.resolve(RequestAudit);
          return { sameWithin: a === b && b === c, auditSees: a.ctx.requestId };
        }
      }
      const tk = kernelOf([Audited]);
      const first = tk.invoke('{}', { requestId: 'scoped-0' });
      const second = tk.invoke('{}', { requestId: 'scoped-1' });
      await settle();
      gates[1]!.resolve();
      gates[0]!.resolve();
      expect(okBody(await first)).to.deep.equal({ sameWithin: true, auditSees: 'scoped-0' });
      expect(okBody(await second)).to.deep.equal({ sameWithin: true, auditSees: 'scoped-1' });
      expect(instances).to.have.length(2);
      expect(instances[0]).to.not.equal(instances[1]);
    });

    it('is per invocation even when registered after the kernel was created', async () => {
      const TOKEN: InjectionToken<{ id: number; disposed: boolean }> = Symbol('late-scoped');
      let made = 0;
      const parent = globalContainer.createChildContainer();
      @FcFunction()
      class UsesLate {
        @OnInvoke()
        handle(@Inject(TOKEN) a: { id: number }, @Inject(TOKEN) b: { id: number }): object {
          return { id: a.id, same: a === b };
        }
      }
      const tk = kernelOf([UsesLate], { container: parent });
      const instances: Late[] = [];
      class Late {
        readonly id = ++made;
        disposed = false;
        constructor() {
          instances.push(this);
        }
        dispose(): void {
          this.disposed = true;
        }
      }
      parent.register(TOKEN, { useClass: Late }, { lifecycle: Lifecycle.ContainerScoped });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 1, same: true });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 2, same: true });
      expect(instances.map((i) => i.disposed)).to.deep.equal([true, true]);
    });

    it('is per invocation when registered for a token already looked up through the invocation', async () => {
      const parent = globalContainer.createChildContainer();
      let made = 0;
      class Looked {
        readonly id = ++made;
      }
      @FcFunction()
      class ResolvesLooked {
        @OnInvoke()
        handle(): object {
          const { container } = currentInvocation()!;
          const [a, b] = [container.resolve(Looked), container.resolve(Looked)];
          return { id: a.id, same: a === b };
        }
      }
      const tk = kernelOf([ResolvesLooked], { container: parent });
      // Unregistered, the class is built anew on each resolve; the lookup leaves tsyringe's empty
      // entries for it in every ancestor, which the registration below then fills.
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 1, same: false });
      parent.register(Looked, { useClass: Looked }, { lifecycle: Lifecycle.ContainerScoped });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 3, same: true });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 4, same: true });
    });

    it('is per invocation when registered again for a token already registered', async () => {
      const TOKEN: InjectionToken<{ id: number }> = Symbol('re-registered');
      const parent = globalContainer.createChildContainer();
      parent.register(TOKEN, { useValue: { id: 0 } });
      let made = 0;
      class Again {
        readonly id = ++made;
      }
      @FcFunction()
      class UsesAgain {
        @OnInvoke()
        handle(@Inject(TOKEN) a: { id: number }, @Inject(TOKEN) b: { id: number }): object {
          return { id: a.id, same: a === b };
        }
      }
      const tk = kernelOf([UsesAgain], { container: parent });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 0, same: true });
      parent.register(TOKEN, { useClass: Again }, { lifecycle: Lifecycle.ContainerScoped });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 1, same: true });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ id: 2, same: true });
    });

    it('declared after the kernel was created is still per invocation', async () => {
      @FcFunction()
      class UsesLateDecorated {
        @OnInvoke()
        handle(): number {
          return currentInvocation()!.container.resolve(LateDecorated).id;
        }
      }
      const tk = kernelOf([UsesLateDecorated]);
      let made = 0;
      @scoped(Lifecycle.ContainerScoped)
      class LateDecorated {
        readonly id = ++made;
      }
      expect((await tk.invoke('{}')).body).to.equal('1');
      expect((await tk.invoke('{}')).body).to.equal('2');
    });

    it('is disposed when its invocation ends, not before', async () => {
      const events: string[] = [];
      @scoped(Lifecycle.ContainerScoped)
      class Connection {
        constructor(@inject(FC_CONTEXT) private readonly ctx: FcContext) {}
        async dispose(): Promise<void> {
          await settle(1);
          events.push(`dispose:${this.ctx.requestId}`);
        }
      }
      @FcFunction()
      class UsesConnection {
        @OnInvoke()
        async handle(@Inject(Connection) _c: Connection, @Ctx() ctx: FcContext): Promise<string> {
          await settle(2);
          events.push(`handled:${ctx.requestId}`);
          return 'ok';
        }
      }
      const tk = kernelOf([UsesConnection]);
      await tk.invoke('{}', { requestId: 'd1' });
      expect(events).to.deep.equal(['handled:d1', 'dispose:d1']);
      await tk.invoke('{}', { requestId: 'd2' });
      expect(events).to.deep.equal(['handled:d1', 'dispose:d1', 'handled:d2', 'dispose:d2']);
    });

    it('is disposed even when the handler fails', async () => {
      let disposed = 0;
      @scoped(Lifecycle.ContainerScoped)
      class Resource {
        dispose(): void {
          disposed++;
        }
      }
      @FcFunction()
      class Fails {
        @OnInvoke()
        handle(@Inject(Resource) _r: Resource): void {
          throw new Error('boom');
        }
      }
      const tk = kernelOf([Fails]);
      expect((await tk.invoke('{}')).statusCode).to.equal(404);
      expect(disposed).to.equal(1);
    });

    it('failing to dispose is logged and does not change the answer', async () => {
      @scoped(Lifecycle.ContainerScoped)
      class BadResource {
        dispose(): void {
          throw new Error('close failed');
        }
      }
      @FcFunction()
      class UsesBad {
        @OnInvoke()
        handle(@Inject(BadResource) _r: BadResource): string {
          return 'done';
        }
      }
      const tk = kernelOf([UsesBad]);
      const answer = await tk.invoke('{}', { requestId: 'bad-dispose' });
      expect(answer.statusCode).to.equal(200);
      expect(answer.body).to.equal('done');
      expect(linesOf(tk.logs, 'bad-dispose').some((l) => l.includes('close failed'))).to.equal(true);
    });
  });

  describe('a singleton first resolved inside an invocation', () => {
    it('@singleton(): outlives the invocation, is disposed by kernel.close()', async () => {
      const disposed: string[] = [];
      @singleton()
      class Pool {
        dispose(): void {
          disposed.push('pool');
        }
      }
      let seen: Pool[] = [];
      @FcFunction()
      class UsesPool {
        @OnInvoke()
        handle(@Inject(Pool) pool: Pool): void {
          seen.push(pool);
        }
      }
      const tk = kernelOf([UsesPool]);
      await tk.invoke('{}');
      await tk.invoke('{}');
      expect(seen[0]).to.equal(seen[1]);
      expect(disposed).to.deep.equal([]);
      await tk.kernel.close();
      expect(disposed).to.deep.equal(['pool']);
      seen = [];
    });

    it('registerSingleton on the parent container: outlives the invocation, is disposed by kernel.close()', async () => {
      const disposed: string[] = [];
      class Cache {
        dispose(): void {
          disposed.push('cache');
        }
      }
      const parent = globalContainer.createChildContainer();
      parent.registerSingleton(Cache);
      @scoped(Lifecycle.ContainerScoped)
      class PerRequest {
        dispose(): void {
          disposed.push('per-request');
        }
      }
      const seen: Cache[] = [];
      @FcFunction()
      class UsesCache {
        @OnInvoke()
        handle(@Inject(Cache) cache: Cache, @Inject(PerRequest) _p: PerRequest): void {
          seen.push(cache);
        }
      }
      const tk = kernelOf([UsesCache], { container: parent });
      await tk.invoke('{}');
      expect(disposed).to.deep.equal(['per-request']);
      await tk.invoke('{}');
      expect(disposed).to.deep.equal(['per-request', 'per-request']);
      expect(seen[0]).to.equal(seen[1]);
      await tk.kernel.close();
      expect(disposed).to.deep.equal(['per-request', 'per-request', 'cache']);
    });
  });
});
