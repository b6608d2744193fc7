import type { DependencyContainer } from 'tsyringe';
import type { FcContext } from '../context/FcContext';
import type { RequestHeaders } from '../context/headers';
import type { Invocation } from '../context/invocation';
import type { FcLogger } from '../logging/FcLogger';
import type { HookKind } from '../metadata/records';

/**
 * The kernel's own view of an invocation: the public `Invocation` plus the raw request. The raw
 * headers carry FC's credentials, so they sit in private fields behind getters: printing or
 * serialising the invocation (`currentInvocation()` is public) shows only the public fields.
 */
export class InvocationScope implements Invocation {
  readonly #headers: RequestHeaders;
  readonly #body: Buffer;
  readonly #controller: AbortController;

  constructor(
    readonly kind: HookKind,
    readonly functionName: string,
    readonly requestId: string,
    readonly context: FcContext,
    readonly logger: FcLogger,
    readonly container: DependencyContainer,
    headers: RequestHeaders,
    body: Buffer,
    controller: AbortController,
  ) {
    this.#headers = headers;
    this.#body = body;
    this.#controller = controller;
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
}
