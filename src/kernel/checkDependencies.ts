import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { FcContext } from '../context/FcContext';
import { DependencyGraph, type DependencyNode, type InjectionSite } from '../di/dependencyGraph';
import { findSplitTransients, type GraphRoot } from '../di/splitTransients';
import type { ConfigurationError } from '../errors/ConfigurationError';
import { FC_CONTEXT, FC_LOGGER } from '../di/tokens';
import { FcLogger } from '../logging/FcLogger';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';

/** What the kernel registers in each invocation's container, and nowhere else. */
const PER_INVOCATION: ReadonlyMap<unknown, string> = new Map<unknown, string>([
  [FC_CONTEXT, 'FC_CONTEXT'],
  [FcContext, 'FcContext'],
  [FC_LOGGER, 'FC_LOGGER'],
  [FcLogger, 'FcLogger'],
]);

/**
 * Checks, when the kernel is created, that `root` can build the function class `target` (through
 * every constructor below it) and every service its hooks' `@Inject()` parameters ask for; throws
 * the first problem as a `ConfigurationError` naming the class, parameter and token.
 *
 * The function is built when it initializes, before `@OnInitialize` runs, so what its
 * constructor needs must be registered by the time the kernel is created. A handler's
 * `@Inject()` token is first resolved at an invocation, and registering it in `@OnInitialize` is
 * legitimate: one not registered yet is checked again by the function answered here, which the
 * kernel calls when initialization has succeeded (undefined when nothing waits).
 */
export function checkDependencies(
  target: Constructor,
  store: MetadataStore,
  root: DependencyContainer,
): DependencyCheck {
  const walked = walkDependencies(target, store, root, undefined);
  const { sites, waiting } = walked;
  const warnings = splitTransientWarnings(target, store, walked);
  if (waiting.size === 0) return { afterInitialization: undefined, warnings };
  const afterInitialization = () => {
    const strict = new DependencyGraph({ root, perInvocation: PER_INVOCATION, afterInitialization: true });
    for (const site of waiting) strict.checkHandlerToken(sites.get(site)!, site);
  };
  return { afterInitialization, warnings };
}

/** What `checkDependencies` found that is not a boot error. */
export interface DependencyCheck {
  /** Checks the handler tokens still unregistered, once initialization has succeeded; undefined when none. */
  afterInitialization: (() => void) | undefined;
  /** One line per transient class the hooks and something else each get an instance of. */
  warnings: string[];
}

/**
 * A warning for each transient class the function's hooks hold an instance of (injected into its
 * constructor or a lifecycle hook) while another service or a handler gets its own
 * (`findSplitTransients`): the usual cause of "the config I loaded in @OnInitialize is empty".
 */
export function splitTransientWarnings(
  target: Constructor,
  store: MetadataStore,
  dependencies: FunctionDependencies,
): string[] {
  const kinds = new Map(store.hooksOf(target).map((hook) => [hook.method, hook.kind]));
  const roots: GraphRoot[] = [
    ...(dependencies.function.dependencies ?? []).map((node) => ({
      node,
      where: `${target.name} constructor parameter ${node.parameter} (${node.className ?? node.token})`,
      heldByHooks: true,
    })),
    ...dependencies.handlers.map(({ site, node }) => ({
      node,
      where: `${site.className}.${site.method} parameter ${site.parameter} (${node.className ?? node.token})`,
      heldByHooks: kinds.get(site.method!) !== 'invoke',
    })),
  ];
  return findSplitTransients(roots).map(
    ({ className, heldAt, alsoAt }) =>
      `${className} is transient (tsyringe's default), so ${heldAt}, which the hooks use, and ${alsoAt} each get ` +
      `an instance of their own: what a hook sets up in one (a config loaded in @OnInitialize) is not in the other. ` +
      `To share one per instance, declare it @singleton(), or provide it with { options: { lifecycle: Lifecycle.Singleton } }`,
  );
}

/** What a function class needs, as `checkDependencies` resolves it. */
export interface FunctionDependencies {
  /** The function class itself; its `dependencies` are what its constructor receives. */
  function: DependencyNode;
  /** Each `@Inject(token)` parameter of its hooks, with what it resolves to. */
  handlers: { site: InjectionSite; node: DependencyNode }[];
}

/**
 * The checks of `checkDependencies`, in the same order, with every problem handed to `report`
 * rather than the first thrown; answers what each token resolves to. A handler's token nobody has
 * registered yet is `deferred`, not a problem, as for the kernel.
 */
export function describeDependencies(
  target: Constructor,
  store: MetadataStore,
  root: DependencyContainer,
  report: (problem: ConfigurationError) => void,
): FunctionDependencies {
  const { function: node, handlers } = walkDependencies(target, store, root, report);
  return { function: node, handlers };
}

function walkDependencies(
  target: Constructor,
  store: MetadataStore,
  root: DependencyContainer,
  onProblem: ((problem: ConfigurationError) => void) | undefined,
): FunctionDependencies & { sites: Map<InjectionSite, InjectionToken<unknown>>; waiting: Set<InjectionSite> } {
  const sites = handlerSites(target, store);
  const waiting = new Set<InjectionSite>();
  const graph = new DependencyGraph({
    root,
    perInvocation: PER_INVOCATION,
    onUnregisteredForHandler: (_token, origin) => waiting.add(origin),
    onProblem,
  });
  const node = graph.checkFunction(target);
  const handlers = [...sites].map(([site, token]) => ({ site, node: graph.checkHandlerToken(token, site) }));
  return { function: node, handlers, sites, waiting };
}

/** Every `@Inject(token)` parameter of the class's hooks, with its token. */
function handlerSites(target: Constructor, store: MetadataStore): Map<InjectionSite, InjectionToken<unknown>> {
  const sites = new Map<InjectionSite, InjectionToken<unknown>>();
  const methods = new Set(store.hooksOf(target).map((hook) => hook.method));
  for (const method of methods) {
    for (const param of store.paramsOf(target, method)) {
      if (param.kind !== 'inject') continue;
      sites.set({ className: target.name, method, parameter: param.index }, param.token);
    }
  }
  return sites;
}
