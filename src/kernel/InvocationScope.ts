import type { DependencyContainer } from 'tsyringe';
import type { FcContext } from '../context/FcContext';
import type { RequestHeaders } from '../context/headers';
import type { Invocation } from '../context/invocation';
import type { FcLogger } from '../logging/FcLogger';
import type { Redact } from '../logging/redaction';
import type { HookKind } from '../metadata/records';

/**
 * The kernel's own view of an invocation: the public `Invocation` plus the raw request, its
 * redactor and its timeout. The raw headers carry FC's credentials, so they sit in private fields
 * behind getters: printing or serialising the invocation (`currentInvocation()` is public) shows
 * only the public fields.
 */
export class InvocationScope implements Invocation {
  readonly #headers: RequestHeaders;
  readonly #body: Buffer;
  readonly #controller: AbortController;
  readonly #redact: Redact;

  constructor(
    readonly kind: HookKind,
    readonly functionName: string,
    readonly requestId: string,
    readonly context: FcContext,
    readonly logger: FcLogger,
    readonly container: DependencyContainer,
    /** Seconds the invocation may take; `undefined` when FC gave no (usable) timeout. */
    readonly timeoutSeconds: number | undefined,
    headers: RequestHeaders,
    body: Buffer,
    controller: AbortController,
    redact: Redact,
  ) {
    this.#headers = headers;
    this.#body = body;
    this.#controller = controller;
    this.#redact = redact;
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
