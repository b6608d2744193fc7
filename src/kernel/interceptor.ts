import type { FcContext } from '../context/FcContext';
import type { Constructor } from '../metadata/Constructor';

/**
 * One call of an `@OnInvoke` handler, as interceptors see it: after the event is validated,
 * before the handler runs.
 *
 * @example
 * ```ts
 * const timing: InterceptorFunction = async (invocation, next) => {
 *   const started = Date.now();
 *   try {
 *     return await next();
 *   } finally {
 *     invocation.context.logger.info(`${invocation.functionName} took ${Date.now() - started} ms`);
 *   }
 * };
 * ```
 */
export interface Invocation<TEvent = unknown> {
  /** The name the function answers to (`@FcFunction({ name })`, default its class name). */
  readonly functionName: string;
  /** The `@FcFunction` class. */
  readonly functionClass: Constructor;
  /** The name of the `@OnInvoke` method. */
  readonly method: string;
  /** The function's instance. */
  readonly instance: object;
  /** The validated event; `undefined` when the handler takes none. */
  readonly event: TEvent;
  /** The handler's arguments, as resolved (the event among them). */
  readonly args: readonly unknown[];
  /** The invocation's context: request id, retry count, deadline, logger, signal... */
  readonly context: FcContext;
}

/**
 * Calls the rest of the chain: the next interceptor, at the end the handler. Given an event, the
 * rest of the chain runs with it in place of the invocation's: the inner interceptors see it as
 * `invocation.event`, and the handler receives it as its event argument (the batch layer calls a
 * handler once per record so).
 *
 * @example
 * ```ts
 * const eachElement: InterceptorFunction = async (invocation, next) => {
 *   const results = [];
 *   for (const element of invocation.event as unknown[]) results.push(await next(element));
 *   return results;
 * };
 * ```
 */
export interface CallNext {
  (): Promise<unknown>;
  (event: unknown): Promise<unknown>;
}

/**
 * An interceptor as a function: answers what the handler would (a value or a promise of one),
 * usually by calling `next`; or without calling it (short-circuit), or mapping what it rejects with.
 *
 * @example
 * ```ts
 * const cached: InterceptorFunction = (invocation, next) => cache.get(invocation.context.requestId) ?? next();
 * ```
 */
export type InterceptorFunction = (invocation: Invocation, next: CallNext) => unknown;

/**
 * An interceptor as an object. A class implementing it is resolved from the kernel's root
 * container at boot, so its constructor takes injected services.
 *
 * @example
 * ```ts
 * @injectable()
 * class Audited implements Interceptor {
 *   constructor(private readonly audit: AuditLog) {}
 *   async intercept(invocation: Invocation, next: CallNext) {
 *     const result = await next();
 *     this.audit.record(invocation.functionName, invocation.context.requestId);
 *     return result;
 *   }
 * }
 * ```
 */
export interface Interceptor {
  intercept(invocation: Invocation, next: CallNext): unknown;
}
