import { randomUUID } from 'node:crypto';
import type { DependencyContainer } from 'tsyringe';
import { environmentCredentials, headerCredentials } from '../context/credentials';
import { headerValue, normalizeHeaders, type RequestHeaders } from '../context/headers';
import { currentInvocation } from '../context/invocation';
import { createRootContainer } from '../di/containers';
import { declaredProviders, registerFunctionProviders } from '../di/functionProviders';
import { ConfigurationError } from '../errors/ConfigurationError';
import { describeFailure, toErrorBody } from '../errors/errorBody';
import {
  FunctionNotFoundError,
  InstanceStoppingError,
  PayloadTooLargeError,
  RouteNotFoundError,
} from '../errors/FcError';
import type { FcLogger } from '../logging/FcLogger';
import { loggerMaker, type MakeLogger } from '../logging/logFormat';
import { stdoutSink } from '../logging/LogSink';
import { CredentialMemory } from '../logging/CredentialMemory';
import { environmentSecrets } from '../context/credentials';
import { prepareSecrets, type Redact } from '../logging/redaction';
import { metadataStore as defaultStore } from '../metadata/MetadataStore';
import { DEFAULT_EVENT_VALIDATOR } from '../validation/defaultEngine';
import { resolveValidationOptions } from '../validation/options';
import { assertCompatibleLibraries } from './assertCompatibleLibraries';
import type { CallerSignal } from './CallerSignal';
import { checkDependencies } from './checkDependencies';
import { compileFunctionPlan, duplicateFunctionName } from './compileFunctionPlan';
import { interceptorResolver } from './compileInterceptors';
import { encodeJson, type EncodedBody } from './encodeResult';
import { FunctionRuntime, type FunctionRoute } from './FunctionRuntime';
import { InvocationFactory } from './InvocationFactory';
import { timeoutSecondsOf } from './deadline';
import type { KernelOptions } from './KernelOptions';
import { compileObservers, observedInvocation } from './compileObservers';
import type { InvocationObserver } from './KernelOptions';
import { checkHealthPath, pathOf, routeOf } from './routes';

export type { CallerSignal } from './CallerSignal';
export type { KernelOptions } from './KernelOptions';

/** FC's limit for synchronous invocations. */
export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

/** A request as any transport hands it to the kernel. */
export interface KernelRequest {
  method: string;
  /** The request path; a query string is ignored. */
  path: string;
  headers?: RequestHeaders;
  body?: Buffer | Uint8Array | string;
  /** Aborted when the caller goes away; the invocation's `ctx.signal` follows it. */
  signal?: CallerSignal;
}

/** What the transport writes back. `headers` always holds `x-fc-status`. */
export interface KernelResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** What the shutdown's pre-stop did. */
export interface PreStopOutcome {
  /** The functions whose `@OnPreStop` ran. */
  ran: string[];
  /** Those of them whose hook failed or timed out. */
  failed: string[];
}

const EMPTY = Buffer.alloc(0);

/**
 * Runs decorated functions on FC's custom-container contract, with no transport: `dispatch`
 * takes a request and answers a response. The HTTP server and the environment-event runner are
 * thin adapters over it.
 */
export class Kernel {
  readonly bodyLimit: number;
  readonly root: DependencyContainer;
  private readonly functions = new Map<string, FunctionRuntime>();
  private readonly observers: readonly InvocationObserver[];
  private readonly single: FunctionRuntime | undefined;
  private readonly defaultName: string | undefined;
  private readonly makeLogger: MakeLogger;
  // Private fields, not `private` properties: inspect(kernel) must not print the credentials.
  readonly #credentials: CredentialMemory;
  readonly #invocations: InvocationFactory;
  private readonly healthPath: string | undefined;
  private closed = false;
  /** The shutdown's pre-stop has begun: no invocation starts any more. */
  private shuttingDown = false;
  /** FC's `/pre-stop` calls running: no invocation starts while one does. */
  private preStopsRunning = 0;

  constructor(options: KernelOptions) {
    if (!options.functions || options.functions.length === 0) {
      throw new ConfigurationError('NO_FUNCTIONS', 'createKernel needs at least one @FcFunction class in `functions`');
    }
    assertCompatibleLibraries();
    const env = options.env ?? process.env;
    const validator = options.validation?.validator ?? DEFAULT_EVENT_VALIDATOR;
    const store = options.metadata ?? defaultStore;
    this.root = createRootContainer(options.container);
    registerFunctionProviders(this.root, declaredProviders(options.functions, store));
    this.makeLogger = loggerMaker(options, env, options.logSink ?? stdoutSink);
    this.#credentials = new CredentialMemory(prepareSecrets(environmentSecrets(env)));
    this.#invocations = new InvocationFactory(
      this.root,
      this.makeLogger,
      environmentCredentials(env),
      options.console !== false,
    );
    // Warnings found at boot belong to no request.
    const bootLogger = this.makeLogger('-', this.#credentials.everything);
    const resolveInterceptor = interceptorResolver(this.root, options);
    this.observers = options.observers ?? [];
    for (const target of options.functions) {
      const plan = compileFunctionPlan(target, store, {
        validator,
        validation: (fnOptions) => resolveValidationOptions(options.validation, fnOptions.validation),
        interceptors: options.interceptors,
        resolveInterceptor,
      });
      const clash = this.functions.get(plan.name);
      if (clash) throw duplicateFunctionName(plan.name, clash.plan.target, target);
      const dependencies = checkDependencies(target, store, this.root);
      for (const warning of dependencies.warnings) bootLogger.warn(warning);
      const observers = compileObservers(this.observers, {
        functionName: plan.name,
        functionClass: target,
        eventType: plan.hooks.invoke?.sources.find((source) => source.kind === 'event')?.type,
        options,
        container: this.root,
      });
      const runtime = new FunctionRuntime(
        plan,
        this.root,
        this.#invocations,
        dependencies.afterInitialization,
        observers,
      );
      this.functions.set(plan.name, runtime);
    }
    this.single = this.functions.size === 1 ? [...this.functions.values()][0] : undefined;
    this.defaultName = env.FC_FUNCTION_NAME || undefined;
    this.bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    checkHealthPath(options.healthPath);
    this.healthPath = options.healthPath;
  }

  /** The names this kernel answers to. */
  get functionNames(): string[] {
    return [...this.functions.keys()];
  }

  /**
   * Whether the kernel refuses to start invocations because a pre-stop has begun: FC's
   * `/pre-stop`, while it runs, or the shutdown's (`preStop()`), for good. Such requests are
   * answered with `InstanceStoppingError`; a transport closes their connections.
   */
  get stopping(): boolean {
    return this.shuttingDown || this.preStopsRunning > 0;
  }

  /** Answers one request. Never rejects: every failure becomes FC's error response. */
  dispatch(request: KernelRequest): Promise<KernelResponse> {
    return Promise.resolve(this.respond(request));
  }

  /**
   * `dispatch` for transports that write the answer themselves: the response at once when the
   * request was answered synchronously (a route refused, a synchronous handler), else a promise of
   * it. Never throws or rejects.
   */
  respond(request: KernelRequest): KernelResponse | Promise<KernelResponse> {
    const headers = normalizeHeaders(request.headers);
    const redact = this.redactorFor(headers);
    try {
      const method = request.method.toUpperCase();
      const path = pathOf(request.path);
      const kind = routeOf(method, path, this.healthPath);
      if (!kind) throw new RouteNotFoundError(method, path);
      if (this.closed) throw new RouteNotFoundError(method, `${path} (the kernel is closed)`);
      // Whatever starts now would run after the hook that flushes its effects.
      if (kind !== 'preStop' && this.stopping) throw new InstanceStoppingError();
      if (kind === 'health') return healthy();
      const runtime = this.select(headers);
      const body = toBuffer(request.body);
      if (body.length > this.bodyLimit) throw new PayloadTooLargeError(this.bodyLimit);
      const requestId = headerValue(headers, 'x-fc-request-id') || randomUUID();
      const route = runtime.routes[kind];
      if (kind !== 'preStop') return this.run(runtime, route, requestId, headers, body, redact, request.signal);
      return this.runPreStop(runtime, route, requestId, headers, body, request.signal);
    } catch (error) {
      return this.refuse(error, headers);
    }
  }

  /** FC's `/pre-stop`: no invocation starts while it runs. */
  private async runPreStop(
    runtime: FunctionRuntime,
    route: FunctionRoute,
    requestId: string,
    headers: RequestHeaders,
    body: Buffer,
    signal: CallerSignal | undefined,
  ): Promise<KernelResponse> {
    // A pre-stop hook flushes what earlier requests left, with whatever credentials they carried.
    this.preStopsRunning++;
    try {
      return await this.run(runtime, route, requestId, headers, body, this.#credentials.everything, signal);
    } finally {
      this.preStopsRunning--;
    }
  }

  /**
   * FC's error answer to a request refused before an invocation exists (unknown route or
   * function, body too large, unparseable HTTP): one `[ERROR]` log line, no markers. Transports
   * call it for what they refuse themselves.
   */
  refuse(error: unknown, headers: RequestHeaders = {}): KernelResponse {
    const redact = this.redactorFor(headers);
    const requestId = headerValue(headers, 'x-fc-request-id') || '-';
    this.makeLogger(requestId, redact).error(describeFailure(error));
    return errorResponse(error, redact);
  }

  /**
   * The last step of a graceful shutdown: from now on no invocation starts (they are answered
   * with `InstanceStoppingError`), and `@OnPreStop` runs for every initialized function that has
   * run since its last pre-stop began (an FC `/pre-stop` on an instance that had not run yet, or
   * before more work arrived, does not count). Its lines and errors are redacted with every
   * credential set the kernel remembers, as `/pre-stop`'s are. With `timeoutMs`, the hooks
   * together get that long: one still running then is answered as timed out (its `ctx.signal`
   * aborts) and shutdown goes on. `requestId` groups their log lines (default: a
   * `shutdown-<uuid>` id).
   */
  async preStop(options: { timeoutMs?: number; requestId?: string } = {}): Promise<PreStopOutcome> {
    this.shuttingDown = true;
    const { timeoutMs, requestId = `shutdown-${randomUUID()}` } = options;
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const outcome: PreStopOutcome = { ran: [], failed: [] };
    for (const runtime of this.functions.values()) {
      if (!runtime.needsPreStop) continue;
      // The hook gets its time the way FC passes it, so it times out like any invocation.
      const headers: RequestHeaders =
        deadline === undefined ? {} : { 'x-fc-function-timeout': String(Math.max(deadline - Date.now(), 1) / 1000) };
      const answer = await this.run(
        runtime,
        runtime.routes.preStop,
        requestId,
        headers,
        EMPTY,
        this.#credentials.everything,
      );
      outcome.ran.push(runtime.name);
      if (answer.statusCode !== 200) outcome.failed.push(runtime.name);
    }
    for (const observer of this.observers) {
      try {
        await observer.shutdown?.();
      } catch (error) {
        this.makeLogger(requestId, this.#credentials.everything).error(
          `The observer ${observer.name ?? '(unnamed)'} failed to shut down: ${describeFailure(error)}`,
        );
      }
    }
    return outcome;
  }

  /**
   * Logs a promise rejection nobody handled, under the request id of the invocation whose work it
   * was (Node runs `unhandledRejection` listeners in the rejected promise's async context) and
   * with that invocation's secrets redacted; outside any invocation under `-`, redacted with every
   * credential set the kernel remembers. `serve()` calls it.
   */
  logUnhandledRejection(reason: unknown): void {
    this.logProcessFault('Unhandled promise rejection', reason);
  }

  /**
   * Logs an exception nobody caught (a throw in a handler's timer, an `'error'` event without a
   * listener) as `logUnhandledRejection` logs a rejection. `serve()` calls it, then shuts down.
   */
  logUncaughtException(error: unknown): void {
    this.logProcessFault('Uncaught exception', error);
  }

  private logProcessFault(title: string, reason: unknown): void {
    const logger: FcLogger = currentInvocation()?.logger ?? this.makeLogger('-', this.#credentials.everything);
    logger.error(`${title}:`, reason);
  }

  /** Disposes the root container (and with it singletons that are disposable). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.root.dispose();
  }

  private select(headers: RequestHeaders): FunctionRuntime {
    if (this.single) return this.single;
    const name = headerValue(headers, 'x-fc-function-name') || this.defaultName;
    const runtime = name === undefined ? undefined : this.functions.get(name);
    if (!runtime) throw new FunctionNotFoundError(name, this.functionNames);
    return runtime;
  }

  /** The redactor of a request: its own credentials and the environment's (remembering them). */
  private redactorFor(headers: RequestHeaders): Redact {
    const { accessKeyId, accessKeySecret, securityToken } = headerCredentials(headers);
    return this.#credentials.redactorFor(accessKeyId, accessKeySecret, securityToken);
  }

  /** Runs one invocation of `route`; its failure is FC's error response. */
  private run(
    runtime: FunctionRuntime,
    route: FunctionRoute,
    requestId: string,
    headers: RequestHeaders,
    body: Buffer,
    redact: Redact,
    callerSignal?: CallerSignal,
  ): KernelResponse | Promise<KernelResponse> {
    const invocation = this.#invocations.create({
      kind: route.kind,
      functionName: runtime.name,
      requestId,
      headers,
      body,
      redact,
      timeoutSeconds: timeoutSecondsOf(headers, route.timeoutHeader),
    });
    const observe = runtime.observers?.[route.kind];
    let outcome: EncodedBody | Promise<EncodedBody>;
    try {
      outcome = observe
        ? (observe(observedInvocation(invocation), () =>
            this.#invocations.run(invocation, route, route.logging, callerSignal),
          ) as Promise<EncodedBody>)
        : this.#invocations.runNow(invocation, route, route.logging, callerSignal);
    } catch (error) {
      return errorResponse(error, redact);
    }
    if (!(outcome instanceof Promise)) return response(200, outcome);
    return outcome.then(
      (encoded) => response(200, encoded),
      (error: unknown) => errorResponse(error, redact),
    );
  }
}

/** Creates a kernel: compiles every function's plan now, so misconfiguration fails here. */
export function createKernel(options: KernelOptions): Kernel {
  return new Kernel(options);
}

/** A readiness probe's answer: no body, no log line. */
function healthy(): KernelResponse {
  return { statusCode: 200, headers: { 'x-fc-status': '200' }, body: '' };
}

function response(statusCode: number, encoded: EncodedBody): KernelResponse {
  const headers: Record<string, string> = { 'x-fc-status': String(statusCode) };
  if (encoded.contentType) headers['content-type'] = encoded.contentType;
  return { statusCode, headers, body: encoded.body };
}

function errorResponse(error: unknown, redact: Redact): KernelResponse {
  return response(404, encodeJson(toErrorBody(error, redact)));
}

function toBuffer(body: KernelRequest['body']): Buffer {
  if (body === undefined) return EMPTY;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
