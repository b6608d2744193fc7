import {
  instanceCachingFactory,
  instancePerContainerCachingFactory,
  isFactoryProvider,
  isTokenProvider,
  isValueProvider,
  Lifecycle,
  type DependencyContainer,
  type InjectionToken,
  type Provider,
  type RegistrationOptions,
} from 'tsyringe';
import { FcContext } from '../context/FcContext';
import { FC_CONTEXT, FC_LOGGER } from '../di/tokens';
import { FcLogger } from '../logging/FcLogger';

/**
 * A replacement for one service: the token (or class) it is injected by, the tsyringe provider
 * that produces the replacement, and optionally its lifetime.
 *
 * Without options, a `useClass` or `useFactory` replacement lives like a
 * `@scoped(Lifecycle.ContainerScoped)` service: one instance per invocation, shared by everything
 * that injects it during that invocation (and one for the kernel's root container, where the
 * functions' constructors are resolved). `{ lifecycle }` picks another: `Transient` (a new one on
 * every injection), `Singleton` (one for the test kernel). A `useValue` is that value everywhere;
 * a `useToken` resolves the other token.
 *
 * @example
 * ```ts
 * const overrides: Override[] = [
 *   [ORDER_REPOSITORY, { useValue: new InMemoryOrders() }],
 *   [PricingService, { useClass: FixedPricing }],
 *   [Clock, { useFactory: () => new FixedClock('2026-01-01T00:00:00Z') }, { lifecycle: Lifecycle.Singleton }],
 * ];
 * ```
 */
export type Override<T = unknown> = readonly [
  token: InjectionToken<T>,
  provider: Provider<T>,
  options?: RegistrationOptions,
];

/** Tokens the kernel registers in every invocation's own container: an override would never be seen. */
const PER_INVOCATION_TOKENS = new Map<InjectionToken<unknown>, string>([
  [FC_CONTEXT, 'FC_CONTEXT'],
  [FcContext, 'FcContext'],
  [FC_LOGGER, 'FC_LOGGER'],
  [FcLogger, 'FcLogger'],
]);

/**
 * Registers `overrides` in `container`, which becomes the parent of a kernel's root container.
 * Registering there, before the kernel exists, puts each replacement in every container the kernel
 * resolves from: tsyringe copies a parent's container-scoped registrations into each child it
 * creates, so the root and then each invocation's container get their own instance.
 */
export function registerOverrides(container: DependencyContainer, overrides: readonly Override[]): void {
  for (const [token, provider, options] of overrides) {
    const own = PER_INVOCATION_TOKENS.get(token);
    if (own) {
      throw new TypeError(
        `${own} cannot be overridden: the kernel makes it for each invocation from the request. ` +
          "Shape it with the test kernel's `headers` option or invoke's `headers`",
      );
    }
    if (isFactoryProvider(provider)) {
      container.register(token, { useFactory: cachedFactory(provider.useFactory, options?.lifecycle) });
    } else if (isValueProvider(provider)) {
      if (options) throw new TypeError('A useValue override takes no lifecycle: it is that value everywhere');
      container.register(token, provider);
    } else if (isTokenProvider(provider)) {
      container.register(token, provider, options);
    } else {
      container.register(token, provider, options ?? { lifecycle: Lifecycle.ContainerScoped });
    }
  }
}

/** tsyringe registers factories as transient only: the caching is the factory's own. */
function cachedFactory<T>(
  factory: (container: DependencyContainer) => T,
  lifecycle: Lifecycle = Lifecycle.ContainerScoped,
): (container: DependencyContainer) => T {
  switch (lifecycle) {
    case Lifecycle.Transient:
      return factory;
    case Lifecycle.ContainerScoped:
      // Keyed by the container the injection is resolved in: each invocation's own.
      return instancePerContainerCachingFactory(factory);
    case Lifecycle.Singleton:
      return instanceCachingFactory(factory);
    default:
      throw new TypeError(
        `A useFactory override cannot be ${Lifecycle[lifecycle]}: use Transient, ContainerScoped or Singleton`,
      );
  }
}
