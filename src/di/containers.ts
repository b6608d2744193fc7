import { container as globalContainer, Lifecycle, type DependencyContainer } from 'tsyringe';

/*
 * tsyringe keeps a singleton's instance on its registration but adds a disposable instance to the
 * `disposables` of whichever container constructed it. A singleton first resolved inside an
 * invocation would therefore be disposed with that invocation's container. These views of
 * tsyringe's internals (pinned version) let the kernel hand such instances back to the root.
 */
interface Registration {
  options: { lifecycle: Lifecycle };
  instance?: unknown;
}
interface ContainerInternals {
  parent?: ContainerInternals;
  disposed: boolean;
  disposables: Set<{ dispose(): unknown }>;
  _registry: { entries(): IterableIterator<[unknown, Registration[]]> };
}

/** The kernel's root container: a child of `parent` (tsyringe's global container by default). */
export function createRootContainer(parent: DependencyContainer = globalContainer): DependencyContainer {
  return parent.createChildContainer();
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
