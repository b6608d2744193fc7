import type { DependencyContainer } from 'tsyringe';
import type { FcContext } from '../context/FcContext';
import type { RequestHeaders } from '../context/headers';
import type { CurrentInvocation } from '../context/invocation';
import type { ConsoleRoute } from '../logging/consoleBridge';
import type { FcLogger } from '../logging/FcLogger';
import { startMarker } from '../logging/markers';
import type { Redact } from '../logging/redaction';
import type { LazyAbort } from './LazyAbort';
import type { InvocationAnnotations, ObserveRecord } from './KernelOptions';
import type { HookKind } from '../metadata/records';

const NO_ANNOTATIONS: Readonly<InvocationAnnotations> = Object.freeze({});

/** Makes the child container of an invocation, the first time something asks for it. */
export type OpenContainer = (scope: InvocationScope) => DependencyContainer;

/**
 * The kernel's own view of an invocation: the public `CurrentInvocation` plus the raw request, its
 * redactor and its timeout. The raw headers carry FC's credentials, so they sit in private fields
 * behind getters: printing or serialising the invocation (`currentInvocation()` is public) shows
 * only the public fields.
 */
export class InvocationScope implements CurrentInvocation, ConsoleRoute {
  readonly #headers: RequestHeaders;
  readonly #body: Buffer;
  readonly #controller: LazyAbort;
  readonly #redact: Redact;
  readonly #open: OpenContainer;
  readonly #routesConsole: boolean;
  #container: DependencyContainer | undefined;
  #released = false;
  #annotations: InvocationAnnotations | undefined;
  /** What `runRecord` runs each record through, when an observer asked. */
  recordObserver: ObserveRecord | undefined;
  #started = false;

  constructor(
    readonly kind: HookKind,
    readonly functionName: string,
    readonly requestId: string,
    readonly context: FcContext,
    readonly logger: FcLogger,
    open: OpenContainer,
    /** Seconds the invocation may take; `undefined` when FC gave no (usable) timeout. */
    readonly timeoutSeconds: number | undefined,
    headers: RequestHeaders,
    body: Buffer,
    controller: LazyAbort,
    redact: Redact,
    /** Whether `console.*` called inside the invocation goes through its logger. */
    routesConsole: boolean,
  ) {
    this.#routesConsole = routesConsole;
    this.#open = open;
    this.#headers = headers;
    this.#body = body;
    this.#controller = controller;
    this.#redact = redact;
  }

  /**
   * The invocation's child container, made when first read (by an `@Inject()` parameter, or code
   * that reaches for `currentInvocation().container`): a function whose hooks take only the
   * event, the context and headers never pays for one.
   */
  get container(): DependencyContainer {
    return (this.#container ??= this.#open(this));
  }

  /** The logger `console.*` calls inside the invocation go through, unless its kernel said `console: false`. */
  get consoleLogger(): FcLogger | undefined {
    return this.#routesConsole ? this.logger : undefined;
  }

  /** The child container if one was made, without making it. */
  get openedContainer(): DependencyContainer | undefined {
    return this.#container;
  }

  /** Whether the invocation has ended and given its container back (a later one is made disposed). */
  get released(): boolean {
    return this.#released;
  }

  /** Marks the end of the invocation's hold on its services; the container is the caller's to dispose. */
  release(): DependencyContainer | undefined {
    this.#released = true;
    return this.#container;
  }

  /** What `annotateInvocation` added; empty when nothing was. */
  get annotations(): Readonly<InvocationAnnotations> {
    return this.#annotations ?? NO_ANNOTATIONS;
  }

  /** Adds to `annotations` (a later value of a name wins). */
  annotate(attributes: Readonly<InvocationAnnotations>): void {
    this.#annotations = { ...this.#annotations, ...attributes };
  }

  /** Prints the invocation's Start marker, unless it has printed it already. */
  markStart(): void {
    if (this.#started) return;
    this.#started = true;
    this.logger.raw(startMarker(this.kind, this.requestId));
  }

  /** Aborts the invocation's `ctx.signal`. */
  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }

  get headers(): RequestHeaders {
    return this.#headers;
  }

  get body(): Buffer {
    return this.#body;
  }

  /** Removes the invocation's secrets (its request's credentials, the environment's) from text. */
  get redact(): Redact {
    return this.#redact;
  }
}
