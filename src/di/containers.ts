import { container as globalContainer, Lifecycle, type DependencyContainer } from 'tsyringe';

/*
 * tsyringe keeps a singleton's instance on its registration but adds a disposable instance to the
 * `disposables` of whichever container constructed it. A singleton first resolved inside an
 * invocation would therefore be disposed with that invocation's container. These views of
 * tsyringe's internals (pinned version) let the kernel hand such instances back to the root.
 */
interface Registration {
  provider: unknown;
  options: { lifecycle: Lifecycle };
  instance?: unknown;
}
interface ContainerInternals {
  parent?: ContainerInternals;
  disposed: boolean;
  disposables: Set<{ dispose(): unknown }>;
  _registry: RegistryInternals;
}
interface RegistryInternals {
  entries(): IterableIterator<[unknown, Registration[]]>;
  set(token: unknown, registration: Registration): void;
  setAll(token: unknown, registrations: Registration[]): void;
  clear(): void;
}

/** The kernel's root container: a child of `parent` (tsyringe's global container by default). */
export function createRootContainer(parent: DependencyContainer = globalContainer): DependencyContainer {
  return parent.createChildContainer();
}

/**
 * An invocation's child container. tsyringe gives a child its own instance of a `ContainerScoped`
 * registration only if the registration is in the direct parent when the child is created; one
 * further up (registered in the global container after the kernel was created, or in an ancestor
 * of the `container` option created before the service was declared) would be cached on the
 * ancestor's registration and shared by every invocation. Those are copied into the child the way
 * tsyringe copies its parent's; the nearest registration of a token still wins.
 */
export function createInvocationContainer(root: DependencyContainer): DependencyContainer {
  const child = root.createChildContainer();
  const rootInternals = root as unknown as ContainerInternals;
  if (!rootInternals.parent) return child;
  const childRegistry = (child as unknown as ContainerInternals)._registry;
  for (const [token, registrations] of inheritedContainerScoped(rootInternals)) {
    childRegistry.setAll(
      token,
      registrations.map((r) =>
        r.options.lifecycle === Lifecycle.ContainerScoped ? { provider: r.provider, options: r.options } : r,
      ),
    );
  }
  return child;
}

/*
 * The global container's registry holds an entry for every `@singleton`, `@registry` and
 * `register` in the process, so walking the ancestors on each invocation would cost in proportion
 * to the whole application. Every change to a registry's lists goes through `set` (register),
 * `setAll` (clearInstances) or `clear` (reset); those of a root and its ancestors are wrapped to
 * bump a version, and the walk is redone only after one. Entries tsyringe adds directly for tokens
 * it only looked up are empty and would be skipped anyway.
 */
let registryVersion = 0;
const watchedRegistries = new WeakSet<RegistryInternals>();
const inheritedByRoot = new WeakMap<ContainerInternals, { version: number; entries: [unknown, Registration[]][] }>();

function inheritedContainerScoped(root: ContainerInternals): [unknown, Registration[]][] {
  const cached = inheritedByRoot.get(root);
  if (cached && cached.version === registryVersion) return cached.entries;
  // A container's parent never changes, so the chain needs watching only once.
  if (!cached) for (let c: ContainerInternals | undefined = root; c; c = c.parent) watchRegistry(c._registry);
  const version = registryVersion;
  const entries: [unknown, Registration[]][] = [];
  const seen = new Set<unknown>();
  for (let c: ContainerInternals | undefined = root; c; c = c.parent) {
    for (const [token, registrations] of c._registry.entries()) {
      if (registrations.length === 0 || seen.has(token)) continue;
      seen.add(token);
      if (c === root || !registrations.some((r) => r.options.lifecycle === Lifecycle.ContainerScoped)) continue;
      entries.push([token, registrations]);
    }
  }
  inheritedByRoot.set(root, { version, entries });
  return entries;
}

function watchRegistry(registry: RegistryInternals): void {
  if (watchedRegistries.has(registry)) return;
  watchedRegistries.add(registry);
  const { set, setAll, clear } = registry;
  registry.set = function (this: RegistryInternals, token, registration) {
    registryVersion++;
    set.call(this, token, registration);
  };
  registry.setAll = function (this: RegistryInternals, token, registrations) {
    registryVersion++;
    setAll.call(this, token, registrations);
  };
  registry.clear = function (this: RegistryInternals) {
    registryVersion++;
    clear.call(this);
  };
}

/**
 * Disposes an invocation's child container: its container-scoped and transient disposables are
 * disposed, singletons it happened to construct are moved to `root` and live on. Answers a promise
 * only when something is disposed asynchronously.
 */
export function disposeInvocationContainer(
  child: DependencyContainer,
  root: DependencyContainer,
): Promise<void> | void {
  const internals = child as unknown as ContainerInternals;
  if (internals.disposables.size === 0) {
    // The usual case. tsyringe's dispose() would only set this flag, through an async function
    // and Promise.all([]) on every invocation.
    internals.disposed = true;
    return;
  }
  const singletons = singletonInstances(internals);
  const rootDisposables = (root as unknown as ContainerInternals).disposables;
  for (const instance of internals.disposables) {
    if (singletons.has(instance)) {
      internals.disposables.delete(instance);
      rootDisposables.add(instance);
    }
  }
  return child.dispose();
}

function singletonInstances(start: ContainerInternals): Set<unknown> {
  const found = new Set<unknown>();
  for (let c: ContainerInternals | undefined = start; c; c = c.parent) {
    for (const [, registrations] of c._registry.entries()) {
      for (const r of registrations) {
        if (r.options.lifecycle === Lifecycle.Singleton && r.instance !== undefined) found.add(r.instance);
      }
    }
  }
  return found;
}
