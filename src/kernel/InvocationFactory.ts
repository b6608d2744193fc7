import type { DependencyContainer } from 'tsyringe';
import { FcContext, type FcCredentials } from '../context/FcContext';
import type { RequestHeaders } from '../context/headers';
import { currentInvocation, runInInvocation } from '../context/invocation';
import { createInvocationContainer, disposeInvocationContainer } from '../di/containers';
import { FC_CONTEXT, FC_LOGGER } from '../di/tokens';
import { describeFailure, isHandledError } from '../errors/errorBody';
import { messageOf } from '../errors/FcError';
import { FcLogger } from '../logging/FcLogger';
import { JsonLogger } from '../logging/JsonLogger';
import type { MakeLogger } from '../logging/logFormat';
import { installConsoleBridge, type ConsoleRoute } from '../logging/consoleBridge';
import { endMarker } from '../logging/markers';
import type { Redact } from '../logging/redaction';
import type { HookKind } from '../metadata/records';
import type { CallerSignal } from './CallerSignal';
import { withDeadline } from './deadline';
import { InvocationScope } from './InvocationScope';
import { LazyAbort } from './LazyAbort';

/** The invocation running now, as the console bridge reads it: the kernel's say where console goes. */
export const currentConsoleRoute = (): ConsoleRoute | undefined => currentInvocation() as ConsoleRoute | undefined;

/** What the kernel knows of an invocation before it exists. */
export interface InvocationSpec {
  kind: HookKind;
  functionName: string;
  requestId: string;
  headers: RequestHeaders;
  body: Buffer;
  /** Removes the secrets of the request (and the environment's) from everything it writes. */
  redact: Redact;
  /** Seconds before the invocation times out; `undefined` for never. */
  timeoutSeconds: number | undefined;
}

/**
 * What an invocation runs: a function's hook, or the creation of its instance. It answers at once
 * (or throws) when the work finished synchronously, and with a promise only when it did not.
 */
export interface InvocationWork<T> {
  run(invocation: InvocationScope): T | Promise<T>;
}

/** How an invocation shows in the log. */
export interface InvocationLogging {
  /** Between FC's Start and End marker lines. */
  readonly marked: boolean;
  /** With an `[ERROR]` line for its failure (a shared initialization run leaves that to each request). */
  readonly logsFailure: boolean;
  /**
   * The Start marker waits for the work to call `markStart()` (at the latest it comes with the End
   * marker): an `/invoke` that initializes first prints the Initialize markers before its own.
   */
  readonly startsLate?: boolean;
}

/**
 * Builds and runs every invocation of a kernel, the requests FC sends and the initialization runs
 * they share alike: request id, logger, context, child container, signal, deadline, markers and
 * the release of the container.
 */
export class InvocationFactory {
  // Private fields: inspect(kernel) must not print the credentials.
  readonly #root: DependencyContainer;
  readonly #makeLogger: MakeLogger;
  readonly #fallbackCredentials: FcCredentials | undefined;
  readonly #routesConsole: boolean;

  /**
   * `fallbackCredentials` become `ctx.credentials` of an invocation whose request carries none
   * (the environment's, in non-web-server mode and local tools). With `routesConsole`, `console.*`
   * called inside an invocation goes through its logger (the bridge is installed now).
   */
  constructor(
    root: DependencyContainer,
    makeLogger: MakeLogger,
    fallbackCredentials: FcCredentials | undefined,
    routesConsole: boolean,
  ) {
    this.#root = root;
    this.#makeLogger = makeLogger;
    this.#fallbackCredentials = fallbackCredentials;
    this.#routesConsole = routesConsole;
    if (routesConsole) installConsoleBridge(currentConsoleRoute);
  }

  /** A new invocation: its logger and context; its child container is made when first asked for. */
  create(spec: InvocationSpec): InvocationScope {
    const { requestId, headers, timeoutSeconds } = spec;
    const logger = this.#makeLogger(requestId, spec.redact);
    const controller = new LazyAbort();
    const context = new FcContext({
      requestId,
      headers,
      logger,
      deadline: timeoutSeconds === undefined ? Infinity : Date.now() + timeoutSeconds * 1000,
      // Read lazily: the signal is created only if the handler asks for it or the invocation aborts.
      signal: () => controller.signal,
      fallbackCredentials: this.#fallbackCredentials,
    });
    if (logger instanceof JsonLogger) logger.traceOf = () => context.trace;
    return new InvocationScope(
      spec.kind,
      spec.functionName,
      requestId,
      context,
      logger,
      this.#openContainer,
      timeoutSeconds,
      headers,
      spec.body,
      controller,
      spec.redact,
      this.#routesConsole,
    );
  }

  /**
   * Runs `work` as `invocation`: in its async context, between its markers, raced against its
   * timeout (which aborts its signal), with `callerSignal` (the caller going away) aborting its
   * signal too. Settles with the work's outcome, or a `TimeoutError`; its container is released
   * then, or, past the deadline, when the work finally settles.
   */
  run<T>(
    invocation: InvocationScope,
    work: InvocationWork<T>,
    logging: InvocationLogging,
    callerSignal?: CallerSignal,
  ): Promise<T> {
    try {
      return Promise.resolve(this.runNow(invocation, work, logging, callerSignal));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `run`, answering at once (or throwing) when the work finished synchronously: then no timer,
   * listener or promise is made for it, since nothing could have interrupted it. Only work that
   * is still pending is raced against its timeout and its caller.
   */
  runNow<T>(
    invocation: InvocationScope,
    work: InvocationWork<T>,
    logging: InvocationLogging,
    callerSignal?: CallerSignal,
  ): T | Promise<T> {
    return runInInvocation(invocation, () => this.#execute(invocation, work, logging, callerSignal));
  }

  #execute<T>(
    invocation: InvocationScope,
    work: InvocationWork<T>,
    logging: InvocationLogging,
    callerSignal: CallerSignal | undefined,
  ): T | Promise<T> {
    // A signal that aborted before the invocation started fires no event: follow it now.
    if (callerSignal?.aborted) invocation.abort(whyGone(callerSignal));
    if (logging.marked && !logging.startsLate) invocation.markStart();
    let outcome: T | Promise<T>;
    try {
      outcome = work.run(invocation);
    } catch (error) {
      this.#failed(invocation, logging, error);
      const disposing = this.#release(invocation);
      if (disposing) return disposing.then(() => Promise.reject(error as Error));
      throw error;
    }
    if (outcome instanceof Promise) return this.#settle(invocation, outcome, logging, callerSignal);
    if (logging.marked) this.#markEnd(invocation);
    const disposing = this.#release(invocation);
    return disposing ? disposing.then(() => outcome) : outcome;
  }

  /** The rest of an invocation whose work is still pending. */
  async #settle<T>(
    invocation: InvocationScope,
    pending: Promise<T>,
    logging: InvocationLogging,
    callerSignal: CallerSignal | undefined,
  ): Promise<T> {
    const { kind, timeoutSeconds } = invocation;
    let onCallerAbort: (() => void) | undefined;
    if (callerSignal && !callerSignal.aborted) {
      onCallerAbort = () => invocation.abort(whyGone(callerSignal));
      callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    }
    const deadline =
      timeoutSeconds === undefined
        ? undefined
        : withDeadline(pending, timeoutSeconds, kind === 'initialize' ? 'Initialization' : 'Function', (timeout) =>
            invocation.abort(timeout),
          );
    try {
      const value = await (deadline?.promise ?? pending);
      if (logging.marked) this.#markEnd(invocation);
      return value;
    } catch (error) {
      this.#failed(invocation, logging, error);
      throw error;
    } finally {
      deadline?.cancel();
      if (onCallerAbort) callerSignal!.removeEventListener('abort', onCallerAbort);
      // A hook still running past its deadline keeps its services until it settles.
      if (deadline?.expired) {
        const release = () => this.#release(invocation);
        void pending.then(release, release);
      } else {
        const disposing = this.#release(invocation);
        if (disposing) await disposing;
      }
    }
  }

  /** The log lines of a failed invocation: its `[ERROR]` line and its End marker. */
  #failed(invocation: InvocationScope, logging: InvocationLogging, error: unknown): void {
    // A late Start marker (an /invoke that failed while initializing) still comes first.
    if (logging.marked) invocation.markStart();
    if (logging.logsFailure) invocation.logger.error(describeFailure(error));
    if (logging.marked) this.#markEnd(invocation, { handled: isHandledError(error) });
  }

  #markEnd(invocation: InvocationScope, failure?: { handled: boolean }): void {
    invocation.markStart();
    invocation.logger.raw(endMarker(invocation.kind, invocation.requestId, failure));
  }

  /** An invocation's child container, holding its context and logger. */
  readonly #openContainer = (invocation: InvocationScope): DependencyContainer => {
    const container = createInvocationContainer(this.#root);
    container.register(FC_CONTEXT, { useValue: invocation.context });
    container.register(FcContext, { useValue: invocation.context });
    container.register(FC_LOGGER, { useValue: invocation.logger });
    container.register(FcLogger, { useValue: invocation.logger });
    // Work the invocation left behind finds its services gone, as it would had it been made first.
    if (invocation.released) void disposeInvocationContainer(container, this.#root);
    return container;
  };

  #release(invocation: InvocationScope): Promise<void> | void {
    const container = invocation.release();
    if (!container) return;
    try {
      const disposing = disposeInvocationContainer(container, this.#root);
      return disposing?.catch((error: unknown) => logDisposeFailure(invocation, error));
    } catch (error) {
      logDisposeFailure(invocation, error);
    }
  }
}

/** What a caller that went away aborts its invocation with. */
function whyGone(callerSignal: CallerSignal): unknown {
  return callerSignal.reason ?? new Error('The caller closed the connection');
}

function logDisposeFailure(invocation: InvocationScope, error: unknown): void {
  invocation.logger.error(`Disposing the invocation's services failed: ${messageOf(error)}`);
}
