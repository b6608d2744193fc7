import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ConfigurationError, type ConfigurationWhere } from '../errors/ConfigurationError';
import { messageOf } from '../errors/FcError';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';
import type { Interceptor, InterceptorFunction } from './interceptor';
import type { InterceptorProvider, KernelOptions } from './KernelOptions';

/** Where an interceptor was registered, outermost first in this order. */
export type InterceptorLevel = 'kernel' | 'function' | 'class' | 'method';

/** One interceptor registered for a handler, checked at boot. */
export type DeclaredInterceptor = { level: InterceptorLevel; name: string } & (
  | { form: 'function'; item: InterceptorFunction }
  | { form: 'class'; item: Constructor<Interceptor> }
  | { form: 'object'; item: Interceptor }
  | { form: 'provider'; item: InterceptorProvider }
);

/** The handler an interceptor is compiled for. */
export interface InterceptedHandler {
  functionName: string;
  functionClass: Constructor;
  method: string;
}

/** Turns a declared interceptor into what the chain calls, or `null` for nothing there. */
export type ResolveInterceptor = (
  declared: DeclaredInterceptor,
  handler: InterceptedHandler,
) => InterceptorFunction | null;

/**
 * The interceptors of `target`'s handler `method`, outermost first: the kernel's, `@FcFunction`'s,
 * the class's `@UseInterceptors`, the method's.
 *
 * @throws ConfigurationError `INVALID_INTERCEPTOR` for an item that is none of the accepted forms,
 * or `@UseInterceptors` on another method than the handler.
 */
export function declaredInterceptors(
  target: Constructor,
  method: string,
  store: MetadataStore,
  kernel: readonly unknown[] | undefined,
): DeclaredInterceptor[] {
  const at = { className: target.name, method };
  const elsewhere = store.interceptedMethodsOf(target).find((other) => other !== method);
  if (elsewhere !== undefined) {
    throw invalid(
      { className: target.name, method: elsewhere },
      `@UseInterceptors is on a method that is not the @OnInvoke() handler (${method}): interceptors wrap the handler only`,
    );
  }
  const levels: [InterceptorLevel, readonly unknown[] | undefined][] = [
    ['kernel', kernel],
    ['function', store.functionOf(target)?.options.interceptors],
    ['class', store.interceptorsOf(target, undefined)],
    ['method', store.interceptorsOf(target, method)],
  ];
  return levels.flatMap(([level, items]) => {
    if (items !== undefined && !Array.isArray(items)) {
      throw invalid(at, `the ${level === 'kernel' ? "kernel's" : "@FcFunction's"} interceptors must be an array`);
    }
    return (items ?? []).map((item) => declare(item, level, at));
  });
}

/**
 * The chain a handler runs: each declared interceptor resolved, those resolved to nothing left
 * out; `null` when none remains, so the handler runs without the seam.
 */
export function compileInterceptorChain(
  declared: readonly DeclaredInterceptor[],
  resolve: ResolveInterceptor,
  handler: InterceptedHandler,
): InterceptorFunction[] | null {
  const chain: InterceptorFunction[] = [];
  for (const each of declared) {
    const resolved = resolve(each, handler);
    if (resolved !== null) chain.push(resolved);
  }
  return chain.length > 0 ? chain : null;
}

function declare(item: unknown, level: InterceptorLevel, at: ConfigurationWhere): DeclaredInterceptor {
  if (typeof item === 'function') {
    const prototype = (item as { prototype?: { intercept?: unknown } }).prototype;
    if (typeof prototype?.intercept === 'function') {
      return { level, name: nameOf(item), form: 'class', item: item as Constructor<Interceptor> };
    }
    if (Function.prototype.toString.call(item).startsWith('class')) {
      throw invalid(at, `the interceptor class ${nameOf(item)} has no intercept(invocation, next) method`);
    }
    return { level, name: nameOf(item), form: 'function', item: item as InterceptorFunction };
  }
  if (typeof item === 'object' && item !== null) {
    if (typeof (item as Interceptor).intercept === 'function') {
      return { level, name: nameOf(item), form: 'object', item: item as Interceptor };
    }
    if (typeof (item as InterceptorProvider).forHandler === 'function') {
      return { level, name: nameOf(item), form: 'provider', item: item as InterceptorProvider };
    }
  }
  throw invalid(
    at,
    `an interceptor must be a function (invocation, next), a class or object with intercept(invocation, next), or a provider with forHandler(setup): got ${describeValue(item)}`,
  );
}

/**
 * How a kernel resolves interceptors: a class from `root` (so it takes injected services), a
 * provider by asking it for the handler, a function or object as it is.
 */
export function interceptorResolver(root: DependencyContainer, options: Readonly<KernelOptions>): ResolveInterceptor {
  return (declared, handler) => {
    switch (declared.form) {
      case 'function':
        return declared.item;
      case 'object': {
        const interceptor = declared.item;
        return (invocation, next) => interceptor.intercept(invocation, next);
      }
      case 'class': {
        const interceptor = resolveClass(root, declared.item, handler);
        return (invocation, next) => interceptor.intercept(invocation, next);
      }
      case 'provider': {
        const made = declared.item.forHandler({ ...handler, options, container: root });
        if (made === null || typeof made === 'function') return made;
        throw invalid(
          { className: handler.functionClass.name, method: handler.method },
          `the interceptor provider ${declared.name} answered ${describeValue(made)} for the handler: a function (invocation, next) or null`,
        );
      }
    }
  };
}

function resolveClass(
  root: DependencyContainer,
  type: Constructor<Interceptor>,
  handler: InterceptedHandler,
): Interceptor {
  try {
    return root.resolve(type as InjectionToken<Interceptor>);
  } catch (error) {
    throw new ConfigurationError(
      'UNRESOLVABLE_INTERCEPTOR',
      `${handler.functionClass.name}.${handler.method}: the interceptor class ${type.name} could not be resolved from the kernel's container: ${messageOf(error)}`,
      { className: handler.functionClass.name, method: handler.method },
      { cause: error },
    );
  }
}

function invalid(at: ConfigurationWhere, message: string): ConfigurationError {
  return new ConfigurationError('INVALID_INTERCEPTOR', `${at.className}.${at.method}: ${message}`, at);
}

/** A function's or class's name, else an object's `name` property or its class's name. */
function nameOf(item: object): string {
  const own = (item as { name?: unknown }).name;
  if (typeof own === 'string' && own !== '') return own;
  if (typeof item === 'function') return '(anonymous function)';
  const constructorName = (item as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof constructorName === 'string' && constructorName !== 'Object' ? constructorName : '(anonymous object)';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without intercept or forHandler' : `a ${typeof value}`;
}
