import { container as globalContainer, Lifecycle, type DependencyContainer, type InjectionToken } from 'tsyringe';

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
 * An invocation's child container of `root`. tsyringe gives a child its own copy of the
 * container-scoped registrations of its direct parent only, and the root copied its parent's
 * when the kernel was created: a service registered container-scoped above the root after that
 * (in `@OnInitialize`, or by a module loaded later) would be resolved from the ancestor's
 * registration and shared by every invocation. Such registrations are copied here too.
 */
export function createInvocationContainer(root: DependencyContainer): DependencyContainer {
  const child = root.createChildContainer();
  const childRegistry = (child as unknown as ContainerInternals)._registry;
  // Containers whose registrations take precedence over those of the ancestor being scanned.
  const nearer: DependencyContainer[] = [child, root];
  for (let above = (root as unknown as ContainerInternals).parent; above; above = above.parent) {
    for (const [token, registrations] of above._registry.entries()) {
      if (!registrations.some(isContainerScoped)) continue;
      if (nearer.some((c) => c.isRegistered(token as InjectionToken))) continue;
      childRegistry.setAll(
        token,
        registrations.map((r) => (isContainerScoped(r) ? { provider: r.provider, options: r.options } : r)),
      );
    }
    nearer.push(above as unknown as DependencyContainer);
  }
  return child;
}

function isContainerScoped(registration: Registration): boolean {
  return registration.options.lifecycle === Lifecycle.ContainerScoped;
}

/**
 * Disposes an invocation's child container: its container-scoped and transient disposables are
 * disposed, singletons it happened to construct are moved to `root` and live on.
 */
export async function disposeInvocationContainer(child: DependencyContainer, root: DependencyContainer): Promise<void> {
  const internals = child as unknown as ContainerInternals;
  if (internals.disposables.size > 0) {
    const singletons = singletonInstances(internals);
    const rootDisposables = (root as unknown as ContainerInternals).disposables;
    for (const instance of internals.disposables) {
      if (singletons.has(instance)) {
        internals.disposables.delete(instance);
        rootDisposables.add(instance);
      }
    }
  }
  await child.dispose();
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
