import type { CompletedRecord, IdempotencyRecord, IdempotencyStore, InProgressRecord } from './IdempotencyStore';

/** How many records a memory store keeps at most, by default. */
export const DEFAULT_MEMORY_STORE_RECORDS = 10_000;

export interface MemoryIdempotencyStoreOptions {
  /**
   * The most records kept (default 10,000): past it, the oldest written is forgotten first, so a
   * long run of distinct keys holds a bounded amount of memory. An expired record is forgotten
   * when its key is read.
   */
  maxRecords?: number;
  /** The clock, in epoch milliseconds (default `Date.now`): tests move it past an expiry. */
  now?: () => number;
}

/**
 * Idempotency records in this process's memory: for tests, and for a function that runs on one
 * instance. Instances of a function on FC do not share it: use `RedisIdempotencyStore` there.
 *
 * @example
 * ```ts
 * const store = new MemoryIdempotencyStore({ maxRecords: 1000 });
 * const kernel = createKernel({ functions: [CreateOrderFunction], idempotency: { store } });
 * ```
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  /** In the order written: the first entry is the oldest. */
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly maxRecords: number;
  private readonly now: () => number;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    const { maxRecords = DEFAULT_MEMORY_STORE_RECORDS, now = Date.now } = options;
    if (!Number.isInteger(maxRecords) || maxRecords < 1) {
      throw new RangeError(`maxRecords must be a whole number, at least 1: got ${String(maxRecords)}`);
    }
    this.maxRecords = maxRecords;
    this.now = now;
  }

  /** How many records are held, expired ones not read since included. */
  get size(): number {
    return this.records.size;
  }

  claim(key: string, claim: InProgressRecord): Promise<IdempotencyRecord | undefined> {
    const found = this.read(key);
    if (found) return Promise.resolve(found);
    this.write(key, claim);
    return Promise.resolve(undefined);
  }

  complete(key: string, claim: InProgressRecord, answer: CompletedRecord): Promise<void> {
    const found = this.read(key);
    if (found === undefined || isSame(found, claim)) this.write(key, { ...answer, body: Buffer.from(answer.body) });
    return Promise.resolve();
  }

  release(key: string, claim: InProgressRecord): Promise<void> {
    const found = this.read(key);
    if (found && isSame(found, claim)) this.records.delete(key);
    return Promise.resolve();
  }

  /** The record under `key`, unless it has expired (then it is dropped). */
  private read(key: string): IdempotencyRecord | undefined {
    const record = this.records.get(key);
    if (record === undefined || record.expiresAt > this.now()) return record;
    this.records.delete(key);
    return undefined;
  }

  private write(key: string, record: IdempotencyRecord): void {
    // Re-inserted at the end: the map stays in the order of the latest writes.
    this.records.delete(key);
    this.records.set(key, record);
    this.dropOldest();
  }

  /** Past `maxRecords`, drops the oldest written (an expired one is dropped when read). */
  private dropOldest(): void {
    while (this.records.size > this.maxRecords) this.records.delete(this.records.keys().next().value!);
  }
}

function isSame(record: IdempotencyRecord, claim: InProgressRecord): boolean {
  return record.status === 'in-progress' && record.owner === claim.owner;
}
