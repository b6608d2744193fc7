import type { DependencyContainer } from 'tsyringe';
import type { LogFormat, LogLevelName } from '../logging/logFormat';
import type { LogSink } from '../logging/LogSink';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';
import type { EventValidationOptions } from '../validation/options';
import type { Interceptor, InterceptorFunction } from './interceptor';
import type { FcContext } from '../context/FcContext';
import type { EventType, HookKind } from '../metadata/records';

// The providers' setup carries these options, and the options list providers: one file holds both.

/**
 * What `createKernel` takes (and `serve()`, with its server's options). A layer adds its own keys
 * with module augmentation, and reads them in its providers' `forHandler(setup)`:
 *
 * @example
 * ```ts
 * declare module 'fc-kernel' {
 *   interface KernelOptions {
 *     audit?: { sink: AuditSink };
 *   }
 * }
 * ```
 */
export interface KernelOptions {
  /** The `@FcFunction` classes this kernel serves. */
  functions: Constructor[];
  /** Parent of the kernel's root container (default: tsyringe's global container). */
  container?: DependencyContainer;
  /** Event validation settings and engine, layered over the pinned safe defaults. */
  validation?: EventValidationOptions;
  /** Largest accepted request body in bytes (default 32 MB). */
  bodyLimit?: number;
  /** Where log and marker lines go (default: stdout, batched per event-loop turn). */
  logSink?: LogSink;
  /**
   * `'json'` writes each log line as one JSON object (time, level, request id, message, trace and
   * span ids, fields) for the log store's JSON index; FC's marker lines stay as FC needs them.
   * Default: `FC_KERNEL_LOG_FORMAT`, else `'text'` (FC's own line format).
   */
  logFormat?: LogFormat;
  /**
   * The lowest level written: `'debug'` (every line), `'info'`, `'warn'` or `'error'`. Default:
   * `FC_KERNEL_LOG_LEVEL`, else `'debug'`. The kernel's own failure lines are errors.
   */
  logLevel?: LogLevelName;
  /**
   * Whether `console.log`, `info`, `warn`, `error` and `debug` called inside an invocation are
   * written through its logger, as FC's official Node.js runtime does: one line with the time,
   * request id and level, redacted, to `logSink` (default `true`). `false` leaves console alone.
   */
  console?: boolean;
  /**
   * Environment read at creation: `FC_FUNCTION_NAME` and the credentials, `ALIBABA_CLOUD_*` (FC 3.0)
   * or `FC_ACCESS_KEY_ID`, `FC_ACCESS_KEY_SECRET`, `FC_SECURITY_TOKEN` (FC 2.0 tooling), which are
   * redacted everywhere and are `ctx.credentials` of a request that carries none (default
   * `process.env`).
   */
  env?: NodeJS.ProcessEnv;
  /** Decorator records to compile (default: the process-wide store). */
  metadata?: MetadataStore;
  /**
   * A path answered `200` to `GET` and `HEAD`, as `/` always is, for a platform's readiness probe
   * (fc3's `customContainerConfig.healthCheckConfig.httpGetUrl`). Default: none besides `/`.
   */
  healthPath?: string;
  /**
   * Interceptors around every function's `@OnInvoke` handler, outermost first: they run outside
   * those of `@FcFunction({ interceptors })` and `@UseInterceptors`.
   */
  interceptors?: readonly InterceptorLike[];
  /**
   * Observers around every invocation of every route (`/invoke`, `/initialize`, `/pre-freeze`,
   * `/pre-stop`), outermost first: how the telemetry layer traces and measures.
   */
  observers?: readonly InvocationObserver[];
}

/**
 * An interceptor decided once per handler, at boot: `forHandler` returns the interceptor for that
 * handler, or `null` to add nothing there (a layer a function does not use costs it nothing). Its
 * `name` property, if any, is how `fc-kernel inspect` lists it.
 *
 * @example
 * ```ts
 * const audited: InterceptorProvider = {
 *   forHandler: (setup) =>
 *     setup.functionName.startsWith('admin-') ? (invocation, next) => next() : null,
 * };
 * ```
 */
export interface InterceptorProvider {
  forHandler(setup: InterceptorSetup): InterceptorFunction | null;
}

/** What an `InterceptorProvider` is told of the handler it is asked for. */
export interface InterceptorSetup {
  readonly functionName: string;
  readonly functionClass: Constructor;
  readonly method: string;
  /** What `createKernel` or `serve()` got: a layer reads its own option here. */
  readonly options: Readonly<KernelOptions>;
  /** The kernel's root container. */
  readonly container: DependencyContainer;
}

/**
 * What the registration points (`@UseInterceptors`, `@FcFunction({ interceptors })`, the kernel's
 * `interceptors`) accept: a function, a class (resolved from the root container at boot), an
 * object with `intercept`, or a provider.
 */
export type InterceptorLike = InterceptorFunction | Constructor<Interceptor> | Interceptor | InterceptorProvider;

/** Attributes a layer adds to the invocation it runs in (see `annotateInvocation`). */
export type InvocationAnnotations = Record<string, string | number | boolean>;

/** One invocation of any of FC's routes, as an observer sees it. */
export interface ObservedInvocation {
  readonly kind: HookKind;
  readonly functionName: string;
  readonly requestId: string;
  /** The invocation's context (`ctx`): its trace, region, logger... */
  readonly context: FcContext;
  /** A request header by its lower-case name, `''` when absent; FC's credential headers read as `''`. */
  header(name: string): string;
  /** Removes the invocation's secrets from text that leaves the process (an error's message, say). */
  redact(text: string): string;
  /** What code inside the invocation added with `annotateInvocation`, read once it has ended. */
  readonly annotations: Readonly<InvocationAnnotations>;
  /** Runs each record the invocation hands to `runRecord` through `observe` (a span per record). */
  observeRecords(observe: ObserveRecord): void;
}

/** One record of a batch, as `runRecord` names it. */
export interface ObservedRecord {
  /** Its position in the batch. */
  readonly index: number;
  /** Its id in the trigger's terms (a message id, a CloudEvent's `id`), when it has one. */
  readonly id?: string;
}

/** Runs around one record's work: calls `work` once and answers what it answers. */
export type ObserveRecord = (record: ObservedRecord, work: () => Promise<unknown>) => Promise<unknown>;

/**
 * Runs around one whole invocation (markers, deadline and failure included): calls `run` once
 * and answers what it answers, settling when the observer is done (a tracing layer ends its span
 * and, when the instance may be frozen after the answer, exports it first).
 */
export type ObserveInvocation = (invocation: ObservedInvocation, run: () => Promise<unknown>) => Promise<unknown>;

/** What an observer is told of the route it is asked for, at boot. */
export interface ObserverSetup {
  readonly functionName: string;
  readonly functionClass: Constructor;
  readonly kind: HookKind;
  /** The type of the `@OnInvoke` handler's event, as declared (undefined when it takes none). */
  readonly eventType: EventType | undefined;
  /** What `createKernel` or `serve()` got: a layer reads its own option here. */
  readonly options: Readonly<KernelOptions>;
  readonly container: DependencyContainer;
}

/**
 * Watches invocations of every route (`/invoke`, `/initialize`, `/pre-freeze`, `/pre-stop`), as
 * tracing and metrics do; decided once per function and route at boot, `null` for nothing there
 * (a route nobody observes runs exactly as without observers).
 *
 * @example
 * ```ts
 * const timed: InvocationObserver = {
 *   name: 'timed',
 *   forRoute: (setup) =>
 *     setup.kind !== 'invoke'
 *       ? null
 *       : async (invocation, run) => {
 *           const started = Date.now();
 *           try {
 *             return await run();
 *           } finally {
 *             invocation.context.logger.info(`took ${Date.now() - started} ms`);
 *           }
 *         },
 * };
 * ```
 */
export interface InvocationObserver {
  readonly name?: string;
  forRoute(setup: ObserverSetup): ObserveInvocation | null;
  /** Called once when the kernel shuts down (`kernel.preStop()`), after the last pre-stop hook. */
  shutdown?(): Promise<void>;
}
