import { expect } from 'chai';
import {
  ConfigurationError,
  container as globalContainer,
  createKernel,
  Ctx,
  FC_CONTEXT,
  FC_LOGGER,
  FcContext,
  FcFunction,
  FcLogger,
  inject,
  Inject,
  injectable,
  injectAll,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  scoped,
  singleton,
  type DependencyContainer,
  type InjectionToken,
  type KernelOptions,
} from '../../src';
import { delay } from 'tsyringe';
import { errorOf, okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

/** The `ConfigurationError` creating a kernel over `functions` throws. */
function bootError(functions: KernelOptions['functions'], container?: DependencyContainer): ConfigurationError {
  try {
    createKernel({
      functions,
      container: container ?? globalContainer.createChildContainer(),
      env: {},
      logSink: () => {},
    });
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  expect.fail('the kernel was created');
}

describe('dependencies checked when the kernel is created', () => {
  const kernelOf = useTestKernels();

  describe('a token nobody registered', () => {
    it("in a function's constructor: names the class, the position and the token", () => {
      const DB: InjectionToken<object> = Symbol('Db');
      @injectable()
      class Pricing {}
      @FcFunction({ name: 'unregistered' })
      class NeedsDb {
        constructor(_pricing: Pricing, @inject(DB) _db: object) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([NeedsDb]);
      expect(error.code).to.equal('UNREGISTERED_DEPENDENCY');
      expect(error.where).to.deep.equal({ className: 'NeedsDb', parameter: 1 });
      expect(error.message).to.match(
        /^NeedsDb constructor parameter 1 needs Symbol\(Db\), which is not registered in the kernel's container or its parents; register it before the kernel is created/,
      );
    });

    it('deeper in the graph: the chain from the function is named', () => {
      const CONFIG = 'config';
      @injectable()
      class Repository {
        constructor(@inject(CONFIG) _config: object) {}
      }
      @injectable()
      class Orders {
        constructor(_repository: Repository) {}
      }
      @FcFunction({ name: 'deep' })
      class Deep {
        constructor(_orders: Orders) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([Deep]);
      expect(error.code).to.equal('UNREGISTERED_DEPENDENCY');
      expect(error.where).to.deep.equal({ className: 'Repository', parameter: 0 });
      expect(error.message).to.include(
        'Repository constructor parameter 0 (in Deep → Orders → Repository) needs "config"',
      );
    });

    it('registered in the container option, or optional, is fine', async () => {
      const DB: InjectionToken<{ name: string }> = Symbol('Db');
      const MISSING: InjectionToken<unknown> = Symbol('missing');
      const parent = globalContainer.createChildContainer();
      parent.register(DB, { useValue: { name: 'db' } });
      @FcFunction({ name: 'registered' })
      class Registered {
        constructor(
          @inject(DB) private readonly db: { name: string },
          @inject(MISSING, { isOptional: true }) private readonly missing: unknown,
          @injectAll(MISSING, { isOptional: true }) private readonly none: unknown[],
        ) {}
        @OnInvoke()
        handle(): object {
          return { db: this.db.name, missing: this.missing ?? null, none: this.none };
        }
      }
      const tk = kernelOf([Registered], { container: parent });
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ db: 'db', missing: null, none: [] });
    });

    it('behind a factory or a value is not looked into', async () => {
      const CLIENT: InjectionToken<{ ok: boolean }> = Symbol('client');
      const parent = globalContainer.createChildContainer();
      parent.register(CLIENT, { useFactory: (c) => ({ ok: c.isRegistered(Symbol('anything')) === false }) });
      @FcFunction({ name: 'factory' })
      class Factory {
        constructor(@inject(CLIENT) private readonly client: { ok: boolean }) {}
        @OnInvoke()
        handle(): boolean {
          return this.client.ok;
        }
      }
      const tk = kernelOf([Factory], { container: parent });
      expect(okBody(await tk.invoke('{}'))).to.equal('true');
    });

    it("a handler's @Inject token registered in @OnInitialize is fine", async () => {
      const CONNECTION: InjectionToken<{ id: string }> = Symbol('connection');
      const parent = globalContainer.createChildContainer();
      @FcFunction({ name: 'registers-in-init' })
      class RegistersInInit {
        @OnInitialize()
        connect(): void {
          parent.register(CONNECTION, { useValue: { id: 'conn-1' } });
        }
        @OnInvoke()
        handle(@Inject(CONNECTION) connection: { id: string }): string {
          return connection.id;
        }
      }
      const tk = kernelOf([RegistersInInit], { container: parent });
      expect((await tk.invoke('{}')).body).to.equal('conn-1');
    });

    it("a handler's @Inject token still unregistered after initialization fails the initialization", async () => {
      const CONNECTION: InjectionToken<{ id: string }> = Symbol('connection');
      let handled = 0;
      @FcFunction({ name: 'never-registers' })
      class NeverRegisters {
        @OnInitialize()
        connect(): void {}
        @OnInvoke()
        handle(@Ctx() _ctx: FcContext, @Inject(CONNECTION) connection: { id: string }): string {
          handled++;
          return connection.id;
        }
      }
      const tk = kernelOf([NeverRegisters], { container: globalContainer.createChildContainer() });
      const init = errorOf(await tk.initialize());
      expect(init.errorType).to.equal('InitializationError');
      expect(init.errorMessage).to.include(
        "NeverRegisters.handle parameter 1 needs Symbol(connection), which is not registered in the kernel's container or its parents once initialization has ended; register it before the kernel is created or in @OnInitialize",
      );
      expect(errorOf(await tk.invoke('{}')).errorType).to.equal('InitializationError');
      expect(handled).to.equal(0);
    });
  });

  describe('the per-invocation context', () => {
    it("in a function's constructor (by token or by class): the context exists per invocation", () => {
      for (const [token, name] of [
        [FC_CONTEXT, 'FC_CONTEXT'],
        [FcContext, 'FcContext'],
        [FC_LOGGER, 'FC_LOGGER'],
        [FcLogger, 'FcLogger'],
      ] as const) {
        @FcFunction({ name: `context-in-constructor-${name}` })
        class ContextInConstructor {
          constructor(@inject(token as InjectionToken<unknown>) _context: unknown) {}
          @OnInvoke()
          handle(): void {}
        }
        const error = bootError([ContextInConstructor]);
        expect(error.code).to.equal('CONTEXT_OUTSIDE_INVOCATION');
        expect(error.where).to.deep.equal({ className: 'ContextInConstructor', parameter: 0 });
        expect(error.message).to.include(
          `ContextInConstructor constructor parameter 0 injects ${name}, which exists per invocation, but ContextInConstructor is created once for the instance`,
        );
        expect(error.message).to.include(`take it in a handler (@Ctx(), or @Inject(${name}))`);
      }
    });

    it('declared by type, as tsc records it', () => {
      @FcFunction({ name: 'context-by-type' })
      class ContextByType {
        constructor(readonly ctx: FcContext) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([ContextByType]);
      expect(error.code).to.equal('CONTEXT_OUTSIDE_INVOCATION');
      expect(error.message).to.include('injects FcContext');
    });

    it('in a singleton a handler injects: the first invocation would be kept for every later one', () => {
      @singleton()
      class RequestLog {
        constructor(@inject(FC_LOGGER) readonly logger: FcLogger) {}
      }
      @FcFunction({ name: 'singleton-context' })
      class SingletonContext {
        @OnInvoke()
        handle(@Inject(RequestLog) log: RequestLog): void {
          log.logger.info('handled');
        }
      }
      const error = bootError([SingletonContext]);
      expect(error.code).to.equal('CONTEXT_OUTSIDE_INVOCATION');
      expect(error.message).to.include(
        'RequestLog constructor parameter 0 (in SingletonContext.handle parameter 0 → RequestLog) injects FC_LOGGER',
      );
    });

    it('in a container-scoped service the constructor injects: it is built once, from the root', () => {
      @scoped(Lifecycle.ContainerScoped)
      class Audit {
        constructor(@inject(FC_CONTEXT) readonly ctx: FcContext) {}
      }
      @FcFunction({ name: 'scoped-in-constructor' })
      class ScopedInConstructor {
        constructor(readonly audit: Audit) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([ScopedInConstructor]);
      expect(error.code).to.equal('CONTEXT_OUTSIDE_INVOCATION');
      expect(error.message).to.include(
        'Audit constructor parameter 0 (in ScopedInConstructor → Audit) injects FC_CONTEXT',
      );
    });

    it('in a handler, or a container-scoped service a handler injects, is fine', async () => {
      @scoped(Lifecycle.ContainerScoped)
      class Audit {
        constructor(@inject(FC_CONTEXT) readonly ctx: FcContext) {}
      }
      @injectable()
      class Transient {
        constructor(readonly logger: FcLogger) {}
      }
      @FcFunction({ name: 'context-in-handler' })
      class ContextInHandler {
        @OnInvoke()
        handle(
          @Inject(Audit) audit: Audit,
          @Inject(Transient) transient: Transient,
          @Inject(FC_CONTEXT) ctx: FcContext,
        ): object {
          return { audit: audit.ctx === ctx, transient: transient.logger === ctx.logger };
        }
      }
      const tk = kernelOf([ContextInHandler]);
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ audit: true, transient: true });
    });
  });

  describe('a class tsyringe cannot construct', () => {
    it('not @injectable(), with constructor parameters', () => {
      class Plain {
        constructor(readonly name: string) {}
      }
      @FcFunction({ name: 'not-injectable' })
      class UsesPlain {
        constructor(@inject(Plain) _plain: Plain) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([UsesPlain]);
      expect(error.code).to.equal('NOT_INJECTABLE');
      expect(error.where).to.deep.equal({ className: 'UsesPlain', parameter: 0 });
      expect(error.message).to.include(
        'UsesPlain constructor parameter 0 needs Plain, whose constructor takes 1 parameter(s), but Plain is not @injectable()',
      );
    });

    it('a parameter typed as an interface or a primitive', () => {
      interface Settings {
        region: string;
      }
      @FcFunction({ name: 'interface-typed' })
      class InterfaceTyped {
        constructor(readonly pricing: Settings) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([InterfaceTyped]);
      expect(error.code).to.equal('UNRESOLVABLE_PARAMETER_TYPE');
      expect(error.message).to.include(
        'InterfaceTyped constructor parameter 0 is of type Object at run time (a primitive, an interface, a type alias or a union)',
      );
      expect(error.message).to.include('@inject(token)');
    });

    it('a constructor cycle, unless one side is delayed', async () => {
      @injectable()
      class Chicken {
        constructor(@inject(delay(() => Egg)) readonly egg: unknown) {}
      }
      @injectable()
      class Egg {
        constructor(readonly chicken: Chicken) {}
      }
      @injectable()
      class Left {
        constructor(@inject('right-side') readonly right: unknown) {}
      }
      @injectable()
      class Right {
        constructor(readonly left: Left) {}
      }
      const parent = globalContainer.createChildContainer();
      parent.register('right-side', { useClass: Right });
      @FcFunction({ name: 'cycle' })
      class Cycle {
        constructor(readonly left: Left) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([Cycle], parent);
      expect(error.code).to.equal('DEPENDENCY_CYCLE');
      expect(error.message).to.include('closes the constructor cycle Left → Right → Left');

      @FcFunction({ name: 'delayed-cycle' })
      class DelayedCycle {
        constructor(readonly chicken: Chicken) {}
        @OnInvoke()
        handle(): boolean {
          return this.chicken.egg instanceof Egg;
        }
      }
      const tk = kernelOf([DelayedCycle]);
      expect(okBody(await tk.invoke('{}'))).to.equal('true');
    });
  });

  describe('built without type metadata (esbuild, tsx, swc)', () => {
    it('a function whose constructor parameters tsyringe knows nothing about', () => {
      @injectable()
      class Pricing {}
      class NoMetadata {
        constructor(readonly pricing: Pricing) {}
        handle(): unknown {
          return this.pricing;
        }
      }
      // Decorators applied by hand leave no design:paramtypes, as those builds do.
      OnInvoke()(NoMetadata.prototype, 'handle', Object.getOwnPropertyDescriptor(NoMetadata.prototype, 'handle')!);
      FcFunction({ name: 'no-metadata' })(NoMetadata);
      const error = bootError([NoMetadata]);
      expect(error.code).to.equal('MISSING_TYPE_METADATA');
      expect(error.where).to.deep.equal({ className: 'NoMetadata', parameter: 0 });
      expect(error.message).to.include(
        'NoMetadata constructor parameter 0 has no type at run time and no @inject(token)',
      );
      expect(error.message).to.include('compile with tsc and "experimentalDecorators" plus "emitDecoratorMetadata"');
    });

    it('a parameter without @inject next to one with it would be injected as undefined', () => {
      const CONFIG: InjectionToken<object> = Symbol('config');
      class Pricing {}
      class HalfInjected {
        constructor(
          readonly pricing: Pricing,
          readonly config: object,
        ) {}
      }
      inject(CONFIG)(HalfInjected, undefined, 1);
      injectable()(HalfInjected);
      const parent = globalContainer.createChildContainer();
      parent.register(CONFIG, { useValue: {} });
      @FcFunction({ name: 'half-injected' })
      class UsesHalf {
        constructor(readonly half: HalfInjected) {}
        @OnInvoke()
        handle(): void {}
      }
      const error = bootError([UsesHalf], parent);
      expect(error.code).to.equal('MISSING_TYPE_METADATA');
      expect(error.message).to.include('HalfInjected constructor parameter 0 (in UsesHalf → HalfInjected) has no type');
    });

    it('every parameter named with @inject() works without metadata', async () => {
      const GREETING: InjectionToken<string> = Symbol('greeting');
      class Named {
        constructor(readonly greeting: string) {}
        handle(): string {
          return this.greeting;
        }
      }
      inject(GREETING)(Named, undefined, 0);
      OnInvoke()(Named.prototype, 'handle', Object.getOwnPropertyDescriptor(Named.prototype, 'handle')!);
      FcFunction({ name: 'named' })(Named);
      const parent = globalContainer.createChildContainer();
      parent.register(GREETING, { useValue: 'hello' });
      const tk = kernelOf([Named], { container: parent });
      expect((await tk.invoke('{}')).body).to.equal('hello');
    });
  });
});
