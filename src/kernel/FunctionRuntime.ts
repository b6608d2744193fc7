import type { DependencyContainer } from 'tsyringe';
import { currentInvocation } from '../context/invocation';
import { InitializationError, TimeoutError } from '../errors/FcError';
import { endMarker, startMarker } from '../logging/markers';
import type { HookKind } from '../metadata/records';
import type { FunctionPlan, HookPlan } from './compileFunctionPlan';
import { timeoutSecondsOf, withDeadline } from './deadline';
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
  private preStopCalled = false;

  constructor(
    readonly plan: FunctionPlan,
    private readonly root: DependencyContainer,
  ) {}

  get name(): string {
    return this.plan.name;
  }

  /** Whether the kernel still has to run `@OnPreStop` when the process shuts down. */
  get needsPreStop(): boolean {
    return !this.preStopCalled && this.plan.hooks.preStop !== undefined && this.gate.initialized;
  }

  /** Runs the hook of `kind` for the invocation `scope`; an invoke's result comes back encoded. */
  async run(kind: HookKind, scope: InvocationScope): Promise<EncodedBody> {
    switch (kind) {
      case 'initialize':
        await this.enter();
        return NO_BODY;
      case 'invoke': {
        const instance = this.gate.initialized ? this.gate.result : await this.initializeFirst(scope);
        return encodeResult(await callHook(instance, this.plan.hooks.invoke!, scope));
      }
      case 'preStop':
      case 'preFreeze': {
        if (kind === 'preStop') this.preStopCalled = true;
        const hook = this.plan.hooks[kind];
        // Nothing to stop or freeze in a function that never initialized.
        if (hook && this.gate.initialized) await callHook(this.gate.result, hook, scope);
        return NO_BODY;
      }
    }
  }

  /** FC retries a timed-out initializer: the retry must not join the hung run. */
  abandonInitialization(): void {
    this.gate.abandon();
  }

  private async enter(): Promise<FunctionInstance> {
    try {
      return await this.gate.enter();
    } catch (error) {
      if (error instanceof TimeoutError) throw error;
      throw new InitializationError(this.plan.name, error);
    }
  }

  /**
   * An /invoke that finds its function uninitialised initializes it first (FC 3.0's local
   * emulator never calls /initialize), bounded like an /initialize by FC's initialization timeout.
   */
  private async initializeFirst(scope: InvocationScope): Promise<FunctionInstance> {
    const entering = this.enter();
    const seconds = timeoutSecondsOf(scope.headers, 'x-fc-initialization-timeout');
    if (seconds === undefined) return entering;
    const deadline = withDeadline(entering, seconds, 'Initialization', (timeout) => {
      this.gate.abandon();
      scope.abort(timeout);
    });
    try {
      return await deadline.promise;
    } finally {
      deadline.cancel();
    }
  }

  /** The gate's run: create the instance from the root container, then call `@OnInitialize`. */
  private async initialize(): Promise<FunctionInstance> {
    const current = currentInvocation();
    const scope = current instanceof InvocationScope ? current : undefined;
    const hook = this.plan.hooks.initialize;
    // An /invoke that arrives first runs the initializer under its own request id, between
    // markers; FC prints Initialize markers only when an initializer runs.
    const implicit = scope !== undefined && scope.kind !== 'initialize' && hook !== undefined;
    if (implicit) scope.logger.raw(startMarker('initialize', scope.requestId));
    try {
      const instance = this.root.resolve(this.plan.target) as FunctionInstance;
      if (hook && scope) await callHook(instance, hook, scope);
      if (implicit) scope.logger.raw(endMarker('initialize', scope.requestId));
      return instance;
    } catch (error) {
      if (implicit) scope.logger.raw(endMarker('initialize', scope.requestId, { handled: false }));
      throw error;
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
