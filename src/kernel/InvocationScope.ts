import type { DependencyContainer } from 'tsyringe';
import type { FcContext } from '../context/FcContext';
import type { RequestHeaders } from '../context/headers';
import type { Invocation } from '../context/invocation';
import type { FcLogger } from '../logging/FcLogger';
import type { Redact } from '../logging/redaction';
import type { HookKind } from '../metadata/records';

/** The kernel's own view of an invocation: the public `Invocation` plus the raw request. */
export class InvocationScope implements Invocation {
  constructor(
    readonly kind: HookKind,
    readonly functionName: string,
    readonly requestId: string,
    readonly context: FcContext,
    readonly logger: FcLogger,
    readonly container: DependencyContainer,
    readonly headers: RequestHeaders,
    readonly body: Buffer,
    readonly redact: Redact,
  ) {}
}
