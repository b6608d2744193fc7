import type { InterceptorLike } from '../kernel/KernelOptions';
import { metadataStore } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';

/**
 * Wraps a function's `@OnInvoke` handler in interceptors: on the class, around its handler; on the
 * handler itself, inside the class's. Outermost first, the kernel's, then `@FcFunction`'s, then the
 * class's, then the method's; within one list, as written. A class given here is resolved from the
 * kernel's root container at boot.
 *
 * @example
 * ```ts
 * @FcFunction()
 * @UseInterceptors(Timing)
 * class CreateOrderFunction {
 *   @OnInvoke()
 *   @UseInterceptors(rejectDuringMaintenance)
 *   handle(@Event() order: CreateOrder) { ... }
 * }
 * ```
 */
export function UseInterceptors(...interceptors: InterceptorLike[]): ClassDecorator & MethodDecorator {
  return (target: object, method?: string | symbol) => {
    metadataStore.addInterceptors({
      // On a method, `target` is the class's prototype.
      target: (method === undefined ? target : target.constructor) as Constructor,
      method: method === undefined ? undefined : String(method),
      interceptors,
    });
  };
}
