import { AsyncLocalStorage } from 'node:async_hooks';
import type { DependencyContainer } from 'tsyringe';
import type { FcLogger } from '../logging/FcLogger';
import type { HookKind } from '../metadata/records';
import type { FcContext } from './FcContext';

/**
 * Everything that belongs to one request: reachable from the handler, the logger and the tests
 * through `currentInvocation()`.
 */
export interface CurrentInvocation {
  readonly kind: HookKind;
  readonly functionName: string;
  readonly requestId: string;
  readonly context: FcContext;
  readonly logger: FcLogger;
  /**
   * The invocation's child container (holds `FC_CONTEXT`, `FC_LOGGER`, scoped services), made the
   * first time it is read.
   */
  readonly container: DependencyContainer;
}

const storage = new AsyncLocalStorage<CurrentInvocation>();

/** Runs `fn` with `invocation` as the current one for everything it awaits or schedules. */
export function runInInvocation<T>(invocation: CurrentInvocation, fn: () => T): T {
  return storage.run(invocation, fn);
}

/** The invocation the calling code runs in, or `undefined` outside any. */
export function currentInvocation(): CurrentInvocation | undefined {
  return storage.getStore();
}
