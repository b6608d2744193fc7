import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { IdempotencyRecord, IdempotencyStore, InProgressRecord } from '../../src/idempotency';
import { RedisIdempotencyStore } from '../../src/idempotency';
import { RedisDeadLetterSink, type BatchReport, type DeadLetter } from '../../src/batch';
import { deliverBatch, type TestKernel } from '../../src/testing';
import { startRedisServer, type RedisServer } from '../helpers/redisServer';
import { useTestKernels } from '../helpers/testKernels';
import { Applied, batchOf, POISON, readingsFunction } from './fixtures';

type Redis = ReturnType<typeof createClient>;

/** An idempotency store whose `claim` fails once, at its `failAt`-th call. */
class FailingOnceStore implements IdempotencyStore {
  private calls = 0;
  constructor(
    private readonly store: IdempotencyStore,
    private readonly failAt: number,
  ) {}
  claim(key: string, claim: InProgressRecord): Promise<IdempotencyRecord | undefined> {
    if (++this.calls === this.failAt) return Promise.reject(new Error('connection reset by peer'));
    return this.store.claim(key, claim);
  }
  complete(...args: Parameters<IdempotencyStore['complete']>) {
    return this.store.complete(...args);
  }
  release(...args: Parameters<IdempotencyStore['release']>) {
    return this.store.release(...args);
  }
}

let redis: RedisServer;
let client: Redis;
const stores: RedisIdempotencyStore[] = [];
before(async () => {
  redis = await startRedisServer();
  client = createClient({ url: redis.url });
  await client.connect();
});
after(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await client.close();
  await redis.stop();
});

describe('batch policies: 1,000 Kafka records, 3 poison, a store that fails once, redelivered as FC does (real Redis)', () => {
  const createTestKernel = useTestKernels();
  let applied: Applied;
  let store: IdempotencyStore;
  const { batch, good } = batchOf(1000);
  /** A good record whose first write fails: the application's store fails once. */
  const FAILS_ONCE = 'R-700';

  beforeEach(() => {
    applied = new Applied();
    applied.failOnce.add(FAILS_ONCE);
    const redisStore = new RedisIdempotencyStore({ url: redis.url, prefix: `test-${randomUUID()}:` });
    stores.push(redisStore);
    // The idempotency store fails once too, on the 300th record's claim.
    store = new FailingOnceStore(redisStore, 300);
  });

  const instance = (fn: ReturnType<typeof readingsFunction>, options = {}): TestKernel =>
    createTestKernel(fn, { overrides: [[Applied, { useValue: applied }]], idempotency: { store }, ...options });

  /** Every good record was applied exactly once. */
  function expectGoodAppliedOnce(except: ReadonlySet<string> = new Set()) {
    const wrong = good.filter((id) => !except.has(id) && applied.counts.get(id) !== 1);
    expect(wrong, 'good records not applied exactly once').to.deep.equal([]);
    const poisonApplied = [...POISON.keys()].filter((i) => applied.counts.has(`R-${i}`));
    expect(poisonApplied, 'poison records applied').to.deep.equal([]);
  }

  /** Each record's last outcome in `logs` (one line per record and outcome, with its coordinates). */
  function outcomesIn(logs: readonly string[]): Map<number, string> {
    const outcomes = new Map<number, string>();
    for (const line of logs) {
      const found = /batch: #(\d+) readings\/\d+@\d+ (done|replayed|failed|to be dead-lettered|not attempted)/.exec(
        line,
      );
      if (found) outcomes.set(Number(found[1]), found[2]);
    }
    return outcomes;
  }

  /** Records behind a poison record of their partition (a poison one too): Kafka's order holds them back. */
  const blocked = new Set<number>();
  for (const poison of POISON.keys()) for (let i = poison + 4; i < 1000; i += 4) blocked.add(i);
  const blockedIds = new Set([...blocked].map((i) => `R-${i}`));

  /** What the last push said of every record: poison failed, `held` not attempted, the rest replayed. */
  function expectLastPush(logs: readonly string[], held: ReadonlySet<number>) {
    const outcomes = outcomesIn(logs);
    expect(outcomes.size, 'records the last push accounted for').to.equal(1000);
    for (const [index, status] of outcomes) {
      const expected = held.has(index) ? 'not attempted' : POISON.has(index) ? 'failed' : 'replayed';
      expect(status, `record #${index}`).to.equal(expected);
    }
  }

  it('fail-batch, unordered: every record tried; redeliveries run only what failed; the poison records keep failing', async () => {
    const tk = instance(readingsFunction('fail-batch-unordered', { ordered: false }));
    const outcome = await deliverBatch<BatchReport>(batch, { timeoutSeconds: 60 }).untilDelivered(tk);

    expect(outcome.delivered).to.equal(false);
    expect(outcome.pushes).to.have.length(3);
    expectGoodAppliedOnce();
    expect(outcome.pushes[0].error!.errorMessage).to.match(/^4 of 1000 records failed and 1 were not attempted/);
    expect(outcome.last.error!.errorType).to.equal('BatchFailedError');
    expect(outcome.last.error!.errorMessage).to.match(
      /^3 of 1000 records failed and 0 were not attempted \(0 done, 997 replayed/,
    );
    expectLastPush(outcome.last.logs, new Set());
  });

  it("fail-batch on Kafka's order: a partition stops at its poison record; the records behind it wait, never applied out of order", async () => {
    const tk = instance(readingsFunction('fail-batch', {}));
    const outcome = await deliverBatch<BatchReport>(batch, { timeoutSeconds: 60 }).untilDelivered(tk);

    expect(outcome.delivered).to.equal(false);
    expectGoodAppliedOnce(blockedIds);
    for (const id of blockedIds) expect(applied.counts.has(id), id).to.equal(false);
    expectLastPush(outcome.last.logs, blocked);
  });

  it('stop-at-first-failure, four partitions at once: as fail-batch on an ordered source', async () => {
    const tk = instance(readingsFunction('stop', { policy: 'stop-at-first-failure', concurrency: 4 }));
    const outcome = await deliverBatch<BatchReport>(batch, { timeoutSeconds: 60 }).untilDelivered(tk);

    expect(outcome.delivered).to.equal(false);
    expectGoodAppliedOnce(blockedIds);
    for (const id of blockedIds) expect(applied.counts.has(id), id).to.equal(false);
    expectLastPush(outcome.last.logs, blocked);
  });

  /** The dead letters in the Redis stream `key`. */
  async function streamLetters(key: string): Promise<DeadLetter[]> {
    const entries = (await client.xRange(key, '-', '+')) ?? [];
    return entries.map((entry) => JSON.parse(entry.message.letter) as DeadLetter);
  }

  it('dead-letter to a Redis stream: each poison record dead-lettered once with its coordinates, every good record applied once', async () => {
    const key = `dead-letters:${randomUUID()}`;
    const deadLetters = new RedisDeadLetterSink({ client, key });
    const tk = instance(readingsFunction('dead-letter', { policy: 'dead-letter', attempts: 2 }), {
      batch: { deadLetters },
    });
    const outcome = await deliverBatch<BatchReport>(batch, { timeoutSeconds: 60 }).untilDelivered(tk);

    // The store's failed claim left one record not attempted: the first push failed, the second took it.
    expect(outcome.pushes.map((push) => push.ok)).to.deep.equal([false, true]);
    expectGoodAppliedOnce();
    // Its partition waited behind it (Kafka's order): the second push did those records.
    const last = outcome.last.body;
    expect(last).to.deep.include({ records: 1000, failed: 0, deadLettered: 0, notAttempted: 0 });
    expect(last.done).to.be.greaterThan(0);
    expect(last.done + last.replayed).to.equal(1000);
    const letters = await streamLetters(key);
    expect(letters.map((letter) => letter.coordinates.index).sort((a, b) => a - b)).to.deep.equal([...POISON.keys()]);
    const byIndex = new Map(letters.map((letter) => [letter.coordinates.index, letter]));
    expect(byIndex.get(137)).to.deep.include({ attempts: 0, functionName: 'dead-letter', key: 'readings/1@1034' });
    expect(byIndex.get(137)!.coordinates).to.deep.equal({
      index: 137,
      topic: 'readings',
      partition: 1,
      offset: 1034,
      messageId: byIndex.get(137)!.coordinates.messageId,
    });
    expect(byIndex.get(512)!.error.type).to.equal('ValidationError');
    expect(byIndex.get(880)).to.deep.include({ attempts: 2 });
    expect(byIndex.get(880)!.error).to.deep.equal({
      type: 'Error',
      message: 'reading R-880 is refused by the meter registry',
    });
    expect(JSON.parse(byIndex.get(880)!.record)).to.have.nested.property('data.offset', 1220);
  });

  it('dead-letter to a sink that fails once: the push fails, nothing is lost, the redelivery dead-letters each poison record once', async () => {
    const key = `dead-letters:${randomUUID()}`;
    const list = new RedisDeadLetterSink({ client, key, as: 'list' });
    let failures = 1;
    const deadLetters = async (letters: readonly DeadLetter[]) => {
      if (failures-- > 0) throw new Error('the dead-letter queue is full');
      await list.send(letters);
    };
    const tk = instance(readingsFunction('dead-letter-list', { policy: 'dead-letter', attempts: 2 }), {
      batch: { deadLetters },
    });
    const outcome = await deliverBatch<BatchReport>(batch, { timeoutSeconds: 60 }).untilDelivered(tk);

    expect(outcome.pushes.map((push) => push.ok)).to.deep.equal([false, true]);
    expect(outcome.pushes[0].error!.errorMessage).to.include(
      'the dead-letter sink failed: the dead-letter queue is full',
    );
    expectGoodAppliedOnce();
    const letters = (await client.lRange(key, 0, -1)).map((text) => JSON.parse(text) as DeadLetter);
    expect(letters.map((letter) => letter.coordinates.index).sort((a, b) => a - b)).to.deep.equal([...POISON.keys()]);
    expect(outcome.last.body).to.deep.include({ deadLettered: 3, failed: 0, notAttempted: 0 });
  });
});
