import { publicHeaders, SECRET_HEADERS, headerValue } from '../context/headers';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Constructor, EventType, HookKind, HookRecord, ParamRecord } from '../metadata/records';
import { ConfigurationError, type ConfigurationWhere } from '../errors/ConfigurationError';
import { compileEventDecoder } from '../validation/decodeEvent';
import type { EventValidator, ResolvedValidationOptions } from '../validation/options';
import type { InvocationScope } from './InvocationScope';

/** Produces one argument of a hook call from the invocation. May return a promise (the event). */
export type ParamResolver = (scope: InvocationScope) => unknown;

/** How one hook method is called, decided at boot. */
export interface HookPlan {
  kind: HookKind;
  method: string;
  /** `Class.method`, for messages. */
  where: string;
  params: ParamResolver[];
  /** Whether any resolver may return a promise, so the fast path can skip awaiting. */
  asyncParams: boolean;
}

/** Everything the kernel needs to run one function class. */
export interface FunctionPlan {
  name: string;
  target: Constructor;
  hooks: Partial<Record<HookKind, HookPlan>>;
}

export interface PlanSettings {
  validator: EventValidator;
  validation: (functionOptions: FunctionPlanOptions) => ResolvedValidationOptions;
}

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
 */
export function compileFunctionPlan(target: Constructor, store: MetadataStore, settings: PlanSettings): FunctionPlan {
  const record = store.functionOf(target);
  if (!record) {
    throw new ConfigurationError('NOT_A_FUNCTION', `${describeClass(target)} is not decorated with @FcFunction()`, {
      className: describeClass(target),
    });
  }
  const validation = settings.validation(record.options);
  const byKind = groupHooks(target, store.hooksOf(target));
  if (!byKind.invoke) {
    throw new ConfigurationError(
      'NO_INVOKE_HOOK',
      `${target.name} has no @OnInvoke() method: exactly one is required`,
      {
        className: target.name,
      },
    );
  }
  const hooks: Partial<Record<HookKind, HookPlan>> = {};
  for (const [kind, hook] of Object.entries(byKind) as [HookKind, HookRecord][]) {
    hooks[kind] = compileHook(target, hook, store, settings.validator, validation);
  }
  return { name: record.options.name ?? target.name, target, hooks };
}

function groupHooks(target: Constructor, records: HookRecord[]): Partial<Record<HookKind, HookRecord>> {
  const byKind: Partial<Record<HookKind, HookRecord[]>> = {};
  for (const r of records) {
    const list = (byKind[r.kind] ??= []);
    // A subclass re-decorating an inherited method is the same hook, not a second one. A base
    // class is decorated before its subclasses, so the later record is the override's.
    const same = list.findIndex((other) => other.method === r.method);
    if (same === -1) list.push(r);
    else list[same] = r;
  }
  const out: Partial<Record<HookKind, HookRecord>> = {};
  for (const [kind, list] of Object.entries(byKind) as [HookKind, HookRecord[]][]) {
    if (list.length > 1) {
      const names = list.map((r) => `${target.name}.${r.method}`).join(', ');
      throw new ConfigurationError(
        'DUPLICATE_HOOK',
        `${target.name} has ${list.length} ${HOOK_DECORATORS[kind]} methods (${names}): at most one is allowed`,
        { className: target.name, method: list[1]!.method },
      );
    }
    out[kind] = list[0];
  }
  return out;
}

function compileHook(
  target: Constructor,
  hook: HookRecord,
  store: MetadataStore,
  validator: EventValidator,
  validation: ResolvedValidationOptions,
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
  const paramTypes = Reflect.getMetadata('design:paramtypes', target.prototype, hook.method) as unknown[] | undefined;
  const decoratorFree = hook.options.event !== undefined || (decorated.length === 0 && paramTypes === undefined);

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
    const params: ParamResolver[] =
      hook.kind === 'invoke'
        ? [compileEvent(hook.options.event, where, at, validator, validation), contextResolver]
        : [contextResolver];
    return { kind: hook.kind, method: hook.method, where, params, asyncParams: hook.kind === 'invoke' };
  }

  const count = Math.max(
    paramTypes?.length ?? 0,
    (method as () => unknown).length,
    ...decorated.map((p) => p.index + 1),
  );
  const params: ParamResolver[] = [];
  let asyncParams = false;
  for (let index = 0; index < count; index++) {
    const found = decorated.filter((p) => p.index === index);
    if (found.length === 0) {
      // Only @OnInvoke has an event, and a decorator-free form to receive it.
      const remedy =
        hook.kind === 'invoke'
          ? 'use @Event(), @Ctx(), @Headers() or @Inject(token), or declare @OnInvoke({ event: Dto }) to receive (event, ctx)'
          : 'use @Ctx(), @Headers() or @Inject(token)';
      throw new ConfigurationError(
        'UNDECORATED_PARAMETER',
        `${where}: parameter ${index} has no decorator; ${remedy}`,
        {
          ...at,
          parameter: index,
        },
      );
    }
    if (found.length > 1) {
      throw new ConfigurationError(
        'PARAMETER_DECORATED_TWICE',
        `${where}: parameter ${index} has more than one parameter decorator`,
        { ...at, parameter: index },
      );
    }
    const param = found[0]!;
    if (param.kind === 'event') {
      if (hook.kind !== 'invoke') {
        throw new ConfigurationError(
          'EVENT_OUTSIDE_INVOKE',
          `${where}: @Event() is only available on @OnInvoke() methods`,
          {
            ...at,
            parameter: index,
          },
        );
      }
      if (decorated.filter((p) => p.kind === 'event').length > 1)
        throw new ConfigurationError('DUPLICATE_EVENT_PARAMETER', `${where}: more than one @Event() parameter`, {
          ...at,
          parameter: index,
        });
      // Without type metadata a DTO event would silently be parsed as unvalidated JSON.
      if (param.type === undefined && paramTypes === undefined) {
        throw new ConfigurationError(
          'EVENT_TYPE_UNKNOWN',
          `${where}: the type of the @Event() parameter is unknown at run time (no decorator metadata: compile with tsc and emitDecoratorMetadata, and import fc-kernel before declaring the class); name it, e.g. @Event(CreateOrder) or @Event(Object)`,
          { ...at, parameter: index },
        );
      }
      asyncParams = true;
      params.push(
        compileEvent(
          param.type ?? (paramTypes?.[index] as EventType | undefined),
          where,
          { ...at, parameter: index },
          validator,
          validation,
        ),
      );
    } else {
      params.push(compileParam(param, where, { ...at, parameter: index }));
    }
  }
  return { kind: hook.kind, method: hook.method, where, params, asyncParams };
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
