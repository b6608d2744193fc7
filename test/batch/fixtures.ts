import { IsInt, IsString, Matches, Min } from 'class-validator';
import { FcFunction, injectable } from '../../src';
import { OnRecord, type BatchOptions, type BatchRecord } from '../../src/batch';
import { KafkaEventBatch } from '../../src/events';
import { fixtures, type KafkaRecordFixture } from '../../src/testing';

/** A reading the meter registry refuses: the handler fails on it every time. */
export const REFUSED_WH = 666_666;

/** A record's body: a meter reading. */
export class Reading {
  @IsString() @Matches(/^R-\d+$/) id!: string;
  @IsInt() @Min(0) wh!: number;
}

/**
 * Where good records are applied, shared by every instance of a test: how many times each was
 * applied, and failures to come (a store that fails once).
 */
@injectable()
export class Applied {
  readonly counts = new Map<string, number>();
  /** Ids whose next write fails once. */
  readonly failOnce = new Set<string>();

  async apply(reading: Reading): Promise<void> {
    await Promise.resolve();
    if (reading.wh === REFUSED_WH) throw new Error(`reading ${reading.id} is refused by the meter registry`);
    if (this.failOnce.delete(reading.id)) throw new Error(`the store is unavailable (writing ${reading.id})`);
    this.counts.set(reading.id, (this.counts.get(reading.id) ?? 0) + 1);
  }
}

/** A Kafka-fed function per policy: each applies a record's reading. */
export function readingsFunction(name: string, options: BatchOptions) {
  @FcFunction({ name })
  class IngestReadings {
    constructor(readonly applied: Applied) {}

    @OnRecord(KafkaEventBatch, { body: Reading, ...options })
    async apply(record: BatchRecord<Reading>): Promise<void> {
      await this.applied.apply(record.body);
    }
  }
  return IngestReadings;
}

/** The three poison records of `batchOf`, by index: not JSON, invalid, refused by the handler. */
export const POISON = new Map<number, string>([
  [137, 'not JSON'],
  [512, 'negative'],
  [880, 'refused'],
]);

/** `count` Kafka records over four partitions, with the poison records of `POISON`. */
export function batchOf(count: number): { batch: string[]; good: string[] } {
  const records: KafkaRecordFixture[] = [];
  const good: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = { topic: 'readings', partition: i % 4, offset: 1000 + Math.floor(i / 4) };
    const poison = POISON.get(i);
    if (poison === 'not JSON') records.push({ ...at, value: '{"id": "R-' });
    else if (poison === 'negative') records.push({ ...at, value: { id: `R-${i}`, wh: -5 } });
    else if (poison === 'refused') records.push({ ...at, value: { id: `R-${i}`, wh: REFUSED_WH } });
    else {
      records.push({ ...at, value: { id: `R-${i}`, wh: i } });
      good.push(`R-${i}`);
    }
  }
  return { batch: fixtures.kafka(records), good };
}
