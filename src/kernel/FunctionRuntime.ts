import type { DependencyContainer } from 'tsyringe';
import { RedactedFailure } from '../errors/errorBody';
import { InitializationError } from '../errors/FcError';
import type { HookKind } from '../metadata/records';
import type { FunctionPlan, HookPlan } from './compileFunctionPlan';
import { timeoutSecondsOf } from './deadline';
import { encodeResult, type EncodedBody } from './encodeResult';
import { InitializationGate, type InitializationRun } from './InitializationGate';
import type { InvocationFactory, InvocationLogging, InvocationWork } from './InvocationFactory';
import type { InvocationScope } from './InvocationScope';

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
 * One function of a kernel: its compiled plan, its instance (created from the root container at
 * initialization) and its lifecycle state. Runs each hook for the kernel, which owns the
 * invocation around it (context, markers, deadline, container).
 */
export class FunctionRuntime implements InvocationWork<EncodedBody> {
  private readonly gate = new InitializationGate<FunctionInstance, InvocationScope>((starter) =>
    this.initialize(starter),
  );
  /** Whether an invocation has run since the last pre-stop began: only then is there work to flush. */
  private ranSincePreStop = false;
  /** Invocations whose handler has not settled yet (a timed-out one included). */
  private running = 0;

  /** `afterInitialize` runs once `@OnInitialize` has succeeded; throwing fails the initialization. */
  constructor(
    readonly plan: FunctionPlan,
    private readonly root: DependencyContainer,
    private readonly invocations: InvocationFactory,
    private readonly afterInitialize?: () => void,
  ) {}

  get name(): string {
    return this.plan.name;
  }

  /** Whether the kernel still has to run `@OnPreStop` when the process shuts down. */
  get needsPreStop(): boolean {
    return this.ranSincePreStop && this.plan.hooks.preStop !== undefined && this.gate.initialized;
  }

  /** How a request of `kind` shows in the log. */
  loggingOf(kind: HookKind): InvocationLogging {
    if (kind === 'initialize') return this.plan.hooks.initialize !== undefined ? REQUEST : UNMARKED_REQUEST;
    // Only the request that starts the run would see its own Initialize markers inside its Invoke ones.
    return kind === 'invoke' && !this.gate.initialized && !this.gate.running && this.plan.hooks.initialize
      ? INITIALIZING_REQUEST
      : REQUEST;
  }

  /**
   * Runs the hook of `kind` for the invocation `scope`; an invoke's result comes back encoded. A
   * synchronous handler of an initialized function is answered at once, without a promise.
   */
  run(kind: HookKind, scope: InvocationScope): EncodedBody | Promise<EncodedBody> {
    switch (kind) {
      case 'initialize':
        this.ranSincePreStop = true;
        return this.gate.enter(scope, scope.context.signal).then(() => NO_BODY);
      case 'invoke':
        this.ranSincePreStop = true;
        // FC 3.0's local emulator never calls /initialize: the first /invoke initializes.
        return this.gate.initialized ? this.invoke(this.gate.result, scope) : this.initializeAndInvoke(scope);
      case 'preStop':
      case 'preFreeze':
        return this.lifecycle(kind, scope);
    }
  }

  private invoke(instance: FunctionInstance, scope: InvocationScope): EncodedBody | Promise<EncodedBody> {
    this.running++;
    let result: unknown;
    try {
      result = callHook(instance, this.plan.hooks.invoke!, scope);
    } catch (error) {
      this.running--;
      throw error;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
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
    this.running--;
    return encodeResult(result);
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
    const outcome = this.invocations.run(run, { run: (_kind, scope) => this.create(hook, scope) }, logging);
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

/**
 * Calls a hook with the arguments its plan produces. Only an event may be a promise, and only
 * when its engine validates asynchronously: otherwise no promise is made here.
 */
function callHook(instance: FunctionInstance, hook: HookPlan, scope: InvocationScope): unknown {
  const resolvers = hook.params;
  const args = new Array<unknown>(resolvers.length);
  let pending = false;
  for (let i = 0; i < resolvers.length; i++) {
    const arg = resolvers[i](scope);
    args[i] = arg;
    if (hook.asyncParams && arg instanceof Promise) pending = true;
  }
  return pending ? callWithSettled(instance, hook, args) : instance[hook.method](...args);
}

/** What `await` would wait for: a promise, or any object or function with a `then` method. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

async function callWithSettled(instance: FunctionInstance, hook: HookPlan, args: unknown[]): Promise<unknown> {
  for (let i = 0; i < args.length; i++) if (args[i] instanceof Promise) args[i] = await args[i];
  return instance[hook.method](...args);
}
