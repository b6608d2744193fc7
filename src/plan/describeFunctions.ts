import type { DependencyContainer } from 'tsyringe';
import { createRootContainer } from '../di/containers';
import { declaredProviders, registerFunctionProviders } from '../di/functionProviders';
import { ConfigurationError, type ConfigurationErrorCode, type ConfigurationWhere } from '../errors/ConfigurationError';
import { assertCompatibleLibraries } from '../kernel/assertCompatibleLibraries';
import { describeDependencies, splitTransientWarnings } from '../kernel/checkDependencies';
import { collectFunctionPlan, duplicateFunctionName } from '../kernel/compileFunctionPlan';
import { metadataStore as defaultStore, type MetadataStore } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';
import { DEFAULT_EVENT_VALIDATOR } from '../validation/defaultEngine';
import { resolveValidationOptions, type EventValidationOptions } from '../validation/options';
import { describeFunction, type FunctionDescription } from './describeFunction';

/** The kernel options a description depends on: those of `createKernel`, as far as boot reads them. */
export interface DescribeFunctionsOptions {
  /** The `@FcFunction` classes, in the order the kernel would get them. */
  functions: Constructor[];
  /** Parent of the kernel's root container (default: tsyringe's global container). */
  container?: DependencyContainer;
  /** The kernel's validation settings and engine. */
  validation?: EventValidationOptions;
  /** Decorator records (default: the process-wide store). */
  metadata?: MetadataStore;
}

/** A boot problem as data. */
export interface ProblemDescription {
  code: ConfigurationErrorCode;
  where: ConfigurationWhere;
  message: string;
}

/** Functions as data, with every boot problem among them. */
export interface FunctionsDescription {
  functions: FunctionDescription[];
  /** In the order a kernel's creation meets them: the first is the one `createKernel` throws. */
  problems: ProblemDescription[];
}

/**
 * Describes what a kernel created with `options` would run, and checks it as the kernel's
 * creation does, but collecting every problem rather than throwing the first: each function, each
 * hook, each parameter and the dependency graph are checked on their own. Creates nothing and runs
 * no hook; a function with problems is described as far as it can be. (An empty `functions`
 * describes nothing; the kernel refuses it with `NO_FUNCTIONS`, and an entry always has one.)
 *
 * @example
 * ```ts
 * const { functions, problems } = describeFunctions({ functions: [CreateOrderFunction] });
 * for (const p of problems) console.error(p.code, p.message);
 * ```
 */
export function describeFunctions(options: DescribeFunctionsOptions): FunctionsDescription {
  const problems: ConfigurationError[] = [];
  const report = (problem: ConfigurationError) => problems.push(problem);
  const described: FunctionDescription[] = [];
  try {
    assertCompatibleLibraries();
  } catch (error) {
    // Every other check reads the libraries' metadata through the internals this one proves.
    if (!(error instanceof ConfigurationError)) throw error;
    report(error);
    return { functions: described, problems: problems.map(describeProblem) };
  }
  const store = options.metadata ?? defaultStore;
  const validator = options.validation?.validator ?? DEFAULT_EVENT_VALIDATOR;
  const root = createRootContainer(options.container);
  registerFunctionProviders(root, declaredProviders(options.functions, store), report);
  const named = new Map<string, Constructor>();
  for (const target of options.functions) {
    const plan = collectFunctionPlan(
      target,
      store,
      { validator, validation: (fn) => resolveValidationOptions(options.validation, fn.validation) },
      report,
    );
    if (!plan) continue;
    const clash = named.get(plan.name);
    if (clash) report(duplicateFunctionName(plan.name, clash, target));
    else named.set(plan.name, target);
    const dependencies = describeDependencies(target, store, root, report);
    const layers = { kernel: options.validation, function: store.functionOf(target)?.options.validation };
    const warnings = splitTransientWarnings(target, store, dependencies);
    described.push(describeFunction(plan, dependencies, validator, layers, warnings));
  }
  return { functions: described, problems: problems.map(describeProblem) };
}

/** A boot problem as data. */
export function describeProblem(problem: ConfigurationError): ProblemDescription {
  return { code: problem.code, where: { ...problem.where }, message: problem.message };
}
