import { injectable } from 'tsyringe';
import { metadataStore } from '../metadata/MetadataStore';
import type { InterceptorLike } from '../kernel/KernelOptions';
import type { Constructor, FunctionRecordOptions } from '../metadata/records';
import { refuseStandardDecorator } from './standardDecorators';

/** Options of `@FcFunction`. */
export interface FcFunctionOptions extends FunctionRecordOptions {
  /**
   * Interceptors around the function's `@OnInvoke` handler, outermost first: inside the kernel's,
   * outside those of `@UseInterceptors`.
   */
  interceptors?: readonly InterceptorLike[];
}

/**
 * Marks a class as a Function Compute function. Its constructor parameters are injected by
 * tsyringe from the kernel's root container when the function initializes; `providers` are
 * registered there when a kernel is created.
 *
 * @example
 * ```ts
 * @FcFunction({
 *   name: 'create-order',
 *   providers: [{ token: ORDER_STORE, useClass: TableStoreOrders, options: { lifecycle: Lifecycle.Singleton } }],
 * })
 * class CreateOrderFunction {
 *   constructor(private readonly pricing: Pricing, @inject(ORDER_STORE) private readonly orders: OrderStore) {}
 *   @OnInvoke() handle(@Event() order: CreateOrder) { return this.pricing.quote(order); }
 * }
 * ```
 */
export function FcFunction(options: FcFunctionOptions = {}): ClassDecorator {
  return (target, ...standard: unknown[]) => {
    refuseStandardDecorator('@FcFunction()', standard[0]);
    const ctor = target as unknown as Constructor;
    // tsyringe records the constructor's parameter types here; no container is touched.
    injectable()(ctor);
    metadataStore.addFunction({ target: ctor, options });
  };
}
