import {
  isClassProvider,
  isFactoryProvider,
  isTokenProvider,
  isValueProvider,
  Lifecycle,
  type DependencyContainer,
  type InjectionToken,
} from 'tsyringe';
import { ConfigurationError, type ConfigurationErrorCode } from '../errors/ConfigurationError';
import type { Constructor } from '../metadata/records';
import {
  constructorDependencies,
  delayedTarget,
  lifecycleOf,
  providerOf,
  registrationOf,
  type Registration,
} from './tsyringeInternals';

/** A parameter that receives a token: a constructor's (no `method`) or a handler's `@Inject()`. */
export interface InjectionSite {
  className: string;
  method?: string;
  parameter: number;
}

/** How a token is produced, as the graph found it. */
export type DependencyProvider =
  /** A class tsyringe constructs: registered with `useClass`, or the token itself. */
  | 'class'
  | 'value'
  | 'factory'
  /** Registered with `useToken`: `alias` is what it forwards to. */
  | 'token'
  /** Registered by the kernel in each invocation's container (`FC_CONTEXT`, `FC_LOGGER`, ...). */
  | 'per-invocation'
  /** Nothing provides it: a problem, or `optional`, or `deferred` to the end of initialization. */
  | 'unregistered'
  /** A constructor parameter tsyringe knows nothing about (no type metadata, a circular import). */
  | 'unknown';

/** When a constructed instance is made again, in tsyringe's terms. */
export type DependencyLifecycle = 'transient' | 'singleton' | 'resolution-scoped' | 'container-scoped';

/**
 * One token of a function's dependency graph, as `DependencyGraph` resolves it at boot: what
 * provides it and, for a constructed class, what each constructor parameter receives.
 */
export interface DependencyNode {
  /** In a class's `dependencies`: the constructor parameter's position. */
  parameter?: number;
  /** The token as messages name it: a class's name, a symbol's description, a string. */
  token: string;
  provider: DependencyProvider;
  /** Whether a registration in the kernel's container or its parents provides it. */
  registered: boolean;
  /** The class constructed, for a `class` provider. */
  className?: string;
  /** For a `class` or `factory` provider. */
  lifecycle?: DependencyLifecycle;
  /** `@injectAll`: every registration of the token. */
  multiple?: true;
  /** `{ isOptional: true }`: injected as `undefined` when nothing provides it. */
  optional?: true;
  /** `@inject(delay(() => Class))`: resolved when first used. */
  delayed?: true;
  /** A handler's token not registered yet: checked again once initialization has succeeded. */
  deferred?: true;
  /** What a `token` provider forwards to. */
  alias?: DependencyNode;
  /** `@injectWithTransform`: the class whose `transform` receives the value. */
  transform?: DependencyNode;
  /** What each constructor parameter receives, by position, where the class is first met. */
  dependencies?: DependencyNode[];
  /** The class's dependencies are listed where it is first met in this graph. */
  repeated?: true;
  /** The problem found here, when the graph collects problems rather than throwing them. */
  problem?: ConfigurationErrorCode;
}

/**
 * When a service is resolved: once, from the root container (a function class, what its
 * constructor needs, a singleton), or per invocation, from the invocation's child container.
 */
type Scope = 'instance' | 'invocation';

export interface DependencyGraphOptions {
  /** The kernel's root container; its ancestors' registrations count too. */
  root: DependencyContainer;
  /** Tokens each invocation's container registers, with the name a message gives them. */
  perInvocation: ReadonlyMap<unknown, string>;
  /**
   * Called for a string or symbol token nobody registered, needed by a handler's graph (which is
   * resolved only at the first invocation). Default: the `UNREGISTERED_DEPENDENCY` error.
   */
  onUnregisteredForHandler?: (token: InjectionToken<unknown>, origin: InjectionSite) => void;
  /** The check runs once initialization has ended, so a message does not say "before creation". */
  afterInitialization?: boolean;
  /**
   * Receives each problem instead of it being thrown, and the walk goes on: to list every
   * problem of a graph at once. The node where it was found carries its code.
   */
  onProblem?: (problem: ConfigurationError) => void;
}

const LIFECYCLES: Record<Lifecycle, DependencyLifecycle> = {
  [Lifecycle.Transient]: 'transient',
  [Lifecycle.Singleton]: 'singleton',
  [Lifecycle.ResolutionScoped]: 'resolution-scoped',
  [Lifecycle.ContainerScoped]: 'container-scoped',
};

/** Types `design:paramtypes` holds for a primitive, an interface, a type alias or a union. */
const BUILT_IN_TYPES: ReadonlySet<unknown> = new Set([
  Object,
  String,
  Number,
  Boolean,
  Symbol,
  BigInt,
  Array,
  Function,
  Promise,
]);

/**
 * Proves at boot what tsyringe would find out at the first event: that every token a function
 * needs is registered or a class it can construct, recursively through constructor parameters.
 * Each check throws the first problem as a `ConfigurationError` that names the class, the
 * parameter position and the token (or hands each to `onProblem`), and answers what it resolved.
 */
export class DependencyGraph {
  private readonly checked: Record<Scope, Set<unknown>> = { instance: new Set(), invocation: new Set() };

  constructor(private readonly options: DependencyGraphOptions) {}

  /** That `root.resolve(target)` can build the function class `target`. */
  checkFunction(target: Constructor): DependencyNode {
    return this.token(target, false, 'instance', { className: target.name, parameter: 0 }, [], undefined);
  }

  /** That an invocation's container can resolve `token` for the handler parameter `site`. */
  checkHandlerToken(token: InjectionToken<unknown>, site: InjectionSite): DependencyNode {
    return this.token(token, false, 'invocation', site, [], site);
  }

  /**
   * `site` needs `token`; `path` is the chain of classes being constructed down to it, `origin`
   * the handler parameter it started from (undefined under a function's constructor).
   */
  private token(
    token: InjectionToken<unknown>,
    optional: boolean,
    scope: Scope,
    site: InjectionSite,
    path: Constructor[],
    origin: InjectionSite | undefined,
  ): DependencyNode {
    const { perInvocation, root } = this.options;
    const name = describeToken(token);
    if (scope === 'invocation' && perInvocation.has(token)) {
      return { token: perInvocation.get(token)!, provider: 'per-invocation', registered: true };
    }
    const delayed = delayedTarget(token);
    // A delay() is resolved when first used, so it breaks a constructor cycle.
    if (delayed) return { ...this.construct(delayed, scope, site, [], origin), delayed: true };
    const registration = registrationOf(root, token);
    if (registration) return named(name, this.registration(token, registration, scope, site, path, origin));
    if (perInvocation.has(token)) {
      const problem = this.fail(this.contextOutsideInvocation(perInvocation.get(token)!, site, path, origin));
      return { token: perInvocation.get(token)!, provider: 'per-invocation', registered: false, problem };
    }
    if (typeof token === 'function') return this.construct(token, scope, site, path, origin);
    const unregistered = { token: name, provider: 'unregistered', registered: false } as const;
    if (optional) return { ...unregistered, optional: true };
    if (origin && this.options.onUnregisteredForHandler) {
      this.options.onUnregisteredForHandler(token, origin);
      return { ...unregistered, deferred: true };
    }
    const problem = this.fail(
      this.problem(
        'UNREGISTERED_DEPENDENCY',
        site,
        path,
        origin,
        `needs ${describeToken(token)}, which is not registered in the kernel's container or its parents` +
          (this.options.afterInitialization ? ' once initialization has ended' : '') +
          '; register it before the kernel is created' +
          (this.options.afterInitialization ? ' or in @OnInitialize' : '') +
          ' (@FcFunction({ providers: [{ token, useValue | useClass | useFactory }] }), container.register(...), ' +
          "@registry([...]), or the kernel's " +
          '`container` option)',
      ),
    );
    return { ...unregistered, problem };
  }

  private registration(
    token: InjectionToken<unknown>,
    registration: Registration,
    scope: Scope,
    site: InjectionSite,
    path: Constructor[],
    origin: InjectionSite | undefined,
  ): Omit<DependencyNode, 'token'> {
    const lifecycle = lifecycleOf(registration);
    // A singleton is built once, by whichever container resolves it first, and keeps what it got.
    const next: Scope = lifecycle === Lifecycle.Singleton ? 'instance' : scope;
    const provider = providerOf(registration);
    if (isValueProvider(provider)) return { provider: 'value', registered: true };
    if (isFactoryProvider(provider)) return { provider: 'factory', registered: true, lifecycle: LIFECYCLES[lifecycle] };
    if (isTokenProvider(provider)) {
      return {
        provider: 'token',
        registered: true,
        alias: this.token(provider.useToken, false, next, site, path, origin),
      };
    }
    if (isClassProvider(provider) && typeof provider.useClass !== 'function') {
      // tsyringe takes a provider it does not recognise, `{ useValue: undefined }` above all, for
      // a class, and fails at the first resolve with `TypeInfo not known for "undefined"`.
      const problem = this.fail(
        this.problem(
          'NOT_INJECTABLE',
          site,
          path,
          origin,
          `needs ${describeToken(token)}, whose registration tsyringe holds as { useClass: ${describeProvider(provider.useClass)} }, ` +
            'which is no class: a { useValue } registered while its value was undefined (an unset environment variable?) is ' +
            'kept so; register a defined value, or a { useFactory }',
        ),
      );
      return { provider: 'unknown', registered: true, problem };
    }
    const constructed = isClassProvider(provider)
      ? this.construct(provider.useClass, next, site, path, origin)
      : { provider: 'unknown' as const, registered: true };
    return { ...constructed, registered: true, lifecycle: LIFECYCLES[lifecycle] };
  }

  private construct(
    token: InjectionToken<unknown>,
    scope: Scope,
    site: InjectionSite,
    path: Constructor[],
    origin: InjectionSite | undefined,
  ): DependencyNode {
    const delayed = delayedTarget(token);
    const ctor = (delayed ?? token) as Constructor;
    if (delayed) path = [];
    const node: DependencyNode = {
      token: describeToken(ctor),
      provider: 'class',
      registered: false,
      className: ctor.name,
      lifecycle: 'transient',
    };
    if (path.includes(ctor)) {
      const cycle = [...path.slice(path.indexOf(ctor)), ctor].map((c) => c.name).join(' → ');
      const problem = this.fail(
        this.problem(
          'DEPENDENCY_CYCLE',
          site,
          path,
          origin,
          `closes the constructor cycle ${cycle}, which tsyringe would follow until the stack overflows; ` +
            'break it with @inject(delay(() => Class)) on one of its parameters',
        ),
      );
      return { ...node, problem };
    }
    if (this.checked[scope].has(ctor)) return { ...node, repeated: true };
    if (BUILT_IN_TYPES.has(ctor)) {
      const problem = this.fail(
        this.problem(
          'UNRESOLVABLE_PARAMETER_TYPE',
          site,
          path,
          origin,
          `is of type ${ctor.name} at run time (a primitive, an interface, a type alias or a union), which ` +
            'tsyringe cannot resolve by type; inject it by token with @inject(token) and register the token',
        ),
      );
      return { ...node, problem };
    }
    this.checked[scope].add(ctor);
    const dependencies = constructorDependencies(ctor);
    const here = [...path, ctor];
    if (!dependencies || dependencies.length === 0) {
      if (ctor.length === 0) return node;
      if (!dependencies) {
        const problem = this.fail(
          this.problem(
            'NOT_INJECTABLE',
            site,
            path,
            origin,
            `needs ${ctor.name}, whose constructor takes ${ctor.length} parameter(s), but ${ctor.name} is not ` +
              '@injectable() (nor @singleton() or @scoped()), so tsyringe cannot construct it; decorate it, or register a provider for it',
          ),
        );
        return { ...node, problem };
      }
    }
    const nodes: DependencyNode[] = [];
    for (let index = 0; index < Math.max(dependencies?.length ?? 0, ctor.length); index++) {
      const at: InjectionSite = { className: ctor.name, parameter: index };
      const dependency = dependencies?.[index];
      if (dependency) {
        const transform =
          dependency.transform === undefined
            ? undefined
            : this.token(dependency.transform, false, scope, at, here, origin);
        nodes.push({
          parameter: index,
          ...this.token(dependency.token, dependency.optional, scope, at, here, origin),
          ...(dependency.multiple ? { multiple: true } : {}),
          ...(dependency.optional ? { optional: true } : {}),
          ...(transform ? { transform } : {}),
        });
        continue;
      }
      // Past `length` only parameters with defaults: tsyringe passes undefined and the default applies.
      if (index >= ctor.length) continue;
      const unknown = { parameter: index, token: 'unknown', provider: 'unknown', registered: false } as const;
      if (Reflect.getMetadata('design:paramtypes', ctor) === undefined) {
        const problem = this.fail(
          this.problem(
            'MISSING_TYPE_METADATA',
            at,
            here,
            origin,
            'has no type at run time and no @inject(token), so tsyringe would not know what to inject. The code was ' +
              'compiled without decorator metadata (esbuild, tsx and swc emit none): compile with tsc and ' +
              '"experimentalDecorators" plus "emitDecoratorMetadata", or give every constructor parameter @inject(Token)',
          ),
        );
        nodes.push({ ...unknown, problem });
        continue;
      }
      const problem = this.fail(
        this.problem(
          'UNRESOLVABLE_PARAMETER_TYPE',
          at,
          here,
          origin,
          `had no type yet when ${ctor.name} was declared (a circular import: the type's module had not finished ` +
            'loading); inject it with @inject(delay(() => Type))',
        ),
      );
      nodes.push({ ...unknown, problem });
    }
    return { ...node, dependencies: nodes };
  }

  /** Throws `problem`, or hands it to `onProblem` and answers its code for the node. */
  private fail(problem: ConfigurationError): ConfigurationErrorCode {
    if (!this.options.onProblem) throw problem;
    this.options.onProblem(problem);
    return problem.code;
  }

  private contextOutsideInvocation(
    name: string,
    site: InjectionSite,
    path: Constructor[],
    origin: InjectionSite | undefined,
  ): ConfigurationError {
    return this.problem(
      'CONTEXT_OUTSIDE_INVOCATION',
      site,
      path,
      origin,
      `injects ${name}, which exists per invocation, but ${site.className} is created once for the instance ` +
        "(function classes, what their constructors need, and singletons come from the kernel's root container); " +
        `take it in a handler (@Ctx(), or @Inject(${name})), or in a Lifecycle.ContainerScoped service that a ` +
        'handler receives with @Inject()',
    );
  }

  private problem(
    code: ConfigurationErrorCode,
    site: InjectionSite,
    path: Constructor[],
    origin: InjectionSite | undefined,
    text: string,
  ): ConfigurationError {
    const chain = [...(origin ? [describeSite(origin)] : []), ...path.map((c) => c.name)];
    const within = chain.length > 1 ? ` (in ${chain.join(' → ')})` : '';
    const where =
      site.method === undefined
        ? { className: site.className, parameter: site.parameter }
        : { className: site.className, method: site.method, parameter: site.parameter };
    return new ConfigurationError(code, `${describeSite(site)}${within} ${text}`, where);
  }
}

/** `node` as the node of `token`, whatever class it constructs; the keys in one order for every node. */
function named(token: string, node: Omit<DependencyNode, 'token'> & { token?: string }): DependencyNode {
  const { token: _constructed, provider, registered, ...rest } = node;
  return { token, provider, registered, ...rest };
}

function describeSite(site: InjectionSite): string {
  return site.method === undefined
    ? `${site.className} constructor parameter ${site.parameter}`
    : `${site.className}.${site.method} parameter ${site.parameter}`;
}

/** What tsyringe took for a class, without its values (one may be a credential): `{ useValue: undefined }`. */
function describeProvider(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value;
  const keys = Object.keys(value).map((key) => {
    const item = (value as Record<string, unknown>)[key];
    return item === undefined || item === null ? `${key}: ${String(item)}` : `${key}: …`;
  });
  return `{ ${keys.join(', ')} }`;
}

/** A token as a message names it: a class by name, a symbol or string as written. */
export function describeToken(token: unknown): string {
  if (typeof token === 'function') return token.name || 'an anonymous class';
  if (typeof token === 'symbol') return token.toString();
  if (typeof token === 'string') return JSON.stringify(token);
  return String(token);
}
