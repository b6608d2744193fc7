import { expect } from 'chai';
import {
  ConfigurationError,
  container as globalContainer,
  createKernel,
  Event,
  FC_LOGGER,
  FcFunction,
  inject,
  Inject,
  injectable,
  injectAll,
  Lifecycle,
  OnInvoke,
  scoped,
  singleton,
  type DependencyContainer,
} from '../../src';
// After fc-kernel, which loads the Reflect polyfill tsyringe needs.
import { delay, injectWithTransform } from 'tsyringe';
import type { DependencyNode } from '../../src/di/dependencyGraph';
import { describeFunctions } from '../../src/plan/describeFunctions';

/** The one function's services and problems, over a fresh child of the global container. */
function servicesOf(target: new (...args: never[]) => unknown, container?: DependencyContainer) {
  const { functions, problems } = describeFunctions({
    functions: [target],
    container: container ?? globalContainer.createChildContainer(),
  });
  return { services: functions[0]!.services, problems: problems.map((p) => p.code), fn: functions[0]! };
}

describe('describeFunctions: the services a function injects, as the dependency graph resolves them', () => {
  it('values, factories, aliases and classes, registered or not, with their lifecycles, recursively', () => {
    const CONFIG = Symbol('Config');
    const CLOCK = Symbol('Clock');
    const STORE = Symbol('Store');
    @injectable()
    class Http {}
    @singleton()
    class Pool {
      constructor(readonly http: Http) {}
    }
    class MemoryStore {}
    const container = globalContainer.createChildContainer();
    container.register(CONFIG, { useValue: { url: 'x' } });
    container.register(CLOCK, { useFactory: () => Date.now });
    container.register(MemoryStore, { useClass: MemoryStore }, { lifecycle: Lifecycle.ContainerScoped });
    container.register(STORE, { useToken: MemoryStore });
    @FcFunction({ name: 'services' })
    class Services {
      constructor(
        @inject(CONFIG) readonly config: unknown,
        @inject(CLOCK) readonly clock: unknown,
        @inject(STORE) readonly store: unknown,
        readonly pool: Pool,
      ) {}
      @OnInvoke() handle(@Event() _e: Buffer) {}
    }
    const { services, problems } = servicesOf(Services, container);
    expect(problems).to.deep.equal([]);
    expect(services).to.deep.equal([
      { parameter: 0, token: 'Symbol(Config)', provider: 'value', registered: true },
      { parameter: 1, token: 'Symbol(Clock)', provider: 'factory', registered: true, lifecycle: 'transient' },
      {
        parameter: 2,
        token: 'Symbol(Store)',
        provider: 'token',
        registered: true,
        alias: {
          token: 'MemoryStore',
          provider: 'class',
          registered: true,
          className: 'MemoryStore',
          lifecycle: 'container-scoped',
        },
      },
      {
        parameter: 3,
        token: 'Pool',
        provider: 'class',
        registered: true,
        className: 'Pool',
        lifecycle: 'singleton',
        dependencies: [
          {
            parameter: 0,
            token: 'Http',
            provider: 'class',
            registered: false,
            className: 'Http',
            lifecycle: 'transient',
          },
        ],
      },
    ]);
  });

  it('@injectAll, optional, delay() and @injectWithTransform', () => {
    const PLUGIN = Symbol('Plugin');
    const MISSING = Symbol('Missing');
    @injectable()
    class Later {}
    class Upper {
      transform(value: string) {
        return value.toUpperCase();
      }
    }
    const NAME = Symbol('Name');
    const container = globalContainer.createChildContainer();
    container.register(PLUGIN, { useValue: 1 });
    container.register(NAME, { useValue: 'ada' });
    @FcFunction({ name: 'forms' })
    class Forms {
      constructor(
        @injectAll(PLUGIN) readonly plugins: unknown[],
        @inject(MISSING, { isOptional: true }) readonly missing: unknown,
        @inject(delay(() => Later)) readonly later: Later,
        @injectWithTransform(NAME, Upper) readonly name: string,
      ) {}
      @OnInvoke() handle(@Event() _e: Buffer) {}
    }
    const { services, problems } = servicesOf(Forms, container);
    expect(problems).to.deep.equal([]);
    expect(services[0]).to.deep.equal({
      parameter: 0,
      token: 'Symbol(Plugin)',
      provider: 'value',
      registered: true,
      multiple: true,
    });
    expect(services[1]).to.deep.equal({
      parameter: 1,
      token: 'Symbol(Missing)',
      provider: 'unregistered',
      registered: false,
      optional: true,
    });
    expect(services[2]).to.deep.include({ token: 'Later', provider: 'class', className: 'Later', delayed: true });
    expect(services[3]).to.deep.include({ token: 'Symbol(Name)', provider: 'value' });
    expect(services[3]!.transform).to.deep.include({ token: 'Upper', provider: 'class' });
  });

  it("a handler's @Inject() service, per invocation, and one registered only by @OnInitialize (deferred)", () => {
    const LATE = Symbol('Late');
    @scoped(Lifecycle.ContainerScoped)
    class Audit {
      constructor(@inject(FC_LOGGER) readonly logger: unknown) {}
    }
    @FcFunction({ name: 'handler-services' })
    class HandlerServices {
      @OnInvoke() handle(@Event() _e: Buffer, @Inject(Audit) _audit: Audit, @Inject(LATE) _late: unknown) {}
    }
    const { fn, problems } = servicesOf(HandlerServices);
    expect(problems).to.deep.equal([]);
    const [, audit, late] = fn.hooks[0]!.parameters;
    expect(audit).to.deep.equal({
      index: 1,
      kind: 'inject',
      service: {
        token: 'Audit',
        provider: 'class',
        registered: true,
        className: 'Audit',
        lifecycle: 'container-scoped',
        dependencies: [{ parameter: 0, token: 'FC_LOGGER', provider: 'per-invocation', registered: true }],
      },
    });
    expect(late).to.deep.equal({
      index: 2,
      kind: 'inject',
      service: { token: 'Symbol(Late)', provider: 'unregistered', registered: false, deferred: true },
    });
  });

  it('a class met twice is described once; every problem of the graph is listed', () => {
    const A = Symbol('A');
    const B = Symbol('B');
    @injectable()
    class Shared {
      constructor(@inject(A) readonly a: unknown) {}
    }
    @injectable()
    class Left {
      constructor(readonly shared: Shared) {}
    }
    class NotInjectable {
      constructor(readonly x: number) {}
    }
    @FcFunction({ name: 'graph' })
    class Graph {
      constructor(
        readonly left: Left,
        readonly shared: Shared,
        @inject(B) readonly b: unknown,
        @inject(NotInjectable) readonly n: NotInjectable,
      ) {}
      @OnInvoke() handle(@Event() _e: Buffer) {}
    }
    const { services, problems } = servicesOf(Graph);
    expect(problems).to.deep.equal(['UNREGISTERED_DEPENDENCY', 'UNREGISTERED_DEPENDENCY', 'NOT_INJECTABLE']);
    const shared = services[0]!.dependencies![0]!;
    expect(shared.dependencies![0]).to.deep.include({ token: 'Symbol(A)', problem: 'UNREGISTERED_DEPENDENCY' });
    expect(services[1]).to.deep.include({ token: 'Shared', repeated: true });
    expect(services[1]!.dependencies).to.equal(undefined);
    expect(services[2]).to.deep.include({ token: 'Symbol(B)', problem: 'UNREGISTERED_DEPENDENCY' });
    expect(services[3]).to.deep.include({ token: 'NotInjectable', problem: 'NOT_INJECTABLE' });
  });

  it('a constructor cycle, and a parameter without type metadata', () => {
    @injectable()
    class Chicken {
      constructor(@inject('egg') readonly egg: unknown) {}
    }
    @injectable()
    class Egg {
      constructor(@inject('chicken') readonly chicken: unknown) {}
    }
    const container = globalContainer.createChildContainer();
    container.register('chicken', { useClass: Chicken });
    container.register('egg', { useClass: Egg });
    class Untyped {
      constructor(readonly value: unknown) {}
    }
    injectable()(Untyped as never);
    @FcFunction({ name: 'cycle' })
    class Cycle {
      constructor(
        readonly chicken: Chicken,
        readonly untyped: Untyped,
      ) {}
      @OnInvoke() handle(@Event() _e: Buffer) {}
    }
    Reflect.deleteMetadata('design:paramtypes', Untyped);
    const { services, problems } = servicesOf(Cycle, container);
    expect(problems).to.deep.equal(['DEPENDENCY_CYCLE', 'MISSING_TYPE_METADATA']);
    expect(services[1]!.dependencies).to.deep.equal([
      { parameter: 0, token: 'unknown', provider: 'unknown', registered: false, problem: 'MISSING_TYPE_METADATA' },
    ]);
    const walk = (node: DependencyNode): DependencyNode[] => [
      node,
      ...(node.dependencies ?? []).flatMap(walk),
      ...(node.alias ? walk(node.alias) : []),
    ];
    expect(services.flatMap(walk).some((n) => n.problem === 'DEPENDENCY_CYCLE')).to.equal(true);
    // JSON can carry it: the cycle is cut where it closes.
    expect(() => JSON.stringify(services)).to.not.throw();
  });

  it('{ useValue: undefined }, which tsyringe keeps as a class, is named for what it is, at boot', () => {
    const DB_URL = Symbol('DbUrl');
    const container = globalContainer.createChildContainer();
    container.register(DB_URL, { useValue: undefined });
    @FcFunction({ name: 'unset' })
    class Unset {
      constructor(@inject(DB_URL) readonly url: string) {}
      @OnInvoke() handle(@Event() _e: Buffer) {}
    }
    const { services, problems } = servicesOf(Unset, container);
    expect(problems).to.deep.equal(['NOT_INJECTABLE']);
    expect(services[0]).to.deep.include({ token: 'Symbol(DbUrl)', provider: 'unknown', problem: 'NOT_INJECTABLE' });
    let thrown: unknown;
    try {
      createKernel({ functions: [Unset], container, env: {}, logSink: () => undefined });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(ConfigurationError);
    expect((thrown as Error).message).to.equal(
      'Unset constructor parameter 0 needs Symbol(DbUrl), whose registration tsyringe holds as ' +
        '{ useClass: { useValue: undefined } }, which is no class: a { useValue } registered while its value was ' +
        'undefined (an unset environment variable?) is kept so; register a defined value, or a { useFactory }',
    );
  });
});
