import { container as globalContainer, Lifecycle, type DependencyContainer, type InjectionToken } from 'tsyringe';
import {
  disposablesOf,
  inheritRegistrations,
  instanceOf,
  lifecycleOf,
  markDisposed,
  onRegistrationChange,
  ownRegistrations,
  parentOf,
  type Registration,
} from './tsyringeInternals';

/*
 * tsyringe keeps a singleton's instance on its registration but adds a disposable instance to the
 * disposables of whichever container constructed it. A singleton first resolved inside an
 * invocation would therefore be disposed with that invocation's container. The views of
 * tsyringe's internals (fenced in tsyringeInternals, checked at boot) let the kernel hand such
 * instances back to the root.
 */

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
  if (!parentOf(root)) return child;
  for (const [token, registrations] of inheritedContainerScoped(root))
    inheritRegistrations(child, token, registrations);
  return child;
}

/**
 * Gives `container` its own copy of every singleton registered in its ancestors (but of the tokens
 * in `except`), without an instance: what it and its descendants resolve of them is constructed
 * for it alone, and disposed with it, while the ancestors' registrations keep theirs. Every
 * registration of such a token is copied, so that `@injectAll` still sees them all.
 */
export function isolateSingletons(container: DependencyContainer, except: ReadonlySet<unknown> = new Set()): void {
  const seen = new Set<unknown>(except);
  for (let c = parentOf(container); c; c = parentOf(c)) {
    for (const [token, registrations] of ownRegistrations(c)) {
      if (registrations.length === 0 || seen.has(token)) continue;
      seen.add(token);
      if (!registrations.some((r) => lifecycleOf(r) === Lifecycle.Singleton)) continue;
      inheritRegistrations(container, token, registrations, [Lifecycle.Singleton, Lifecycle.ContainerScoped]);
    }
  }
}

/*
 * The global container's registry holds an entry for every `@singleton`, `@registry` and
 * `register` in the process, so walking the ancestors on each invocation would cost in proportion
 * to the whole application. Every change to the registrations of a root and its ancestors bumps a
 * version, and the walk is redone only after one. Entries tsyringe adds for tokens it only looked
 * up are empty and are skipped.
 */
let registryVersion = 0;
const watchedContainers = new WeakSet<DependencyContainer>();
const inheritedByRoot = new WeakMap<
  DependencyContainer,
  { version: number; entries: [InjectionToken<unknown>, Registration[]][] }
>();

function inheritedContainerScoped(root: DependencyContainer): [InjectionToken<unknown>, Registration[]][] {
  const cached = inheritedByRoot.get(root);
  if (cached && cached.version === registryVersion) return cached.entries;
  // A container's parent never changes, so the chain needs watching only once.
  if (!cached) for (let c: DependencyContainer | undefined = root; c; c = parentOf(c)) watch(c);
  const version = registryVersion;
  const entries: [InjectionToken<unknown>, Registration[]][] = [];
  const seen = new Set<unknown>();
  for (let c: DependencyContainer | undefined = root; c; c = parentOf(c)) {
    for (const [token, registrations] of ownRegistrations(c)) {
      if (registrations.length === 0 || seen.has(token)) continue;
      seen.add(token);
      if (c === root || !registrations.some((r) => lifecycleOf(r) === Lifecycle.ContainerScoped)) continue;
      entries.push([token, registrations]);
    }
  }
  inheritedByRoot.set(root, { version, entries });
  return entries;
}

function watch(container: DependencyContainer): void {
  if (watchedContainers.has(container)) return;
  watchedContainers.add(container);
  onRegistrationChange(container, () => registryVersion++);
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
  const disposables = disposablesOf(child);
  if (disposables.size === 0) {
    // The usual case. tsyringe's dispose() would only set its disposed flag, through an async
    // function and Promise.all([]) on every invocation.
    markDisposed(child);
    return;
  }
  const singletons = singletonInstances(child);
  const rootDisposables = disposablesOf(root);
  for (const instance of disposables) {
    if (singletons.has(instance)) {
      disposables.delete(instance);
      rootDisposables.add(instance);
    }
  }
  return child.dispose();
}

function singletonInstances(start: DependencyContainer): Set<unknown> {
  const found = new Set<unknown>();
  for (let c: DependencyContainer | undefined = start; c; c = parentOf(c)) {
    for (const [, registrations] of ownRegistrations(c)) {
      for (const r of registrations) {
        if (lifecycleOf(r) === Lifecycle.Singleton && instanceOf(r) !== undefined) found.add(instanceOf(r));
      }
    }
  }
  return found;
}
