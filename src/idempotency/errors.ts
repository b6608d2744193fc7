import { FcError, messageOf } from '../errors/FcError';

/**
 * Another delivery of the same event is running (on this instance or another): this one does not
 * run the handler. Answered with `x-fc-status: 404`, so FC retries an asynchronous invocation later.
 */
export class IdempotencyInProgressError extends FcError {
  readonly errorType = 'IdempotencyInProgressError';
  constructor(
    readonly key: string,
    readonly firstRequestId: string,
  ) {
    super(
      `Another delivery of this event (idempotency key "${key}", request ${firstRequestId}) is still running: ` +
        'try again once it has answered',
    );
  }
}

/**
 * The idempotency key was used before for another event: refused rather than answered with
 * another event's answer.
 */
export class IdempotencyKeyMismatchError extends FcError {
  readonly errorType = 'IdempotencyKeyMismatchError';
  constructor(
    readonly key: string,
    readonly firstRequestId: string,
  ) {
    super(
      `The idempotency key "${key}" was used by request ${firstRequestId} with a different event: ` +
        'each event needs its own key',
    );
  }
}

/** The event gives no idempotency key (its key path leads nowhere, or the key function gave none). */
export class IdempotencyKeyError extends FcError {
  readonly errorType = 'IdempotencyKeyError';
}

/**
 * The idempotency store could not be read or written before the handler ran: the handler did not
 * run (so a retry can), unless `whenStoreFails: 'run'`.
 */
export class IdempotencyStoreError extends FcError {
  readonly errorType = 'IdempotencyStoreError';
  override readonly handled = false;
  constructor(cause: unknown) {
    super(`The idempotency store failed, so the handler did not run: ${messageOf(cause)}`, { cause });
  }
}
