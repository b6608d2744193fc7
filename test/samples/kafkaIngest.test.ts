import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestKernel, fixtures, type KafkaRecordFixture, type TestKernel } from 'fc-kernel/testing';
import { IngestReadingsFunction } from '../../samples/kafka-ingest/IngestReadingsFunction';
import type { IngestResult } from '../../samples/kafka-ingest/IngestResult';
import { InMemoryReadingStore, READING_STORE, type StoredReading } from '../../samples/kafka-ingest/ReadingStore';
import { PROJECT_ROOT } from './helpers';
import { SAMPLES_DIR } from './sampleFiles';

const TOPIC = 'meter-readings';

/** A record of the topic whose value is `value` (an object is sent as its JSON). */
function record(offset: number, value: KafkaRecordFixture['value'], partition = 0): KafkaRecordFixture {
  return { topic: TOPIC, partition, offset, value };
}

function reading(meterId: string, kwh: number, takenAt = '2024-05-06T07:18:00Z') {
  return { meterId, kwh, takenAt };
}

/** A store that fails while `down`, as a database does when it goes away. */
class FlakyStore extends InMemoryReadingStore {
  down = false;
  readonly attempts: number[] = [];

  override async save(stored: StoredReading): Promise<void> {
    this.attempts.push(stored.offset);
    if (this.down) throw new Error('connection reset');
    await super.save(stored);
  }
}

describe('samples/kafka-ingest with the testing kit', () => {
  let store: FlakyStore;
  let tk: TestKernel;

  beforeEach(() => {
    store = new FlakyStore();
    tk = createTestKernel(IngestReadingsFunction, { overrides: [[READING_STORE, { useValue: store }]] });
  });
  afterEach(() => tk.close());

  async function ingest(records: KafkaRecordFixture[]): Promise<IngestResult> {
    const res = await tk.invoke<IngestResult>(fixtures.kafka(records));
    expect(res.ok, JSON.stringify(res.error)).to.equal(true);
    return res.body;
  }

  it('stores every reading of a valid batch, with the record it came from', async () => {
    const result = await ingest([record(41, reading('M-0042', 1523.7)), record(7, reading('M-0043', 0), 3)]);
    expect(result).to.deep.equal({ received: 2, stored: 2, failed: [] });
    expect([...store.readings.values()]).to.deep.equal([
      { meterId: 'M-0042', kwh: 1523.7, takenAt: '2024-05-06T07:18:00Z', topic: TOPIC, partition: 0, offset: 41 },
      { meterId: 'M-0043', kwh: 0, takenAt: '2024-05-06T07:18:00Z', topic: TOPIC, partition: 3, offset: 7 },
    ]);
  });

  describe('a batch with bad records', () => {
    const bad: { name: string; value: KafkaRecordFixture['value']; reason: string }[] = [
      { name: 'not JSON', value: 'M-0042;1523.7', reason: 'the value is not JSON' },
      // What FC's published example carries: a Python producer's bytes repr.
      { name: "a producer's bytes repr", value: `b'{"meterId": "M-0042"}'`, reason: 'the value is not JSON' },
      { name: 'a JSON array', value: '[1523.7]', reason: 'the value is not a JSON object' },
      { name: 'a negative reading', value: reading('M-0042', -4), reason: 'kwh must not be less than 0' },
      { name: 'a malformed meter id', value: reading('meter 42', 1), reason: 'meterId must look like M-0042' },
      {
        name: 'a reading time that is not a timestamp',
        value: reading('M-0042', 1, 'this morning'),
        reason: 'takenAt must be a valid ISO 8601 date string',
      },
      {
        name: 'an unknown field',
        value: { ...reading('M-0042', 1), unit: 'Wh' },
        reason: 'property unit should not exist',
      },
      {
        name: 'JSON that class-transformer trips on',
        value: { ...reading('M-0042', 1), meterId: { constructor: 'x' } },
        reason: "the value is not a reading: Cannot read properties of undefined (reading 'constructor')",
      },
    ];
    for (const { name, value, reason } of bad) {
      it(`reports ${name} by its offset, and stores the records around it`, async () => {
        const res = await tk.invoke<IngestResult>(
          fixtures.kafka([record(10, reading('M-0001', 1)), record(11, value), record(12, reading('M-0003', 3))]),
        );
        expect(res.ok, JSON.stringify(res.error)).to.equal(true);
        expect(res.body).to.deep.equal({
          received: 3,
          stored: 2,
          failed: [{ topic: TOPIC, partition: 0, offset: 11, reason }],
        });
        expect([...store.readings.values()].map((r) => r.offset)).to.deep.equal([10, 12]);
        expect(res.logs.some((l) => l.endsWith(`[WARN] ${TOPIC}/0@11 rejected: ${reason}`))).to.equal(true);
      });
    }

    it('reports every bad record of a batch, in delivery order', async () => {
      const result = await ingest([
        record(5, 'x', 1),
        record(6, reading('M-0006', 6), 1),
        record(90, reading('M-0090', -1), 2),
        record(7, '{}', 1),
      ]);
      expect(result.failed.map((f) => `${f.partition}@${f.offset}`)).to.deep.equal(['1@5', '2@90', '1@7']);
      expect(result.failed[2]!.reason).to.match(/^meterId must look like M-0042; kwh must/);
      expect(result).to.include({ received: 4, stored: 1 });
    });

    it("reports FC's published Kafka payload as a record that is not JSON", async () => {
      const published = readFileSync(join(PROJECT_ROOT, 'test/fixtures/fc-events/kafka-eventbridge.json'));
      const res = await tk.invoke<IngestResult>(published);
      expect(res.body).to.deep.equal({
        received: 1,
        stored: 0,
        failed: [{ topic: 'HelloTopic', partition: 9, offset: 3, reason: 'the value is not JSON' }],
      });
    });
  });

  describe('a batch that is not a Kafka batch', () => {
    it('fails as a whole, with the path of the element that is wrong, and stores nothing', async () => {
      const [good] = fixtures.kafka([record(1, reading('M-0001', 1))]);
      const res = await tk.invoke([good, JSON.stringify({ data: { topic: TOPIC } })]);
      expect(res.ok).to.equal(false);
      expect(res.error?.errorType).to.equal('ValidationError');
      expect(res.error?.errors?.map((e) => e.path)).to.include.members(['1.id', '1.data.offset']);
      expect(store.readings.size).to.equal(0);
    });

    it('is refused when it is a CloudEvent instead of an array of them', async () => {
      const res = await tk.invoke(fixtures.cloudEvent(reading('M-0001', 1)));
      expect(res.ok).to.equal(false);
      expect(store.attempts).to.deep.equal([]);
    });
  });

  describe('a store that fails', () => {
    it('fails the invocation, so that EventBridge delivers the batch again', async () => {
      await tk.initialize();
      store.down = true;
      const res = await tk.invoke(fixtures.kafka([record(1, reading('M-0001', 1)), record(2, reading('M-0002', 2))]));
      expect(res.ok).to.equal(false);
      expect(res.xFcStatus).to.equal(404);
      expect(res.error).to.include({ errorType: 'Error', errorMessage: 'connection reset' });
      expect(store.attempts, 'the first failure ends the batch').to.deep.equal([1]);
    });

    it('stores a delivered-again batch once: the readings stored before the failure are not doubled', async () => {
      const batch = fixtures.kafka([record(1, reading('M-0001', 1)), record(2, reading('M-0002', 2))]);
      const flaky = new (class extends FlakyStore {
        override async save(stored: StoredReading): Promise<void> {
          // Down after the first reading of the first delivery.
          this.down = this.attempts.length === 1;
          await super.save(stored);
        }
      })();
      const retried = createTestKernel(IngestReadingsFunction, { overrides: [[READING_STORE, { useValue: flaky }]] });
      try {
        expect((await retried.invoke(batch)).ok).to.equal(false);
        expect([...flaky.readings.keys()]).to.deep.equal([`${TOPIC}/0/1`]);
        const again = await retried.invoke<IngestResult>(batch);
        expect(again.body).to.deep.equal({ received: 2, stored: 2, failed: [] });
        expect([...flaky.readings.keys()]).to.deep.equal([`${TOPIC}/0/1`, `${TOPIC}/0/2`]);
      } finally {
        await retried.close();
      }
    });
  });

  describe('lifecycle', () => {
    it('@OnInitialize connects the store, once; @OnPreStop closes it', async () => {
      const init = await tk.initialize();
      expect(init.ok).to.equal(true);
      expect(store.connected).to.equal(true);
      expect(init.logs.some((l) => l.endsWith('[INFO] reading store connected'))).to.equal(true);
      await ingest([record(1, reading('M-0001', 1))]);
      const stop = await tk.preStop();
      expect(stop.ok).to.equal(true);
      expect(store.connected).to.equal(false);
      expect(stop.logs.some((l) => l.endsWith('[INFO] reading store closed'))).to.equal(true);
    });

    it('connects on the first batch when FC never called /initialize', async () => {
      expect((await ingest([record(1, reading('M-0001', 1))])).stored).to.equal(1);
      expect(store.connected).to.equal(true);
    });
  });

  it("answers the sample's event.json: offsets 41 and 43 stored, 42 reported", async () => {
    const res = await tk.invoke<IngestResult>(readFileSync(join(SAMPLES_DIR, 'kafka-ingest/event.json')));
    expect(res.body).to.deep.equal({
      received: 3,
      stored: 2,
      failed: [{ topic: TOPIC, partition: 0, offset: 42, reason: 'kwh must not be less than 0' }],
    });
    expect([...store.readings.values()].map((r) => r.meterId)).to.deep.equal(['M-0042', 'M-0044']);
  });
});
