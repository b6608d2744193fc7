import { metadataStore } from '../metadata/MetadataStore';
import type { Constructor, HookKind, HookOptions } from '../metadata/records';
import { refuseStandardDecorator } from './standardDecorators';

const NAMES: Record<HookKind, string> = {
  initialize: '@OnInitialize()',
  invoke: '@OnInvoke()',
  preStop: '@OnPreStop()',
  preFreeze: '@OnPreFreeze()',
};

function hookDecorator(kind: HookKind, options: HookOptions): MethodDecorator {
  return (prototype, method) => {
    refuseStandardDecorator(NAMES[kind], method);
    metadataStore.addHook({
      target: (prototype as { constructor: Constructor }).constructor,
      method: String(method),
      kind,
      options,
    });
  };
}

/**
 * The method FC calls on `POST /initialize` (once per instance, before any invocation).
 *
 * @example
 * ```ts
 * @OnInitialize() async warmUp(@Ctx() ctx: FcContext) { await this.pool.connect(); }
 * ```
 */
export function OnInitialize(options: HookOptions = {}): MethodDecorator {
  return hookDecorator('initialize', options);
}

/**
 * The method that handles each event (`POST /invoke`). Exactly one per function class.
 *
 * @example
 * ```ts
 * @OnInvoke() handle(@Event() order: CreateOrder, @Ctx() ctx: FcContext) { ... }
 * // without parameter decorators or type metadata:
 * @OnInvoke({ event: CreateOrder }) handle(order, ctx) { ... }
 * ```
 */
export function OnInvoke(options: HookOptions = {}): MethodDecorator {
  return hookDecorator('invoke', options);
}

/** The method FC calls on `GET /pre-stop`, before the instance is destroyed. */
export function OnPreStop(options: HookOptions = {}): MethodDecorator {
  return hookDecorator('preStop', options);
}

/** The method FC calls on `GET /pre-freeze`, before the instance is frozen (FC 2.0). */
export function OnPreFreeze(options: HookOptions = {}): MethodDecorator {
  return hookDecorator('preFreeze', options);
}
