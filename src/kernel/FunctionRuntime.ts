import type { DependencyContainer } from 'tsyringe';
import { RedactedFailure } from '../errors/errorBody';
import { InitializationError } from '../errors/FcError';
import type { HookKind } from '../metadata/records';
import type { FunctionPlan, HookPlan } from './compileFunctionPlan';
import { timeoutSecondsOf } from './deadline';
import { encodeResult, type EncodedBody } from './encodeResult';
import { InitializationGate, type InitializationRun } from './InitializationGate';
import type { Invocation, InterceptorFunction } from './interceptor';
import type { InvocationFactory, InvocationLogging, InvocationWork } from './InvocationFactory';
import type { InvocationScope } from './InvocationScope';
import type { RouteObservers } from './compileObservers';
import { runInterceptors } from './runInterceptors';

/** A function class's instance, as the kernel calls it. */
type FunctionInstance = Record<string, (...args: unknown[]) => unknown>;

const NO_BODY: EncodedBody = { body: '' };
const EMPTY = Buffer.alloc(0);

/** A request FC sent: between markers, its failure logged. */
const REQUEST: InvocationLogging = { marked: true, logsFailure: true };
/** An /invoke that starts the initialization: its Initialize markers come before its Start marker. */
const INITIALIZING_REQUEST: InvocationLogging = { marked: true, logsFailure: true, startsLate: true };
/** FC prints Initialize markers only when an initializer runs. */
const UNMARKED_REQUEST: InvocationLogging = { marked: false, logsFailure: true };
/** An initialization run: each request that waits for it logs its failure. */
const RUN: InvocationLogging = { marked: true, logsFailure: false };
const UNMARKED_RUN: InvocationLogging = { marked: false, logsFailure: false };

/**
 * One of FC's routes to a function, decided when the function is set up: the work an invocation
 * of it runs, how it shows in the log, and the header that times it.
 */
export interface FunctionRoute extends InvocationWork<EncodedBody> {
  readonly kind: HookKind;
  readonly logging: InvocationLogging;
  /** FC's header with the invocation's timeout in seconds. */
  readonly timeoutHeader: 'x-fc-function-timeout' | 'x-fc-initialization-timeout';
}

/**
 * One function of a kernel: its compiled plan, its instance (created from the root container at
 * initialization) and its lifecycle state. Its routes run each hook for the kernel, which owns the
 * invocation around it (context, markers, deadline, container).
 */
export class FunctionRuntime {
  private readonly gate = new InitializationGate<FunctionInstance, InvocationScope>((starter) =>
    this.initialize(starter),
  );
  /** Whether an invocation has run since the last pre-stop began: only then is there work to flush. */
  private ranSincePreStop = false;
  /** Invocations whose handler has not settled yet (a timed-out one included). */
  private running = 0;
  /** The handler's interceptors, outermost first; `null` runs it without the seam. */
  private readonly interceptors: InterceptorFunction[] | null;
  /** Where the event sits among the handler's arguments; -1 when it takes none. */
  private readonly eventIndex: number;
  /** FC's routes to this function, by the hook each calls. */
  readonly routes: Readonly<Record<HookKind, FunctionRoute>>;

  /** `afterInitialize` runs once `@OnInitialize` has succeeded; throwing fails the initialization. */
  constructor(
    readonly plan: FunctionPlan,
    private readonly root: DependencyContainer,
    private readonly invocations: InvocationFactory,
    private readonly afterInitialize?: () => void,
    /** The observers of each route, decided at boot; `undefined` when none observes any. */
    readonly observers?: RouteObservers,
  ) {
    const invoke = plan.hooks.invoke;
    this.interceptors = invoke?.interceptors ?? null;
    this.eventIndex = invoke ? invoke.sources.findIndex((source) => source.kind === 'event') : -1;
    const gate = this.gate;
    this.routes = {
      initialize: {
        kind: 'initialize',
        // FC prints Initialize markers only when an initializer runs.
        logging: plan.hooks.initialize ? REQUEST : UNMARKED_REQUEST,
        timeoutHeader: 'x-fc-initialization-timeout',
        run: (scope) => {
          this.ranSincePreStop = true;
          return this.gate.enter(scope, scope.context.signal).then(() => NO_BODY);
        },
      },
      invoke: {
        kind: 'invoke',
        // Only the request that starts the run would see its own Initialize markers inside its Invoke ones.
        get logging(): InvocationLogging {
          return gate.initialized || gate.running || !plan.hooks.initialize ? REQUEST : INITIALIZING_REQUEST;
        },
        timeoutHeader: 'x-fc-function-timeout',
        run: (scope) => {
          this.ranSincePreStop = true;
          // FC 3.0's local emulator never calls /initialize: the first /invoke initializes.
          return this.gate.initialized ? this.invoke(this.gate.result, scope) : this.initializeAndInvoke(scope);
        },
      },
      preStop: lifecycleRoute('preStop', (scope) => this.lifecycle('preStop', scope)),
      preFreeze: lifecycleRoute('preFreeze', (scope) => this.lifecycle('preFreeze', scope)),
    };
  }

  get name(): string {
    return this.plan.name;
  }

  /** Whether the kernel still has to run `@OnPreStop` when the process shuts down. */
  get needsPreStop(): boolean {
    return this.ranSincePreStop && this.plan.hooks.preStop !== undefined && this.gate.initialized;
  }

  /**
   * Calls the handler for `scope`, its result encoded. A synchronous handler without interceptors
   * is answered at once, without a promise.
   */
  private invoke(instance: FunctionInstance, scope: InvocationScope): EncodedBody | Promise<EncodedBody> {
    if (this.interceptors !== null) return this.intercept(instance, scope, this.interceptors);
    this.running++;
    let result: unknown;
    try {
      result = callHook(instance, this.plan.hooks.invoke!, scope);
    } catch (error) {
      this.running--;
      throw error;
    }
    if (isThenable(result)) return this.settle(Promise.resolve(result));
    this.running--;
    return encodeResult(result);
  }

  /**
   * The handler inside its interceptors, once its arguments (the validated event) are ready. An
   * event refused synchronously is thrown at once, as on the plain path.
   */
  private intercept(
    instance: FunctionInstance,
    scope: InvocationScope,
    interceptors: InterceptorFunction[],
  ): Promise<EncodedBody> {
    this.running++;
    let outcome: Promise<unknown>;
    try {
      const args = argumentsOf(this.plan.hooks.invoke!, scope);
      outcome =
        args instanceof Promise
          ? args.then((settled) => this.runChain(instance, scope, interceptors, settled))
          : this.runChain(instance, scope, interceptors, args);
    } catch (error) {
      this.running--;
      throw error;
    }
    return this.settle(outcome);
  }

  /** A handler's pending outcome: it stops running when it settles, its value encoded. */
  private settle(pending: Promise<unknown>): Promise<EncodedBody> {
    return pending.then(
      (value) => {
        this.running--;
        return encodeResult(value);
      },
      (error: unknown) => {
        this.running--;
        throw error;
      },
    );
  }

  private runChain(
    instance: FunctionInstance,
    scope: InvocationScope,
    interceptors: InterceptorFunction[],
    args: unknown[],
  ): Promise<unknown> {
    const method = this.plan.hooks.invoke!.method;
    const invocation: Invocation = {
      functionName: this.plan.name,
      functionClass: this.plan.target,
      method,
      instance,
      event: this.eventIndex === -1 ? undefined : args[this.eventIndex],
      args,
      context: scope.context,
    };
    const handler = (current: readonly unknown[]) => instance[method](...current);
    return runInterceptors(interceptors, invocation, handler, this.eventIndex);
  }

  private async initializeAndInvoke(scope: InvocationScope): Promise<EncodedBody> {
    this.running++;
    let instance: FunctionInstance;
    try {
      instance = await this.gate.enter(scope, scope.context.signal);
    } finally {
      this.running--;
    }
    scope.markStart();
    return this.invoke(instance, scope);
  }

  private async lifecycle(kind: 'preStop' | 'preFreeze', scope: InvocationScope): Promise<EncodedBody> {
    // An invocation still running finishes after this hook: a later pre-stop must flush it.
    if (kind === 'preStop') this.ranSincePreStop = this.running > 0;
    const hook = this.plan.hooks[kind];
    // Nothing to stop or freeze in a function that never initialized.
    if (hook && this.gate.initialized) await callHook(this.gate.result, hook, scope);
    return NO_BODY;
  }

  /**
   * The gate's run: create the instance from the root container, then call `@OnInitialize`, as an
   * invocation of its own under the request id of `starter`, the request that found the function
   * uninitialized. Every request that arrives meanwhile shares it: a request's function timeout or
   * its caller going away ends that request's wait alone. The run's own signal aborts at the
   * initialization timeout `starter` was sent, or once no request waits for it any more. Its
   * failure is redacted with the starter's secrets before anyone else sees it.
   */
  private initialize(starter: InvocationScope): InitializationRun<FunctionInstance> {
    const hook = this.plan.hooks.initialize;
    const run = this.invocations.create({
      kind: 'initialize',
      functionName: this.name,
      requestId: starter.requestId,
      headers: starter.headers,
      body: EMPTY,
      redact: starter.redact,
      timeoutSeconds: timeoutSecondsOf(starter.headers, 'x-fc-initialization-timeout'),
    });
    // An /invoke that arrives first shows the initializer between Initialize markers before its
    // own; an /initialize prints them itself.
    const logging = starter.kind !== 'initialize' && hook !== undefined ? RUN : UNMARKED_RUN;
    const outcome = this.invocations.run(run, { run: (scope) => this.create(hook, scope) }, logging);
    return {
      // Requests with other credentials may share the failure: it leaves the run with none of
      // the starter's secrets in it.
      promise: outcome.catch((error: unknown) => Promise.reject(new RedactedFailure(error, run.redact))),
      abandon: () => run.abort(new Error('Initialization abandoned: no request waits for it any more')),
    };
  }

  /** Any failure here is the initializer's, even a `TimeoutError` of its own. */
  private async create(hook: HookPlan | undefined, scope: InvocationScope): Promise<FunctionInstance> {
    try {
      const instance = this.root.resolve(this.plan.target) as FunctionInstance;
      if (hook) await callHook(instance, hook, scope);
      this.afterInitialize?.();
      return instance;
    } catch (error) {
      throw new InitializationError(this.plan.name, error);
    }
  }
}

/** A lifecycle route: FC's function timeout applies to it. */
function lifecycleRoute(
  kind: 'preStop' | 'preFreeze',
  run: (scope: InvocationScope) => Promise<EncodedBody>,
): FunctionRoute {
  return { kind, logging: REQUEST, timeoutHeader: 'x-fc-function-timeout', run };
}

/**
 * Calls a hook with the arguments its plan produces. Only an event may be a promise, and only
 * when its engine validates asynchronously: otherwise no promise is made here.
 */
function callHook(instance: FunctionInstance, hook: HookPlan, scope: InvocationScope): unknown {
  const args = argumentsOf(hook, scope);
  return args instanceof Promise
    ? args.then((settled) => instance[hook.method](...settled))
    : instance[hook.method](...args);
}

/** The arguments of a hook call; a promise of them only while an event is still being validated. */
function argumentsOf(hook: HookPlan, scope: InvocationScope): unknown[] | Promise<unknown[]> {
  const resolvers = hook.params;
  const args = new Array<unknown>(resolvers.length);
  let pending = false;
  for (let i = 0; i < resolvers.length; i++) {
    const arg = resolvers[i](scope);
    args[i] = arg;
    if (hook.asyncParams && arg instanceof Promise) pending = true;
  }
  return pending ? settled(args) : args;
}

/** What `await` would wait for: a promise, or any object or function with a `then` method. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

async function settled(args: unknown[]): Promise<unknown[]> {
  for (let i = 0; i < args.length; i++) if (args[i] instanceof Promise) args[i] = await args[i];
  return args;
}
