/*
 * Every use of tsyringe's private state, in one place. tsyringe's public API cannot say where a
 * registration lives, which container constructed a disposable, or what a constructor's
 * parameters will be injected with; the kernel needs all three. `checkTsyringeInternals` proves
 * each shape relied on here when a kernel is created, so a tsyringe release that renamed one
 * fails at boot with its version named, instead of silently sharing per-invocation services.
 */
import {
  container as globalContainer,
  delay,
  inject,
  injectable,
  injectAll,
  injectWithTransform,
  Lifecycle,
  type DependencyContainer,
  type Disposable,
  type InjectionToken,
  type Provider,
} from 'tsyringe';
import { incompatibleDependency, requireInternal } from '../dependencies/installedPackage';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { Constructor } from '../metadata/records';

/** The views of tsyringe's internals this file relies on (checked by `checkTsyringeInternals`). */
interface RegistrationInternals {
  provider: Provider<unknown>;
  options: { lifecycle: Lifecycle };
  instance?: unknown;
}
interface RegistryInternals {
  entries(): IterableIterator<[InjectionToken<unknown>, RegistrationInternals[]]>;
  get(token: InjectionToken<unknown>): RegistrationInternals | null;
  getAll(token: InjectionToken<unknown>): RegistrationInternals[];
  set(token: InjectionToken<unknown>, registration: RegistrationInternals): void;
  setAll(token: InjectionToken<unknown>, registrations: RegistrationInternals[]): void;
  has(token: InjectionToken<unknown>): boolean;
  clear(): void;
}
interface ContainerInternals {
  parent?: DependencyContainer;
  disposed: boolean;
  disposables: Set<Disposable>;
  _registry: RegistryInternals;
}
/** What `@inject`, `@injectAll` and their `WithTransform` forms record for a parameter. */
interface DescriptorInternals {
  token: InjectionToken<unknown>;
  multiple?: boolean;
  isOptional?: boolean;
  transform?: InjectionToken<unknown>;
}

const REGISTRY_METHODS = ['entries', 'get', 'getAll', 'set', 'setAll', 'has', 'clear'] as const;

declare const opaque: unique symbol;
/** One registration of a token in one container; read it with the functions below. */
export type Registration = { readonly [opaque]: 'tsyringe registration' };

/** What a constructor parameter is resolved with. */
export interface Dependency {
  token: InjectionToken<unknown>;
  /** `@injectAll`: every registration of the token. */
  multiple: boolean;
  /** `{ isOptional: true }`: an unregistered token is injected as `undefined` (or `[]`). */
  optional: boolean;
  /** `@injectWithTransform`: the class whose `transform` receives the resolved value. */
  transform?: InjectionToken<unknown>;
}

function internals(container: DependencyContainer): ContainerInternals {
  return container as unknown as ContainerInternals;
}

function asInternals(registration: Registration): RegistrationInternals {
  return registration as unknown as RegistrationInternals;
}

/** The container `container` was created from; undefined for tsyringe's global container. */
export function parentOf(container: DependencyContainer): DependencyContainer | undefined {
  return internals(container).parent;
}

/** The tokens registered in `container` itself (not its ancestors), each with its registrations. */
export function ownRegistrations(
  container: DependencyContainer,
): IterableIterator<[InjectionToken<unknown>, Registration[]]> {
  return internals(container)._registry.entries() as unknown as IterableIterator<
    [InjectionToken<unknown>, Registration[]]
  >;
}

/**
 * Gives `child` the registrations of `token`, copied the way tsyringe copies its direct parent's
 * into a new child: one of the lifecycles `ownInstances` names (by default `ContainerScoped`)
 * without its instance, so that the child makes its own; the others shared.
 */
export function inheritRegistrations(
  child: DependencyContainer,
  token: InjectionToken<unknown>,
  registrations: Registration[],
  ownInstances: readonly Lifecycle[] = [Lifecycle.ContainerScoped],
): void {
  internals(child)._registry.setAll(
    token,
    registrations
      .map(asInternals)
      .map((r) => (ownInstances.includes(r.options.lifecycle) ? { provider: r.provider, options: r.options } : r)),
  );
}

/**
 * Calls `listener` after every change to `container`'s own registrations: `register` goes through
 * its registry's `set`, `clearInstances` through `setAll`, `reset` through `clear`. (Lookups add
 * empty entries without any of them; those change no registration.)
 */
export function onRegistrationChange(container: DependencyContainer, listener: () => void): void {
  const registry = internals(container)._registry;
  // The originals are called below with the registry as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { set, setAll, clear } = registry;
  registry.set = function (this: RegistryInternals, token, registration) {
    set.call(this, token, registration);
    listener();
  };
  registry.setAll = function (this: RegistryInternals, token, registrations) {
    setAll.call(this, token, registrations);
    listener();
  };
  registry.clear = function (this: RegistryInternals) {
    clear.call(this);
    listener();
  };
}

/** The registration `container.resolve(token)` would use: the last one in the nearest container. */
export function registrationOf(
  container: DependencyContainer,
  token: InjectionToken<unknown>,
): Registration | undefined {
  for (let c: DependencyContainer | undefined = container; c; c = parentOf(c)) {
    if (c.isRegistered(token)) return (internals(c)._registry.get(token) ?? undefined) as Registration | undefined;
  }
  return undefined;
}

export function lifecycleOf(registration: Registration): Lifecycle {
  return asInternals(registration).options.lifecycle;
}

export function providerOf(registration: Registration): Provider<unknown> {
  return asInternals(registration).provider;
}

/** The instance a singleton or container-scoped registration holds, once constructed. */
export function instanceOf(registration: Registration): unknown {
  return asInternals(registration).instance;
}

/** The disposable instances `container` constructed, which its `dispose()` would dispose. */
export function disposablesOf(container: DependencyContainer): Set<Disposable> {
  return internals(container).disposables;
}

/** What `dispose()` does when there is nothing to dispose, without its promise. */
export function markDisposed(container: DependencyContainer): void {
  internals(container).disposed = true;
}

/** `typeInfo`: what `@injectable()` (and the decorators built on it) recorded per class. */
type TypeInfo = Map<Constructor, unknown[]>;
let loadedTypeInfo: TypeInfo | undefined;

function typeInfo(): TypeInfo {
  return (loadedTypeInfo ??= (
    requireInternal('tsyringe', 'dist/cjs/dependency-container', () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal modules have no typed entry point
      require('tsyringe/dist/cjs/dependency-container'),
    ) as { typeInfo: TypeInfo }
  ).typeInfo);
}

/**
 * What each constructor parameter of `ctor` is injected with, as `@injectable()` recorded it
 * (`undefined` at a position tsyringe knows nothing about: it would pass `undefined`). Undefined
 * when `ctor` was never made injectable.
 */
export function constructorDependencies(
  ctor: Constructor,
  types: TypeInfo = typeInfo(),
): (Dependency | undefined)[] | undefined {
  const params = types.get(ctor);
  if (params === undefined) return undefined;
  // A sparse array (an @inject on a later parameter only) has holes that map() would skip.
  return Array.from(params, toDependency);
}

function toDependency(param: unknown): Dependency | undefined {
  if (param === undefined || param === null) return undefined;
  if (typeof param === 'object' && !(param instanceof DelayedConstructor) && 'token' in param) {
    const d = param as DescriptorInternals;
    return { token: d.token, multiple: d.multiple === true, optional: d.isOptional === true, transform: d.transform };
  }
  return { token: param as InjectionToken<unknown>, multiple: false, optional: false };
}

/** tsyringe exports `delay()` but not the class of what it returns. */
const DelayedConstructor = (delay(() => Object) as object).constructor;

/**
 * The class behind `delay(() => Class)`, or undefined for any other token (or a `delay` whose
 * callback cannot answer yet).
 */
export function delayedTarget(token: unknown): Constructor | undefined {
  if (!(token instanceof DelayedConstructor)) return undefined;
  try {
    const target = (token as unknown as { wrap(): unknown }).wrap();
    return typeof target === 'function' ? (target as Constructor) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Proves, on probe containers under `container`, every shape this file relies on; fails with an
 * `INCOMPATIBLE_DEPENDENCY` error naming tsyringe's version otherwise. `types` stands for
 * tsyringe's `typeInfo` (tests pass a stub).
 */
export function checkTsyringeInternals(container: DependencyContainer = globalContainer, types?: unknown): void {
  let problem: string | undefined;
  try {
    problem = containerProblem(container) ?? metadataProblem(types === undefined ? typeInfo() : types);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw incompatibleDependency('tsyringe', `probing its containers failed (${String(error)})`, error);
  }
  if (problem) throw incompatibleDependency('tsyringe', problem);
}

function containerProblem(container: DependencyContainer): string | undefined {
  const probe = container.createChildContainer();
  try {
    const child = probe.createChildContainer();
    if (parentOf(child) !== probe) return 'a child container does not keep its parent as `parent`';
    for (const c of [probe, child]) {
      const registry = internals(c)._registry as unknown as Partial<Record<string, unknown>> | undefined;
      if (!registry || REGISTRY_METHODS.some((m) => typeof registry[m] !== 'function')) {
        return `a container's \`_registry\` lacks one of ${REGISTRY_METHODS.join(', ')}`;
      }
      if (!(internals(c).disposables instanceof Set)) return 'a container keeps no `disposables` Set';
      if (internals(c).disposed !== false) return 'a new container has no `disposed` flag';
    }

    let count = 0;
    onRegistrationChange(probe, () => count++);
    // Read through a call: the listener changes the count where the compiler cannot see it.
    const changes = (): number => count;
    class ProbeService {
      dispose(): void {}
    }
    probe.register(ProbeService, { useClass: ProbeService }, { lifecycle: Lifecycle.Singleton });
    if (changes() !== 1) return "register() does not go through its registry's set()";
    const registration = registrationOf(child, ProbeService);
    const provider = registration && (providerOf(registration) as { useClass?: unknown });
    if (provider?.useClass !== ProbeService || lifecycleOf(registration!) !== Lifecycle.Singleton) {
      return 'a registration does not hold its `provider` and `options.lifecycle`';
    }
    const instance = child.resolve(ProbeService);
    if (instanceOf(registration!) !== instance) return "a singleton's instance is not kept on its registration";
    if (!disposablesOf(child).has(instance)) {
      return 'a disposable is not added to the `disposables` of the container that constructed it';
    }

    const sibling = probe.createChildContainer();
    inheritRegistrations(sibling, ProbeService, [registration!]);
    const own = [...ownRegistrations(sibling)].find(([token]) => token === ProbeService);
    if (own?.[1].length !== 1 || !sibling.isRegistered(ProbeService)) {
      return "registrations set with its registry's setAll() are not the container's own";
    }
    const isolated = probe.createChildContainer();
    inheritRegistrations(isolated, ProbeService, [registration!], [Lifecycle.Singleton]);
    if (isolated.resolve(ProbeService) === instance || instanceOf(registration!) !== instance) {
      return "a singleton registration copied without its instance does not construct the copy's own";
    }

    // clearInstances() rewrites every token's list: the probe also holds the container-scoped
    // registrations it copied from its parent.
    probe.clearInstances();
    const cleared = changes();
    if (cleared < 2) return "clearInstances() does not go through its registry's setAll()";
    probe.reset();
    if (changes() !== cleared + 1) return "reset() does not go through its registry's clear()";

    markDisposed(child);
    try {
      child.resolve(ProbeService);
      return 'setting `disposed` does not make a container refuse to resolve';
    } catch {
      return undefined;
    }
  } finally {
    void probe.dispose();
  }
}

function metadataProblem(types: unknown): string | undefined {
  if (!(types instanceof Map)) return '`typeInfo` of dist/cjs/dependency-container is not a Map';
  const single: InjectionToken<unknown> = Symbol('probe-single');
  const all: InjectionToken<unknown> = Symbol('probe-all');
  const transformed: InjectionToken<unknown> = Symbol('probe-transformed');
  class ProbeTransform {
    transform(value: unknown): unknown {
      return value;
    }
  }
  class ProbeTarget {}
  class ProbeClass {
    constructor(_a: unknown, _b: unknown, _c: unknown, _d: unknown) {}
  }
  inject(single)(ProbeClass, undefined, 0);
  injectAll(all, { isOptional: true })(ProbeClass, undefined, 1);
  injectWithTransform(transformed, ProbeTransform)(ProbeClass, undefined, 2);
  inject(delay(() => ProbeTarget))(ProbeClass, undefined, 3);
  injectable()(ProbeClass);
  const found = constructorDependencies(ProbeClass, types as TypeInfo);
  if (!found) return '@injectable() does not record into `typeInfo` of dist/cjs/dependency-container';
  const [a, b, c, d] = found;
  if (a?.token !== single || a.multiple || a.optional) return "@inject()'s parameter record has another shape";
  if (b?.token !== all || !b.multiple || !b.optional) return "@injectAll()'s parameter record has another shape";
  if (c?.token !== transformed || c.transform !== ProbeTransform) {
    return "@injectWithTransform()'s parameter record has another shape";
  }
  if (delayedTarget(d?.token) !== ProbeTarget) return 'delay() no longer keeps its callback as `wrap`';
  return undefined;
}
