import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Constructor, FunctionProvider } from '../metadata/records';
import { describeToken } from './dependencyGraph';
import { parentOf } from './tsyringeInternals';

/** The providers one function declares. */
export interface DeclaredProviders {
  target: Constructor;
  providers: readonly FunctionProvider[];
}

/** The providers each of `functions` declares, in order; a class that is no function declares none. */
export function declaredProviders(functions: readonly Constructor[], store: MetadataStore): DeclaredProviders[] {
  return functions.map((target) => ({ target, providers: store.functionOf(target)?.options.providers ?? [] }));
}

/**
 * Registers the functions' `@FcFunction({ providers })` in the kernel's `root` container, before
 * anything is resolved from it. A token a container `root` inherits from provides (the kernel's
 * `container` option, a test kernel's overrides, tsyringe's global container with `@registry`
 * and `@singleton()`) keeps that registration: a function's providers are its defaults. (A test
 * kernel copies the global singletons into its own container, so a rule that skipped the global
 * container would decide differently under test than in production.)
 * Two functions may list the same registration object; two different ones for a token are a
 * `DUPLICATE_PROVIDER`, one tsyringe refuses an `INVALID_PROVIDER`. Each problem is thrown, or
 * handed to `report` and the rest registered.
 */
export function registerFunctionProviders(
  root: DependencyContainer,
  functions: readonly DeclaredProviders[],
  report?: (problem: ConfigurationError) => void,
): void {
  const registered = new Map<InjectionToken<unknown>, { entry: FunctionProvider; by: Constructor }>();
  for (const { target, providers } of functions) {
    for (const entry of providers) {
      const problem = registerOne(root, entry, target, registered);
      if (!problem) continue;
      if (!report) throw problem;
      report(problem);
    }
  }
}

function registerOne(
  root: DependencyContainer,
  entry: FunctionProvider,
  target: Constructor,
  registered: Map<InjectionToken<unknown>, { entry: FunctionProvider; by: Constructor }>,
): ConfigurationError | undefined {
  const where = { className: target.name, property: 'providers' };
  if (entry === null || typeof entry !== 'object' || entry.token === undefined || entry.token === null) {
    return new ConfigurationError(
      'INVALID_PROVIDER',
      `@FcFunction of ${target.name}: each of its providers is { token, useClass | useValue | useFactory | useToken, options? }, got ${describeEntry(entry)}`,
      where,
    );
  }
  const earlier = registered.get(entry.token);
  if (earlier) {
    if (earlier.entry === entry) return undefined;
    return new ConfigurationError(
      'DUPLICATE_PROVIDER',
      `@FcFunction of ${target.name} provides ${describeToken(entry.token)}, which ${earlier.by.name} provides otherwise in the same kernel; ` +
        'declare the registration once (one object both functions list) or give the functions different tokens',
      where,
    );
  }
  registered.set(entry.token, { entry, by: target });
  if (parentOf(root)?.isRegistered(entry.token, true)) return undefined;
  const { token, options, ...provider } = entry;
  try {
    root.register(token, provider as never, options);
  } catch (error) {
    // tsyringe refuses, e.g., a useValue or useFactory with a lifecycle other than transient.
    return new ConfigurationError(
      'INVALID_PROVIDER',
      `@FcFunction of ${target.name}: tsyringe refuses its provider of ${describeToken(token)}: ${error instanceof Error ? error.message : String(error)}`,
      where,
      { cause: error },
    );
  }
  return undefined;
}

function describeEntry(entry: unknown): string {
  if (typeof entry === 'function') return `the class ${entry.name || '(anonymous)'}`;
  return entry === null ? 'null' : typeof entry;
}
