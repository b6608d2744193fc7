import { inject, type InjectionToken } from 'tsyringe';
import { ConfigurationError } from '../errors/ConfigurationError';
import { metadataStore } from '../metadata/MetadataStore';
import type { Constructor, EventType, ParamRecord } from '../metadata/records';

type ParamSpec = ParamRecord extends infer R
  ? R extends ParamRecord
    ? Omit<R, 'target' | 'method' | 'index'>
    : never
  : never;

function paramDecorator(spec: ParamSpec, decoratorName: string): ParameterDecorator {
  return (prototype, method, index) => {
    if (method === undefined) {
      throw new ConfigurationError(
        'DECORATOR_MISUSE',
        `${decoratorName} is for handler parameters, not constructor parameters`,
        { className: (prototype as { name?: string }).name },
      );
    }
    metadataStore.addParam({
      target: (prototype as { constructor: Constructor }).constructor,
      method: String(method),
      index,
      ...spec,
    });
  };
}

/**
 * The decoded event. Its declared type decides the decoding: a class with class-validator
 * decorators is parsed as JSON, transformed and validated; `Buffer` is the raw body; `string` is
 * UTF-8 text; `object` or an interface is parsed JSON, unvalidated. Pass `type` where the declared
 * type is not visible at run time (an array, a union): `[OrderLine]` takes a JSON array whose every
 * element is validated as `OrderLine` (errors read `1.quantity`).
 *
 * @example
 * ```ts
 * @OnInvoke() handle(@Event() order: CreateOrder) { ... }
 * @OnInvoke() handle(@Event([OrderLine]) lines: OrderLine[]) { ... }
 * ```
 */
export function Event(type?: EventType): ParameterDecorator {
  return paramDecorator({ kind: 'event', type }, '@Event()');
}

/** The invocation's `FcContext`. */
export function Ctx(): ParameterDecorator {
  return paramDecorator({ kind: 'context' }, '@Ctx()');
}

/**
 * The request headers (lower-case names), or the one named; FC's credential headers are never
 * included.
 *
 * @example
 * ```ts
 * @OnInvoke() handle(@Headers('x-fc-qualifier') qualifier: string) { ... }
 * ```
 */
export function Headers(name?: string): ParameterDecorator {
  return paramDecorator({ kind: 'headers', name: name?.toLowerCase() }, '@Headers()');
}

/**
 * A service resolved from the invocation's container, so `Lifecycle.ContainerScoped` services
 * are the invocation's own. On a constructor parameter it is tsyringe's `@inject(token)`.
 *
 * @example
 * ```ts
 * @OnInvoke() handle(@Event() e: Ping, @Inject(AUDIT) audit: AuditTrail) { ... }
 * ```
 */
export function Inject<T>(token: InjectionToken<T>): ParameterDecorator {
  const onMethod = paramDecorator({ kind: 'inject', token: token as InjectionToken<unknown> }, '@Inject()');
  return (target, method, index) => {
    if (method === undefined) {
      inject(token)(target, method, index);
      return;
    }
    onMethod(target, method, index);
  };
}
