/**
 * The first delivery's claim on a key: written before its handler runs, it expires at the
 * invocation's deadline, so that a claim whose instance died gives way to a retry.
 */
export interface InProgressRecord {
  readonly status: 'in-progress';
  /** The hash of the validated event: the same key with another event is refused, not replayed. */
  readonly eventHash: string;
  /** The request that claimed the key (an asynchronous retry keeps it: it is not who owns it). */
  readonly requestId: string;
  /** A token of this one claim: only its writer completes or removes it. */
  readonly owner: string;
  /** Epoch milliseconds at which the store forgets the record. */
  readonly expiresAt: number;
}

/** A delivery that completed: the answer it gave, byte for byte, replayed to every duplicate. */
export interface CompletedRecord {
  readonly status: 'completed';
  readonly eventHash: string;
  readonly requestId: string;
  readonly owner: string;
  readonly expiresAt: number;
  /** The encoded answer: what was sent back, never the request's credentials. */
  readonly body: Buffer;
  readonly contentType?: string;
}

export type IdempotencyRecord = InProgressRecord | CompletedRecord;

/**
 * Where idempotency records live: one store shared by every instance of a function (Redis, Tair),
 * or one process alone (memory). Each method is one atomic step, so that two deliveries of one
 * event on two instances never both run the handler.
 *
 * @example
 * ```ts
 * const store: IdempotencyStore = new MemoryIdempotencyStore();
 * const found = await store.claim('create-order:A-1', claim); // undefined: claimed, run the handler
 * ```
 */
export interface IdempotencyStore {
  /**
   * Writes `claim` under `key` unless a record is there, atomically, expiring at
   * `claim.expiresAt`. Answers `undefined` when written, else the record found.
   */
  claim(key: string, claim: InProgressRecord): Promise<IdempotencyRecord | undefined>;
  /**
   * Replaces `claim` with `answer`, expiring at `answer.expiresAt`, unless another delivery has
   * claimed the key since `claim` expired.
   */
  complete(key: string, claim: InProgressRecord, answer: CompletedRecord): Promise<void>;
  /** Removes `claim` if it is still what `key` holds: the handler failed, a retry runs it again. */
  release(key: string, claim: InProgressRecord): Promise<void>;
}
