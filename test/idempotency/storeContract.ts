import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { CompletedRecord, IdempotencyStore, InProgressRecord } from '../../src/idempotency';

/** A claim of a new owner on `requestId`, expiring in `ms`. */
export function claimOf(ms: number, requestId = 'req-1', eventHash = 'hash-1'): InProgressRecord {
  return { status: 'in-progress', eventHash, requestId, owner: randomUUID(), expiresAt: Date.now() + ms };
}

export function answerOf(claim: InProgressRecord, body: Buffer, ms: number, contentType?: string): CompletedRecord {
  return {
    status: 'completed',
    eventHash: claim.eventHash,
    requestId: claim.requestId,
    owner: claim.owner,
    expiresAt: Date.now() + ms,
    body,
    ...(contentType === undefined ? {} : { contentType }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What every store does, against the store `make` gives (a fresh one, or one on a fresh prefix). */
export function storeContract(make: () => IdempotencyStore): void {
  let store: IdempotencyStore;
  let key: string;
  beforeEach(() => {
    store = make();
    key = `fn:${randomUUID()}`;
  });

  it('writes a claim on a free key and answers undefined; a second claim gets the first', async () => {
    const first = claimOf(5000);
    expect(await store.claim(key, first)).to.equal(undefined);
    expect(await store.claim(key, claimOf(5000, 'req-2', 'hash-2'))).to.deep.equal(first);
  });

  it('keeps an answer byte for byte, binary bytes and newlines included, with its content type', async () => {
    const claim = claimOf(5000);
    await store.claim(key, claim);
    const body = Buffer.from([0x7b, 0x0a, 0x00, 0xff, 0xfe, 0x0a, 0x0d, 0x22]);
    await store.complete(key, claim, answerOf(claim, body, 60_000, 'application/octet-stream'));
    const found = await store.claim(key, claimOf(5000));
    expect(found).to.include({ status: 'completed', requestId: 'req-1', eventHash: 'hash-1', owner: claim.owner });
    expect(found).to.have.property('contentType', 'application/octet-stream');
    expect((found as CompletedRecord).body.equals(body)).to.equal(true);
  });

  it('keeps an empty answer without a content type', async () => {
    const claim = claimOf(5000);
    await store.claim(key, claim);
    await store.complete(key, claim, answerOf(claim, Buffer.alloc(0), 60_000));
    const found = (await store.claim(key, claimOf(5000))) as CompletedRecord;
    expect(found.status).to.equal('completed');
    expect(found.body.length).to.equal(0);
    expect(found).to.not.have.property('contentType');
  });

  it('removes a claim its owner releases, so that the next delivery claims the key', async () => {
    const claim = claimOf(5000);
    await store.claim(key, claim);
    await store.release(key, claim);
    expect(await store.claim(key, claimOf(5000))).to.equal(undefined);
  });

  it("leaves another owner's claim alone on release and on complete", async () => {
    const stale = claimOf(5000);
    const current = claimOf(5000);
    await store.claim(key, current);
    await store.release(key, stale);
    await store.complete(key, stale, answerOf(stale, Buffer.from('late'), 60_000));
    expect(await store.claim(key, claimOf(5000))).to.deep.equal(current);
  });

  it('forgets a claim at its expiry, so that a retry claims the key again', async () => {
    await store.claim(key, claimOf(80));
    await sleep(150);
    const retry = claimOf(5000, 'req-1');
    expect(await store.claim(key, retry)).to.equal(undefined);
    expect(await store.claim(key, claimOf(5000))).to.deep.equal(retry);
  });

  it('stores the answer of a claim that expired meanwhile when nobody claimed the key since', async () => {
    const claim = claimOf(50);
    await store.claim(key, claim);
    await sleep(100);
    await store.complete(key, claim, answerOf(claim, Buffer.from('done'), 60_000));
    expect(await store.claim(key, claimOf(5000))).to.include({ status: 'completed' });
  });

  it('forgets an answer after its time to live', async () => {
    const claim = claimOf(5000);
    await store.claim(key, claim);
    await store.complete(key, claim, answerOf(claim, Buffer.from('done'), 80));
    await sleep(150);
    expect(await store.claim(key, claimOf(5000))).to.equal(undefined);
  });

  it('lets exactly one of many concurrent claims on a key win', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.claim(key, claimOf(5000))));
    expect(outcomes.filter((found) => found === undefined)).to.have.length(1);
  });
}
