import { describeToken, type DependencyNode } from '../di/dependencyGraph';
import type { ConfigurationErrorCode } from '../errors/ConfigurationError';
import type { FunctionDependencies } from '../kernel/checkDependencies';
import type { FunctionPlan, HookPlan, ParameterSource } from '../kernel/compileFunctionPlan';
import type { InterceptorLevel } from '../kernel/compileInterceptors';
import type { HookKind } from '../metadata/records';
import type { EventValidationOptions, EventValidator, ResolvedValidationOptions } from '../validation/options';
import { describeEvent, eventTypeName, type EventDescription } from './describeEvent';

/** One function of an entry, as data: what `fc-kernel inspect` shows. */
export interface FunctionDescription {
  /** The name it answers to (`x-fc-function-name`). */
  name: string;
  className: string;
  /** In the order FC calls them: initialize, invoke, preStop, preFreeze. */
  hooks: HookDescription[];
  /**
   * The interceptors registered around the `@OnInvoke()` handler, outermost first (the kernel's
   * own, given to `createKernel` or `serve()`, are not known to a description).
   */
  interceptors: InterceptorDescription[];
  /** What the `@OnInvoke()` handler's event parameter receives; null when it takes none. */
  event: EventDescription | null;
  validation: FunctionValidationDescription;
  /** What each parameter of the class's constructor receives, by position, recursively. */
  services: DependencyNode[];
  /** What works but is likely not what was meant (a transient service the hooks and a handler each get one of). */
  warnings: string[];
}

/** The function's validation settings: the pinned defaults, then the kernel's, then `@FcFunction`'s. */
export interface FunctionValidationDescription {
  /** In force for the function, before each DTO's own `@ValidationSettings` (see the event's classes). */
  options: ResolvedValidationOptions;
  /** What the kernel's `validation` option set; null when it set nothing. */
  kernel: EventValidationOptions | null;
  /** What `@FcFunction({ validation })` set; null when it set nothing. */
  function: EventValidationOptions | null;
}

/** One interceptor: its name, how it is given and where it was registered. */
export interface InterceptorDescription {
  /** The function's or class's name, or a provider's or object's `name` property. */
  name: string;
  /** `class`: resolved from the root container; `provider`: asked for the handler at boot. */
  form: 'function' | 'class' | 'object' | 'provider';
  /** `kernel`, `function` (`@FcFunction`), `class` or `method` (`@UseInterceptors`). */
  level: InterceptorLevel;
}

export interface HookDescription {
  kind: HookKind;
  method: string;
  parameters: ParameterDescription[];
}

/** What one parameter of a hook receives. `problem` is the code of a boot problem found there. */
export type ParameterDescription = { index: number; problem?: ConfigurationErrorCode } & ParameterKindDescription;

/** What a parameter receives, by kind. */
export type ParameterKindDescription =
  /** `type`: the declared type (see the function's `event`). */
  | { kind: 'event'; type: string | null }
  | { kind: 'context' }
  /** `name`: the one header; null: every header but FC's credentials. */
  | { kind: 'headers'; name: string | null }
  /** `service`: what the invocation's container resolves the token to. */
  | { kind: 'inject'; service: DependencyNode }
  /** No parameter decorator: a boot problem. */
  | { kind: 'undecorated' };

const HOOK_ORDER: readonly HookKind[] = ['initialize', 'invoke', 'preStop', 'preFreeze'];

/** The layers a function's validation settings came from. */
export interface ValidationLayers {
  kernel: EventValidationOptions | undefined;
  function: EventValidationOptions | undefined;
}

/**
 * Describes a compiled plan (from `collectFunctionPlan`, whose parameters carry the problems it
 * found) with the function's dependency graph, as plain data.
 */
export function describeFunction(
  plan: FunctionPlan,
  dependencies: FunctionDependencies,
  validator: EventValidator,
  layers: ValidationLayers,
  warnings: string[] = [],
): FunctionDescription {
  const hooks = HOOK_ORDER.flatMap((kind) => {
    const hook = plan.hooks[kind];
    return hook ? [describeHook(hook, dependencies)] : [];
  });
  const eventSource = plan.hooks.invoke?.sources.find((source) => source.kind === 'event');
  return {
    name: plan.name,
    className: plan.target.name,
    hooks,
    interceptors: plan.interceptors.map(({ name, form, level }) => ({ name, form, level })),
    event:
      eventSource?.kind === 'event'
        ? describeEvent(eventSource.type, validator, plan.validation, eventSource.problem)
        : null,
    validation: {
      options: plan.validation,
      kernel: settingsOf(layers.kernel),
      function: settingsOf(layers.function),
    },
    services: dependencies.function.dependencies ?? [],
    warnings,
  };
}

function describeHook(hook: HookPlan, dependencies: FunctionDependencies): HookDescription {
  return {
    kind: hook.kind,
    method: hook.method,
    parameters: hook.sources.map((source, index) => ({
      index,
      ...describeSource(source, hook, index, dependencies),
      ...(source.problem === undefined ? {} : { problem: source.problem }),
    })),
  };
}

function describeSource(
  source: ParameterSource,
  hook: HookPlan,
  index: number,
  dependencies: FunctionDependencies,
): ParameterKindDescription {
  switch (source.kind) {
    case 'event':
      return { kind: 'event', type: eventTypeName(source.type) };
    case 'headers':
      return { kind: 'headers', name: source.name ?? null };
    case 'inject': {
      const found = dependencies.handlers.find((h) => h.site.method === hook.method && h.site.parameter === index);
      // Every @Inject() parameter of a hook is a site of the graph; the fallback only keeps the type total.
      return {
        kind: 'inject',
        service: found?.node ?? { token: describeToken(source.token), provider: 'unknown', registered: false },
      };
    }
    default:
      return { kind: source.kind };
  }
}

/** A settings layer as data: what it set, without the engine object; null when it set nothing. */
function settingsOf(layer: EventValidationOptions | undefined): EventValidationOptions | null {
  if (!layer) return null;
  const set = Object.entries(layer).filter(([key, value]) => value !== undefined && key !== 'validator');
  return set.length > 0 ? Object.fromEntries(set) : null;
}
