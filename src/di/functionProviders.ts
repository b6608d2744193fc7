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
 * anything is resolved from it. A token the caller's containers provide (from `root`'s parent up
 * to, not including, tsyringe's global container: the kernel's `container` option, a test
 * kernel's overrides) keeps that registration: what is passed in replaces a function's default.
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
  if (providedByCaller(root, entry.token)) return undefined;
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

/** Whether a container between `root` and tsyringe's global one registers `token`. */
function providedByCaller(root: DependencyContainer, token: InjectionToken<unknown>): boolean {
  for (let c = parentOf(root); c && parentOf(c); c = parentOf(c)) {
    if (c.isRegistered(token)) return true;
  }
  return false;
}

function describeEntry(entry: unknown): string {
  if (typeof entry === 'function') return `the class ${entry.name || '(anonymous)'}`;
  return entry === null ? 'null' : typeof entry;
}
