import type { FcContext } from '../context/FcContext';
import { eventHash } from '../idempotency/eventHash';
import type { IdempotencyRecord, IdempotencyStore, InProgressRecord } from '../idempotency/IdempotencyStore';
import type { PendingRecord } from './decodeRecords';

/** What an earlier delivery did with a record, as remembered. */
export type RememberedOutcome = 'done' | 'dead-lettered';

const BODIES: Record<RememberedOutcome, Buffer> = {
  done: Buffer.from('done'),
  'dead-lettered': Buffer.from('dead-lettered'),
};

/**
 * The records of a function's batches in the idempotency store: claimed while they run (until the
 * invocation's deadline), then remembered as done or dead-lettered, or released when they fail so
 * that the redelivery runs them again. Keys are namespaced by function and kept apart from the
 * keys of `@Idempotent` handlers.
 */
export class RecordMemory {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly functionName: string,
    private readonly rememberMs: number,
    private readonly claimMsWithoutTimeout: number,
  ) {}

  /**
   * Claims `record` for the delivery `owner` names (one random token per delivery: each claim's
   * owner is it and the record's index, unique without a random draw per record): the claim to
   * complete or release, or what the store already holds.
   */
  async claim(
    record: PendingRecord,
    owner: string,
    ctx: FcContext,
  ): Promise<{ claim: InProgressRecord; found?: undefined } | { found: IdempotencyRecord; claim: InProgressRecord }> {
    const claim: InProgressRecord = {
      status: 'in-progress',
      eventHash: eventHash(record.raw),
      requestId: ctx.requestId,
      owner: `${owner}:${record.coordinates.index}`,
      expiresAt: Number.isFinite(ctx.deadline) ? ctx.deadline : Date.now() + this.claimMsWithoutTimeout,
    };
    const found = await this.store.claim(this.keyOf(record), claim);
    return found === undefined ? { claim } : { claim, found };
  }

  /** What a completed record says an earlier delivery did. */
  static earlierOutcome(found: IdempotencyRecord & { status: 'completed' }): RememberedOutcome {
    return found.body.equals(BODIES['dead-lettered']) ? 'dead-lettered' : 'done';
  }

  complete(record: PendingRecord, claim: InProgressRecord, outcome: RememberedOutcome): Promise<void> {
    return this.store.complete(this.keyOf(record), claim, {
      status: 'completed',
      eventHash: claim.eventHash,
      requestId: claim.requestId,
      owner: claim.owner,
      expiresAt: Date.now() + this.rememberMs,
      body: BODIES[outcome],
    });
  }

  release(record: PendingRecord, claim: InProgressRecord): Promise<void> {
    return this.store.release(this.keyOf(record), claim);
  }

  private keyOf(record: PendingRecord): string {
    return `${this.functionName}:record:${record.key}`;
  }
}
