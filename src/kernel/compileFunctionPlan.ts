import type { InjectionToken } from 'tsyringe';
import { publicHeaders, SECRET_HEADERS, headerValue } from '../context/headers';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Constructor, EventType, HookKind, HookRecord, ParamRecord } from '../metadata/records';
import { ConfigurationError, type ConfigurationErrorCode, type ConfigurationWhere } from '../errors/ConfigurationError';
import { compileEventDecoder } from '../validation/decodeEvent';
import type { EventValidator, ResolvedValidationOptions } from '../validation/options';
import {
  compileInterceptorChain,
  declaredInterceptors,
  type DeclaredInterceptor,
  type ResolveInterceptor,
} from './compileInterceptors';
import type { InterceptorFunction } from './interceptor';
import type { InvocationScope } from './InvocationScope';

/** Produces one argument of a hook call from the invocation. May return a promise (the event). */
export type ParamResolver = (scope: InvocationScope) => unknown;

/**
 * What one parameter of a hook receives, as decided at boot: the data a plan is described by. In a
 * plan compiled by `collectFunctionPlan`, `problem` marks a parameter that failed a rule.
 */
export type ParameterSource = (
  | { kind: 'event'; type: EventType | undefined }
  | { kind: 'context' }
  | { kind: 'headers'; name?: string }
  | { kind: 'inject'; token: InjectionToken<unknown> }
  | { kind: 'undecorated' }
) & { problem?: ConfigurationErrorCode };

/** How one hook method is called, decided at boot. */
export interface HookPlan {
  kind: HookKind;
  method: string;
  /** `Class.method`, for messages. */
  where: string;
  params: ParamResolver[];
  /** What each of `params` produces, by position. */
  sources: ParameterSource[];
  /** Whether any resolver may return a promise, so the fast path can skip awaiting. */
  asyncParams: boolean;
  /**
   * The interceptors around the hook, outermost first, resolved; `null` when there are none (only
   * `@OnInvoke` has any), and the hook runs as it would without the seam.
   */
  interceptors: InterceptorFunction[] | null;
}

/** Everything the kernel needs to run one function class. */
export interface FunctionPlan {
  name: string;
  target: Constructor;
  hooks: Partial<Record<HookKind, HookPlan>>;
  /** The validation settings of the function, before each DTO's own `@ValidationSettings`. */
  validation: ResolvedValidationOptions;
  /** The `@OnInvoke` handler's interceptors as registered, outermost first (even those resolved to nothing). */
  interceptors: DeclaredInterceptor[];
}

export interface PlanSettings {
  validator: EventValidator;
  validation: (functionOptions: FunctionPlanOptions) => ResolvedValidationOptions;
  /** The kernel's interceptors, outermost first. */
  interceptors?: readonly unknown[];
  /** Resolves each interceptor into the handler's chain; without it (a plan that only describes) none is. */
  resolveInterceptor?: ResolveInterceptor;
}

/** Receives each problem a collecting compilation finds. */
export type ProblemReport = (problem: ConfigurationError) => void;

type FunctionPlanOptions = NonNullable<ReturnType<MetadataStore['functionOf']>>['options'];

const HOOK_DECORATORS: Record<HookKind, string> = {
  initialize: '@OnInitialize()',
  invoke: '@OnInvoke()',
  preStop: '@OnPreStop()',
  preFreeze: '@OnPreFreeze()',
};

/**
 * Compiles a decorated class into its plan. Every rule is checked here, at boot, with a message
 * that names the class and method: the per-request path then only runs resolvers.
 *
 * @throws ConfigurationError for the first rule the class breaks.
 */
export function compileFunctionPlan(target: Constructor, store: MetadataStore, settings: PlanSettings): FunctionPlan {
  return compilePlan(target, store, settings, undefined)!;
}

/**
 * Compiles as `compileFunctionPlan` does, in the same order, but hands every problem to `report`
 * and goes on, so that one pass finds them all (the first reported is the one
 * `compileFunctionPlan` throws). A hook that breaks a rule of its own is left out; a parameter
 * that breaks one keeps its place, marked with the problem's code. Undefined when `target` is not
 * a function class at all. Such a plan describes a class; it is never run.
 */
export function collectFunctionPlan(
  target: Constructor,
  store: MetadataStore,
  settings: PlanSettings,
  report: ProblemReport,
): FunctionPlan | undefined {
  return compilePlan(target, store, settings, report);
}

function compilePlan(
  target: Constructor,
  store: MetadataStore,
  settings: PlanSettings,
  report: ProblemReport | undefined,
): FunctionPlan | undefined {
  const record = store.functionOf(target);
  if (!record) {
    const className = describeClass(target);
    fail(
      report,
      new ConfigurationError('NOT_A_FUNCTION', `${className} is not decorated with @FcFunction()`, { className }),
    );
    return undefined;
  }
  const validation = settings.validation(record.options);
  const byKind = groupHooks(target, store.hooksOf(target));
  const single: [HookKind, HookRecord][] = [];
  for (const [kind, list] of Object.entries(byKind) as [HookKind, HookRecord[]][]) {
    if (list.length === 1) single.push([kind, list[0]]);
    else fail(report, duplicateHook(target, kind, list));
  }
  if (!byKind.invoke) {
    fail(
      report,
      new ConfigurationError('NO_INVOKE_HOOK', `${target.name} has no @OnInvoke() method: exactly one is required`, {
        className: target.name,
      }),
    );
  }
  const hooks: Partial<Record<HookKind, HookPlan>> = {};
  for (const [kind, hook] of single) {
    const plan = attempt(report, () => compileHook(target, hook, store, settings.validator, validation, report));
    if (plan) hooks[kind] = plan;
  }
  const name = record.options.name ?? target.name;
  const invoke = hooks.invoke;
  const interceptors =
    (invoke && attempt(report, () => declaredInterceptors(target, invoke.method, store, settings.interceptors))) || [];
  const resolve = settings.resolveInterceptor;
  if (invoke && resolve) {
    invoke.interceptors = compileInterceptorChain(interceptors, resolve, {
      functionName: name,
      functionClass: target,
      method: invoke.method,
    });
  }
  return { name, target, hooks, validation, interceptors };
}

/** The problem of a second function class answering to the name of an earlier one. */
export function duplicateFunctionName(name: string, first: Constructor, second: Constructor): ConfigurationError {
  return new ConfigurationError(
    'DUPLICATE_FUNCTION_NAME',
    `Two functions are named "${name}" (${first.name} and ${second.name}); give each @FcFunction a distinct name`,
    { className: second.name },
  );
}

/** Throws `problem`, or, when compiling to collect, reports it so that the checks after it run. */
function fail(report: ProblemReport | undefined, problem: ConfigurationError): void {
  if (!report) throw problem;
  report(problem);
}

/** Runs one check; a `ConfigurationError` it throws goes through `fail`, and the answer is then undefined. */
function attempt<T>(report: ProblemReport | undefined, check: () => T): T | undefined {
  if (!report) return check();
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    report(error);
    return undefined;
  }
}

/** The hooks of each kind, an override counted once with its base class's method. */
function groupHooks(target: Constructor, records: HookRecord[]): Partial<Record<HookKind, HookRecord[]>> {
  const byKind: Partial<Record<HookKind, HookRecord[]>> = {};
  for (const r of records) {
    const list = (byKind[r.kind] ??= []);
    // A subclass re-decorating an inherited method is the same hook, not a second one. A base
    // class is decorated before its subclasses, so the later record is the override's.
    const same = list.findIndex((other) => other.method === r.method);
    if (same === -1) list.push(r);
    else list[same] = r;
  }
  return byKind;
}

function duplicateHook(target: Constructor, kind: HookKind, list: HookRecord[]): ConfigurationError {
  const names = list.map((r) => `${target.name}.${r.method}`).join(', ');
  return new ConfigurationError(
    'DUPLICATE_HOOK',
    `${target.name} has ${list.length} ${HOOK_DECORATORS[kind]} methods (${names}): at most one is allowed`,
    { className: target.name, method: list[1].method },
  );
}

/** A parameter whose rule failed in a collecting compilation: the plan is never run. */
const unresolved: ParamResolver = () => {
  throw new TypeError('a plan compiled to describe a function is never run');
};

function compileHook(
  target: Constructor,
  hook: HookRecord,
  store: MetadataStore,
  validator: EventValidator,
  validation: ResolvedValidationOptions,
  report: ProblemReport | undefined,
): HookPlan {
  const where = `${target.name}.${hook.method}`;
  const at = { className: target.name, method: hook.method };
  const method = (target.prototype as Record<string, unknown>)[hook.method];
  if (typeof method !== 'function')
    throw new ConfigurationError(
      'HOOK_NOT_A_METHOD',
      `${where} is decorated with ${HOOK_DECORATORS[hook.kind]} but is not a method`,
      at,
    );
  const decorated = store.paramsOf(target, hook.method);
  const paramTypes = Reflect.getMetadata('design:paramtypes', target.prototype as object, hook.method) as
    unknown[] | undefined;
  const decoratorFree = hook.options.event !== undefined || (decorated.length === 0 && paramTypes === undefined);
  const params: ParamResolver[] = [];
  const sources: ParameterSource[] = [];
  /** Compiles one parameter; in a collecting compilation a failure marks its source and the rest go on. */
  const add = (source: ParameterSource, compile: () => ParamResolver) => {
    let problem: ConfigurationErrorCode | undefined;
    const resolver = attempt(
      report &&
        ((error) => {
          problem = error.code;
          report(error);
        }),
      compile,
    );
    params.push(resolver ?? unresolved);
    sources.push(problem === undefined ? source : { ...source, problem });
  };

  if (decoratorFree) {
    if (decorated.length > 0) {
      throw new ConfigurationError(
        'EVENT_OPTION_WITH_DECORATORS',
        `${where}: the { event } option takes (event, ctx) and cannot be mixed with parameter decorators`,
        at,
      );
    }
    if (hook.kind !== 'invoke' && hook.options.event !== undefined) {
      throw new ConfigurationError('EVENT_OUTSIDE_INVOKE', `${where}: only @OnInvoke() receives an event`, at);
    }
    // Parameters with neither decorators nor type metadata: a build that emits none (esbuild, tsx,
    // swc) of `handle(@Event() e: Dto)`; passing the JSON on would skip its validation.
    if (hook.kind === 'invoke' && hook.options.event === undefined && (method as () => unknown).length > 0) {
      throw new ConfigurationError(
        'EVENT_TYPE_UNKNOWN',
        `${where}: the event's type is unknown at run time (its parameters have no decorator and no type metadata, as a build with esbuild, tsx or swc leaves them), so the event would reach it unvalidated; name the type: @OnInvoke({ event: Dto }) to receive (event, ctx), { event: Object } for unvalidated JSON, or compile with tsc and emitDecoratorMetadata and decorate the parameters (@Event(), @Ctx())`,
        at,
      );
    }
    if (hook.kind === 'invoke') {
      const type = hook.options.event;
      add({ kind: 'event', type }, () => compileEvent(type, where, at, validator, validation));
    }
    add({ kind: 'context' }, () => contextResolver);
    return {
      kind: hook.kind,
      method: hook.method,
      where,
      params,
      sources,
      asyncParams: hook.kind === 'invoke',
      interceptors: null,
    };
  }

  const count = Math.max(
    paramTypes?.length ?? 0,
    (method as () => unknown).length,
    ...decorated.map((p) => p.index + 1),
  );
  let asyncParams = false;
  for (let index = 0; index < count; index++) {
    const here = { ...at, parameter: index };
    const found = decorated.filter((p) => p.index === index);
    if (found.length === 0) {
      // Only @OnInvoke has an event, and a decorator-free form to receive it.
      const remedy =
        hook.kind === 'invoke'
          ? 'use @Event(), @Ctx(), @Headers() or @Inject(token), or declare @OnInvoke({ event: Dto }) to receive (event, ctx)'
          : 'use @Ctx(), @Headers() or @Inject(token)';
      add({ kind: 'undecorated' }, () => {
        throw new ConfigurationError(
          'UNDECORATED_PARAMETER',
          `${where}: parameter ${index} has no decorator; ${remedy}`,
          here,
        );
      });
      continue;
    }
    const param = found[0];
    const twice = () => {
      if (found.length > 1) {
        throw new ConfigurationError(
          'PARAMETER_DECORATED_TWICE',
          `${where}: parameter ${index} has more than one parameter decorator`,
          here,
        );
      }
    };
    if (param.kind !== 'event') {
      add(sourceOf(param), () => {
        twice();
        return compileParam(param, where, here);
      });
      continue;
    }
    const type = param.type ?? (paramTypes?.[index] as EventType | undefined);
    asyncParams = true;
    add({ kind: 'event', type }, () => {
      twice();
      if (hook.kind !== 'invoke') {
        throw new ConfigurationError(
          'EVENT_OUTSIDE_INVOKE',
          `${where}: @Event() is only available on @OnInvoke() methods`,
          here,
        );
      }
      // Reported at the second one, so that a collecting compilation reports it once.
      if (decorated.some((p) => p.kind === 'event' && p.index < index))
        throw new ConfigurationError('DUPLICATE_EVENT_PARAMETER', `${where}: more than one @Event() parameter`, here);
      // Without type metadata a DTO event would silently be parsed as unvalidated JSON.
      if (param.type === undefined && paramTypes === undefined) {
        throw new ConfigurationError(
          'EVENT_TYPE_UNKNOWN',
          `${where}: the type of the @Event() parameter is unknown at run time (no decorator metadata: compile with tsc and emitDecoratorMetadata, and import fc-kernel before declaring the class); name it, e.g. @Event(CreateOrder) or @Event(Object)`,
          here,
        );
      }
      return compileEvent(type, where, here, validator, validation);
    });
  }
  return { kind: hook.kind, method: hook.method, where, params, sources, asyncParams, interceptors: null };
}

/** What a decorated parameter other than the event receives. */
function sourceOf(param: Exclude<ParamRecord, { kind: 'event' }>): ParameterSource {
  switch (param.kind) {
    case 'context':
      return { kind: 'context' };
    case 'headers':
      return param.name === undefined ? { kind: 'headers' } : { kind: 'headers', name: param.name };
    case 'inject':
      return { kind: 'inject', token: param.token };
  }
}

function compileEvent(
  type: EventType | undefined,
  where: string,
  at: ConfigurationWhere,
  validator: EventValidator,
  validation: ResolvedValidationOptions,
): ParamResolver {
  const decode = compileEventDecoder(type, where, validator, validation, at);
  return (scope) => decode(scope.body);
}

const contextResolver: ParamResolver = (scope) => scope.context;

function compileParam(
  param: Exclude<ParamRecord, { kind: 'event' }>,
  where: string,
  at: ConfigurationWhere,
): ParamResolver {
  switch (param.kind) {
    case 'context':
      return contextResolver;
    case 'headers': {
      const name = param.name;
      if (name === undefined) return (scope) => publicHeaders(scope.headers);
      if (SECRET_HEADERS.has(name)) {
        throw new ConfigurationError(
          'SECRET_HEADER',
          `${where}: @Headers('${name}') would expose a credential; read ctx.credentials instead`,
          at,
        );
      }
      return (scope) => headerValue(scope.headers, name) || undefined;
    }
    case 'inject': {
      const token = param.token;
      return (scope) => scope.container.resolve(token);
    }
  }
}

function describeClass(target: unknown): string {
  return typeof target === 'function' && target.name ? target.name : String(target);
}
