import { SECRET_HEADERS, headerValue } from '../context/headers';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { HookKind } from '../metadata/records';
import type { InvocationScope } from './InvocationScope';
import type { InvocationObserver, ObservedInvocation, ObserveInvocation, ObserverSetup } from './KernelOptions';
import { composeObservers } from './observer';

/** A function's observed routes: each one's composed observers. */
export type RouteObservers = Readonly<Partial<Record<HookKind, ObserveInvocation>>>;

const KINDS: readonly HookKind[] = ['invoke', 'initialize', 'preFreeze', 'preStop'];

/**
 * Asks every observer about each of a function's routes, at boot; `undefined` when none observes
 * any, so the function runs exactly as without observers.
 *
 * @throws ConfigurationError `INVALID_OBSERVER` for an observer without `forRoute`, or one that
 * answers something else than a function or `null`.
 */
export function compileObservers(
  observers: readonly InvocationObserver[],
  setup: Omit<ObserverSetup, 'kind'>,
): RouteObservers | undefined {
  if (observers.length === 0) return undefined;
  const routes: Partial<Record<HookKind, ObserveInvocation>> = {};
  let any = false;
  for (const kind of KINDS) {
    const chain: ObserveInvocation[] = [];
    for (const observer of observers) {
      if (typeof observer?.forRoute !== 'function') {
        throw invalid(setup.functionName, 'an observer must be an object with forRoute(setup)');
      }
      const observe = observer.forRoute({ ...setup, kind });
      if (observe === null) continue;
      if (typeof observe !== 'function') {
        throw invalid(
          setup.functionName,
          `the observer ${observer.name ?? '(unnamed)'} answered neither a function nor null`,
        );
      }
      chain.push(observe);
    }
    const composed = composeObservers(chain);
    if (composed) {
      routes[kind] = composed;
      any = true;
    }
  }
  return any ? routes : undefined;
}

/** The observers' view of an invocation: no credential header, no body. */
export function observedInvocation(scope: InvocationScope): ObservedInvocation {
  return {
    kind: scope.kind,
    functionName: scope.functionName,
    requestId: scope.requestId,
    context: scope.context,
    header: (name) => (SECRET_HEADERS.has(name) ? '' : headerValue(scope.headers, name)),
    redact: (text) => scope.redact(text),
    observeRecords: (observe) => {
      scope.recordObserver = observe;
    },
    get annotations() {
      return scope.annotations;
    },
  };
}

function invalid(functionName: string, message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OBSERVER', `${functionName}: ${message}`, {});
}
