import type { DependencyContainer } from 'tsyringe';
import { FcContext } from '../context/FcContext';
import { currentInvocation, runInInvocation } from '../context/invocation';
import { InitializationError, TimeoutError } from '../errors/FcError';
import { endMarker, startMarker } from '../logging/markers';
import type { HookKind } from '../metadata/records';
import type { FunctionPlan, HookPlan } from './compileFunctionPlan';
import { timeoutSecondsOf } from './deadline';
import { encodeResult, type EncodedBody } from './encodeResult';
import { InitializationGate } from './InitializationGate';
import { InvocationScope } from './InvocationScope';

/** A function class's instance, as the kernel calls it. */
type FunctionInstance = Record<string, (...args: unknown[]) => unknown>;

const NO_BODY: EncodedBody = { body: '' };

/**
 * One function of a kernel: its compiled plan, its instance (created from the root container at
 * initialization) and its lifecycle state. Runs each hook for the kernel, which owns the
 * invocation around it (context, markers, deadline, container).
 */
export class FunctionRuntime {
  private readonly gate = new InitializationGate<FunctionInstance>(() => this.initialize());
  /** Whether an invocation has run since the last pre-stop began: only then is there work to flush. */
  private ranSincePreStop = false;
  /** Invocations whose handler has not settled yet (a timed-out one included). */
  private running = 0;

  constructor(
    readonly plan: FunctionPlan,
    private readonly root: DependencyContainer,
  ) {}

  get name(): string {
    return this.plan.name;
  }

  /** Whether the kernel still has to run `@OnPreStop` when the process shuts down. */
  get needsPreStop(): boolean {
    return this.ranSincePreStop && this.plan.hooks.preStop !== undefined && this.gate.initialized;
  }

  /** Runs the hook of `kind` for the invocation `scope`; an invoke's result comes back encoded. */
  async run(kind: HookKind, scope: InvocationScope): Promise<EncodedBody> {
    switch (kind) {
      case 'initialize':
        this.ranSincePreStop = true;
        await this.gate.enter();
        return NO_BODY;
      case 'invoke': {
        this.ranSincePreStop = true;
        this.running++;
        try {
          // FC 3.0's local emulator never calls /initialize: the first /invoke initializes.
          const instance = this.gate.initialized ? this.gate.result : await this.gate.enter();
          return encodeResult(await callHook(instance, this.plan.hooks.invoke!, scope));
        } finally {
          this.running--;
        }
      }
      case 'preStop':
      case 'preFreeze': {
        // An invocation still running finishes after this hook: a later pre-stop must flush it.
        if (kind === 'preStop') this.ranSincePreStop = this.running > 0;
        const hook = this.plan.hooks[kind];
        // Nothing to stop or freeze in a function that never initialized.
        if (hook && this.gate.initialized) await callHook(this.gate.result, hook, scope);
        return NO_BODY;
      }
    }
  }

  /**
   * The gate's run: create the instance from the root container, then call `@OnInitialize`. Every
   * caller that enters meanwhile shares it, so it is bounded by the initialization timeout of the
   * caller that started it and fails everyone only with its own outcome; another caller's
   * timeout ends only that caller's wait.
   */
  private async initialize(): Promise<FunctionInstance> {
    // The kernel enters the gate only from within an invocation.
    const starter = currentInvocation() as InvocationScope;
    const seconds = timeoutSecondsOf(starter.headers, 'x-fc-initialization-timeout');
    const hook = this.plan.hooks.initialize;
    const implicit = starter.kind !== 'initialize';
    const scope = implicit ? initializationScope(starter, seconds) : starter;
    // An /invoke that arrives first runs the initializer under its own request id, between
    // markers; FC prints Initialize markers only when an initializer runs.
    const markers = implicit && hook !== undefined;
    if (markers) starter.logger.raw(startMarker('initialize', starter.requestId));
    const work = runInInvocation(scope, () => this.create(hook, scope));
    // The run times out when its signal aborts with a TimeoutError: at an /initialize's deadline
    // (the kernel aborts it), or at the initialization timeout an implicit run keeps itself.
    const signal = scope.context.signal;
    let onAbort!: () => void;
    const timedOut = new Promise<never>((_, reject) => {
      onAbort = () => {
        if (!(signal.reason instanceof TimeoutError)) return;
        // FC retries a timed-out initializer: the retry must not join the hung run.
        this.gate.abandon();
        reject(signal.reason);
      };
    });
    signal.addEventListener('abort', onAbort);
    const timer =
      implicit && seconds !== undefined
        ? setTimeout(() => scope.abort(new TimeoutError('Initialization', seconds)), seconds * 1000)
        : undefined;
    // The race settles once: an abandoned run's late outcome prints nothing.
    try {
      const instance = await Promise.race([work, timedOut]);
      if (markers) starter.logger.raw(endMarker('initialize', starter.requestId));
      return instance;
    } catch (error) {
      if (markers) starter.logger.raw(endMarker('initialize', starter.requestId, { handled: false }));
      throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Any failure here is the initializer's, even a `TimeoutError` of its own. */
  private async create(hook: HookPlan | undefined, scope: InvocationScope): Promise<FunctionInstance> {
    try {
      const instance = this.root.resolve(this.plan.target) as FunctionInstance;
      if (hook) await callHook(instance, hook, scope);
      return instance;
    } catch (error) {
      throw new InitializationError(this.plan.name, error);
    }
  }
}

/** Calls a hook with the arguments its plan produces; only an event may need awaiting. */
async function callHook(instance: FunctionInstance, hook: HookPlan, scope: InvocationScope): Promise<unknown> {
  const resolvers = hook.params;
  const args = new Array<unknown>(resolvers.length);
  for (let i = 0; i < resolvers.length; i++) args[i] = resolvers[i]!(scope);
  if (hook.asyncParams) {
    for (let i = 0; i < args.length; i++) if (args[i] instanceof Promise) args[i] = await args[i];
  }
  return instance[hook.method]!(...args);
}

/**
 * The initializer's own invocation when an /invoke starts initialization: the same request id,
 * logger, headers and container, but a signal and deadline of its own, from FC's initialization
 * timeout alone, so the invocation's function timeout or its caller going away cannot abort a
 * run that others may have joined.
 */
function initializationScope(starter: InvocationScope, seconds: number | undefined): InvocationScope {
  const controller = new AbortController();
  const context = new FcContext({
    requestId: starter.requestId,
    headers: starter.headers,
    logger: starter.logger,
    deadline: seconds === undefined ? Infinity : Date.now() + seconds * 1000,
    signal: () => controller.signal,
    fallbackCredentials: starter.context.credentials,
  });
  return new InvocationScope(
    'initialize',
    starter.functionName,
    starter.requestId,
    context,
    starter.logger,
    starter.container,
    starter.headers,
    starter.body,
    controller,
  );
}
