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
  _registry: {
    entries(): IterableIterator<[unknown, Registration[]]>;
    setAll(token: unknown, registrations: Registration[]): void;
  };
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
  const seen = new Set<unknown>();
  for (let c: ContainerInternals | undefined = rootInternals; c; c = c.parent) {
    for (const [token, registrations] of c._registry.entries()) {
      // tsyringe leaves empty lists behind for tokens it only looked up.
      if (registrations.length === 0 || seen.has(token)) continue;
      seen.add(token);
      if (c === rootInternals || !registrations.some((r) => r.options.lifecycle === Lifecycle.ContainerScoped))
        continue;
      childRegistry.setAll(
        token,
        registrations.map((r) =>
          r.options.lifecycle === Lifecycle.ContainerScoped ? { provider: r.provider, options: r.options } : r,
        ),
      );
    }
  }
  return child;
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
