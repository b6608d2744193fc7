import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import { headerValue, type RequestHeaders } from '../context/headers';
import { isolateSingletons } from '../di/containers';
import {
  createKernel,
  type Kernel,
  type KernelOptions,
  type KernelRequest,
  type KernelResponse,
} from '../kernel/Kernel';
import type { LogSink } from '../logging/LogSink';
import type { Constructor } from '../metadata/records';
import { LogCapture } from './LogCapture';
import { registerOverrides, type Override } from './overrides';
import { newRequestId } from '../context/requestId';
import { toTestResponse, type TestResponse } from './TestResponse';

/**
 * How a test kernel is made: the options of `createKernel` (but `functions`, given apart), plus
 * overrides and headers.
 *
 * @example
 * ```ts
 * const options: TestKernelOptions = {
 *   overrides: [[ORDER_REPOSITORY, { useValue: new InMemoryOrderRepository() }]],
 *   headers: { 'x-fc-region': 'cn-hangzhou' },
 *   env: { FC_FUNCTION_NAME: 'create-order' },
 *   validation: { stopAtFirstError: true },
 * };
 * ```
 */
export interface TestKernelOptions extends Omit<KernelOptions, 'functions' | 'logSink' | 'env'> {
  /**
   * Services replaced by token or class, each with a tsyringe provider (see {@link Override}).
   * They are registered on a child of `container` (default: tsyringe's global container) made for
   * this test kernel alone, so other kernels and tests never see them. That child also holds the
   * test kernel's own copy of every singleton registered before it was created (`@singleton()`,
   * `registerSingleton`): each test kernel constructs its own instance, and disposes it when it
   * closes.
   */
  overrides?: readonly Override[];
  /**
   * The environment the kernel reads (`FC_FUNCTION_NAME`, `ALIBABA_CLOUD_*`). Default `{}`, not
   * `process.env`: a test does not depend on the shell it runs in.
   */
  env?: NodeJS.ProcessEnv;
  /** Headers sent with every call (`x-fc-region`, credentials...), under each call's own. */
  headers?: RequestHeaders;
  /** Also receives every line (say `console.log`, while debugging a test). */
  logSink?: LogSink;
}

/**
 * What one call of a test kernel sends besides the event.
 *
 * @example
 * ```ts
 * const options: TestCallOptions = { functionName: 'create-order', requestId: 'req-1', timeoutSeconds: 3 };
 * await tk.invoke(order, options);
 * ```
 */
export interface TestCallOptions {
  /** `x-fc-function-name`: picks the function when the kernel serves several. */
  functionName?: string;
  /** Headers of this call, over the test kernel's `headers`. */
  headers?: RequestHeaders;
  /** `x-fc-request-id`; default: a new FC-style id for every call. */
  requestId?: string;
  /**
   * FC's timeout for this call in seconds: `x-fc-initialization-timeout` for `initialize()`,
   * `x-fc-function-timeout` otherwise. Default: none.
   */
  timeoutSeconds?: number;
  /** Aborting it is the caller going away: the invocation's `ctx.signal` aborts. */
  signal?: AbortSignal;
  /**
   * `x-fc-retry-count`: which try of an asynchronous invocation this is (0 first). See
   * `deliver()` for FC's retries of one event.
   */
  retryCount?: number;
}

interface Route {
  method: string;
  path: string;
  timeoutHeader: string;
  /** `x-fc-control-path`, which FC sends on these routes only. */
  controlPath?: string;
}

const INVOKE: Route = {
  method: 'POST',
  path: '/invoke',
  timeoutHeader: 'x-fc-function-timeout',
  controlPath: '/invoke',
};
const INITIALIZE: Route = {
  method: 'POST',
  path: '/initialize',
  timeoutHeader: 'x-fc-initialization-timeout',
  controlPath: '/initialize',
};
const PRE_STOP: Route = { method: 'GET', path: '/pre-stop', timeoutHeader: 'x-fc-function-timeout' };
const PRE_FREEZE: Route = { method: 'GET', path: '/pre-freeze', timeoutHeader: 'x-fc-function-timeout' };

/**
 * The production kernel in-process, without a port, sending what FC sends. Made by
 * {@link createTestKernel}.
 *
 * @example
 * ```ts
 * let tk: TestKernel;
 * beforeEach(() => (tk = createTestKernel(CreateOrderFunction)));
 * afterEach(() => tk.close());
 * ```
 */
export class TestKernel {
  /** The kernel under test, as `createKernel` made it. */
  readonly kernel: Kernel;
  readonly #overrides: DependencyContainer;
  readonly #capture: LogCapture;
  readonly #headers: RequestHeaders;
  #closing: Promise<void> | undefined;
  /** Settles when the instance dies: what every call still running then answers. */
  #die: () => void = () => undefined;
  readonly #death = new Promise<KernelResponse>((resolve) => (this.#die = () => resolve(INSTANCE_DIED)));
  #dead = false;

  constructor(functions: Constructor | readonly Constructor[], options: TestKernelOptions = {}) {
    const { overrides = [], env = {}, headers = {}, logSink, container, ...kernelOptions } = options;
    this.#overrides = (container ?? globalContainer).createChildContainer();
    // A singleton of the application is this test kernel's own: it disposes it when it closes,
    // and another test kernel must not be handed that disposed instance.
    isolateSingletons(this.#overrides, new Set(overrides.map(([token]) => token)));
    // Before the kernel exists: it copies container-scoped registrations from its parent when created.
    registerOverrides(this.#overrides, overrides);
    this.#capture = new LogCapture(logSink);
    this.#headers = headers;
    this.kernel = createKernel({
      ...kernelOptions,
      functions: Array.isArray(functions) ? [...(functions as readonly Constructor[])] : [functions as Constructor],
      container: this.#overrides,
      env,
      logSink: this.#capture.sink,
    });
  }

  /** Every line the kernel printed, in order, including lines written outside any call. */
  get logs(): readonly string[] {
    return this.#capture.lines;
  }

  /**
   * `POST /invoke` with `event` as its body, as FC sends it: a Buffer (or Uint8Array) as is, a
   * string as UTF-8, `undefined` as an empty body, anything else as JSON. Never rejects: a failure
   * is a response with `ok: false` and FC's error body in `error`.
   *
   * @example
   * ```ts
   * const res = await tk.invoke<OrderAccepted>({ orderId: 'A-1', items: [{ sku: 'B', quantity: 1 }] });
   * expect(res.ok).to.equal(true);
   * expect(res.body.status).to.equal('ACCEPTED');
   * const bad = await tk.invoke('not json', { timeoutSeconds: 3 });
   * expect(bad.error?.errorType).to.equal('EventDecodeError');
   * ```
   */
  invoke<T = unknown>(event?: unknown, options: TestCallOptions = {}): Promise<TestResponse<T>> {
    return this.call<T>(INVOKE, encodeEvent(event), options);
  }

  /**
   * `POST /initialize`, as FC sends it once per instance: runs `@OnInitialize` (once, until it
   * succeeds). Without it, the first `invoke` initializes, as under FC 3.0's local emulator.
   *
   * @example
   * ```ts
   * expect((await tk.initialize({ timeoutSeconds: 10 })).ok).to.equal(true);
   * ```
   */
  initialize(options: TestCallOptions = {}): Promise<TestResponse> {
    return this.call(INITIALIZE, undefined, options);
  }

  /**
   * `GET /pre-stop`, as FC sends it before destroying the instance: runs `@OnPreStop` of an
   * initialized function.
   *
   * @example
   * ```ts
   * await tk.invoke(order);
   * const res = await tk.preStop();
   * expect(res.logs).to.include(`FC PreStop End RequestId: ${res.requestId}`);
   * ```
   */
  preStop(options: TestCallOptions = {}): Promise<TestResponse> {
    return this.call(PRE_STOP, undefined, options);
  }

  /**
   * `GET /pre-freeze`, as FC 2.0 sends it before freezing the instance: runs `@OnPreFreeze` of an
   * initialized function.
   *
   * @example
   * ```ts
   * const res = await tk.preFreeze({ requestId: 'freeze-1' });
   * expect(res.logs[0]).to.equal('FC PreFreeze Start RequestId: freeze-1');
   * ```
   */
  preFreeze(options: TestCallOptions = {}): Promise<TestResponse> {
    return this.call(PRE_FREEZE, undefined, options);
  }

  /**
   * Sends `request` exactly as given, adding no header (no request id, function name or control
   * path), and captures its lines like the other calls: for what FC itself never sends, such as
   * another method or path, or a request without a request id. `requestId` in the answer is the
   * request's `x-fc-request-id`, or `''` without one.
   *
   * @example
   * ```ts
   * const res = await tk.dispatch({ method: 'DELETE', path: '/pre-stop', headers: { 'x-fc-request-id': 'r-1' } });
   * expect(res.error?.errorType).to.equal('RouteNotFoundError');
   * ```
   */
  async dispatch<T = unknown>(request: KernelRequest): Promise<TestResponse<T>> {
    const requestId = headerValue(request.headers ?? {}, 'x-fc-request-id');
    if (this.#dead) return toTestResponse<T>(INSTANCE_DIED, [], requestId);
    const { result, lines } = await this.#capture.collect(() =>
      Promise.race([this.kernel.dispatch(request), this.#death]),
    );
    return toTestResponse<T>(result, lines, requestId);
  }

  /**
   * The instance dies, as a process killed mid-run: every call still running is answered as FC
   * answers a request whose instance went away (502, `Process exited unexpectedly before
   * completing request`), so are later calls, and nothing that was running answers or cleans up.
   * What a dead instance left in a shared store (an idempotency claim) stays there until it
   * expires. The kit cannot stop JavaScript that is running: a handler the test holds (on a
   * promise of its own) must stay held, as a dead process never resumes.
   *
   * @example
   * ```ts
   * const held = tk.invoke(order); // its handler waits on a promise the test never resolves
   * await handlerStarted;
   * await tk.die();
   * expect((await held).statusCode).to.equal(502);
   * ```
   */
  async die(): Promise<void> {
    this.#dead = true;
    this.#die();
    await this.close();
  }

  /**
   * Closes the kernel (later calls get `RouteNotFoundError`) and disposes the overrides' container
   * with the singletons it made. Idempotent: call it in `afterEach`.
   *
   * @example
   * ```ts
   * afterEach(() => tk.close());
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= this.kernel.close().then(() => this.#overrides.dispose());
    return this.#closing;
  }

  private call<T>(
    route: Route,
    body: string | Uint8Array | undefined,
    options: TestCallOptions,
  ): Promise<TestResponse<T>> {
    const headers = this.headersFor(route, options);
    return this.dispatch<T>({ method: route.method, path: route.path, headers, body, signal: options.signal });
  }

  private headersFor(route: Route, options: TestCallOptions): RequestHeaders {
    const names = this.kernel.functionNames;
    const headers: RequestHeaders = {};
    if (route.path === INVOKE.path) headers['content-type'] = 'application/octet-stream';
    if (route.controlPath) headers['x-fc-control-path'] = route.controlPath;
    // FC always names the function; with one, a test need not.
    if (names.length === 1) headers['x-fc-function-name'] = names[0];
    assignLowerCase(headers, this.#headers);
    assignLowerCase(headers, options.headers);
    if (options.functionName !== undefined) headers['x-fc-function-name'] = options.functionName;
    if (options.timeoutSeconds !== undefined) headers[route.timeoutHeader] = String(options.timeoutSeconds);
    if (options.retryCount !== undefined) headers['x-fc-retry-count'] = String(options.retryCount);
    if (options.requestId !== undefined) headers['x-fc-request-id'] = options.requestId;
    else if (!headerValue(headers, 'x-fc-request-id')) headers['x-fc-request-id'] = newRequestId();
    return headers;
  }
}

/**
 * A test kernel: the production kernel (`createKernel`) serving `functions` in-process, with no
 * port, its services replaced by `overrides`, its log lines captured per call.
 *
 * @example
 * ```ts
 * import { createTestKernel } from 'fc-kernel/testing';
 *
 * const orders = new InMemoryOrders();
 * const tk = createTestKernel([CreateOrderFunction], { overrides: [[ORDER_REPOSITORY, { useValue: orders }]] });
 * const res = await tk.invoke({ orderId: 'A-1', customerEmail: 'ada@example.com', items: [] });
 * console.log(res.statusCode, res.error?.errors, res.logs);
 * await tk.close();
 * ```
 */
export function createTestKernel(
  functions: Constructor | readonly Constructor[],
  options: TestKernelOptions = {},
): TestKernel {
  return new TestKernel(functions, options);
}

/** What FC answers for a request whose instance died before answering it. */
const INSTANCE_DIED: KernelResponse = {
  statusCode: 502,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({
    errorMessage: 'Process exited unexpectedly before completing request',
    errorType: 'InstanceDied',
    stackTrace: [],
  }),
};

function encodeEvent(event: unknown): string | Uint8Array | undefined {
  if (event === undefined || typeof event === 'string' || event instanceof Uint8Array) return event;
  return JSON.stringify(event);
}

/** Header names are case-insensitive: the later of two spellings wins. */
function assignLowerCase(into: RequestHeaders, from: RequestHeaders | undefined): void {
  if (!from) return;
  for (const name of Object.keys(from)) into[name.toLowerCase()] = from[name];
}
