import { expect } from 'chai';
import { MemoryIdempotencyStore } from '../../src/idempotency';
import { answerOf, claimOf, storeContract } from './storeContract';

describe('MemoryIdempotencyStore', () => {
  describe('the store contract', () => storeContract(() => new MemoryIdempotencyStore()));

  it('holds at most maxRecords, forgetting the oldest written first', async () => {
    const store = new MemoryIdempotencyStore({ maxRecords: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await store.claim(key, claimOf(60_000, key));
    expect(store.size).to.equal(3);
    expect(await store.claim('a', claimOf(60_000))).to.equal(undefined);
    expect(await store.claim('d', claimOf(60_000))).to.include({ requestId: 'd' });
  });

  it('forgets an expired record when its key is read, by its clock', async () => {
    let now = 1_000_000;
    const store = new MemoryIdempotencyStore({ now: () => now });
    await store.claim('a', { ...claimOf(0), expiresAt: now + 100 });
    now += 99;
    expect(await store.claim('a', claimOf(0))).to.include({ requestId: 'req-1' });
    now += 2;
    const retry = { ...claimOf(0, 'req-2'), expiresAt: now + 100 };
    expect(await store.claim('a', retry)).to.equal(undefined);
    expect(store.size).to.equal(1);
  });

  it('keeps its own copy of an answer: a buffer changed after it was stored does not change it', async () => {
    const store = new MemoryIdempotencyStore();
    const claim = claimOf(60_000);
    await store.claim('a', claim);
    const body = Buffer.from('first');
    await store.complete('a', claim, answerOf(claim, body, 60_000));
    body.write('later');
    const found = await store.claim('a', claimOf(60_000));
    expect(found && found.status === 'completed' && found.body.toString()).to.equal('first');
  });

  it('refuses a maxRecords that bounds nothing', () => {
    expect(() => new MemoryIdempotencyStore({ maxRecords: 0 })).to.throw(RangeError, /maxRecords/);
    expect(() => new MemoryIdempotencyStore({ maxRecords: Infinity })).to.throw(RangeError, /maxRecords/);
  });
});
