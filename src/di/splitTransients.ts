import type { DependencyNode } from './dependencyGraph';

/** Where a graph starts: the function's constructor parameter, or a hook's `@Inject()` parameter. */
export interface GraphRoot {
  node: DependencyNode;
  /** How a message names it: `ProvidedFunction constructor parameter 0`, `Quote.handle parameter 1`. */
  where: string;
  /** Whether the function (and so its lifecycle hooks) holds what it resolves to. */
  heldByHooks: boolean;
}

/** A transient class the hooks hold one instance of, and something else gets another of. */
export interface SplitTransient {
  className: string;
  /** Where the hooks' instance is injected. */
  heldAt: string;
  /** Where another instance is made: the first such place found. */
  alsoAt: string;
}

/**
 * Finds the transient classes (tsyringe's default) that a function's hooks see one instance of,
 * injected into its constructor or into a lifecycle hook, while another service, or a handler's
 * `@Inject()`, is built with an instance of its own: state a hook sets up there (a config loaded in
 * `@OnInitialize`) is then missing where it is used. Reads the nodes `DependencyGraph` answered.
 */
export function findSplitTransients(roots: readonly GraphRoot[]): SplitTransient[] {
  const listed = listedDependencies(roots.map((r) => r.node));
  const held = new Map<string, string>();
  for (const root of roots) {
    if (root.heldByHooks && isTransientClass(root.node)) {
      if (!held.has(root.node.className!)) held.set(root.node.className!, root.where);
    }
  }
  const split = new Map<string, SplitTransient>();
  const note = (node: DependencyNode, at: string) => {
    const heldAt = isTransientClass(node) ? held.get(node.className!) : undefined;
    if (heldAt && heldAt !== at && !split.has(node.className!)) {
      split.set(node.className!, { className: node.className!, heldAt, alsoAt: at });
    }
  };
  for (const root of roots) {
    // What a hook holds directly is the hooks' instance itself; everything below it is another.
    if (!root.heldByHooks) note(root.node, root.where);
    walkBelow(root.node, root.where, listed, note, new Set());
  }
  return [...split.values()];
}

function walkBelow(
  node: DependencyNode,
  where: string,
  listed: Map<string, DependencyNode[]>,
  note: (node: DependencyNode, at: string) => void,
  visiting: Set<string>,
): void {
  const key = node.className ?? node.token;
  if (visiting.has(key)) return;
  visiting.add(key);
  const below = [
    ...(node.alias ? [node.alias] : []),
    ...(node.dependencies ?? (node.repeated && node.className ? (listed.get(node.className) ?? []) : [])),
  ];
  for (const child of below) {
    const at = `${where} → ${child.className ?? child.token}`;
    note(child, at);
    walkBelow(child, at, listed, note, visiting);
  }
  visiting.delete(key);
}

/** Each class's dependencies where the graph lists them (a repeated class lists none of its own). */
function listedDependencies(nodes: DependencyNode[]): Map<string, DependencyNode[]> {
  const listed = new Map<string, DependencyNode[]>();
  const visit = (node: DependencyNode) => {
    if (node.className && node.dependencies && !listed.has(node.className)) {
      listed.set(node.className, node.dependencies);
    }
    if (node.alias) visit(node.alias);
    for (const child of node.dependencies ?? []) visit(child);
  };
  nodes.forEach(visit);
  return listed;
}

function isTransientClass(node: DependencyNode): boolean {
  return node.provider === 'class' && node.lifecycle === 'transient' && node.className !== undefined;
}
