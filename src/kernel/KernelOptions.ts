import type { DependencyContainer } from 'tsyringe';
import type { LogSink } from '../logging/LogSink';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';
import type { EventValidationOptions } from '../validation/options';
import type { Interceptor, InterceptorFunction } from './interceptor';

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
