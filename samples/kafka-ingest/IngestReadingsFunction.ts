import {
  Ctx,
  Event,
  FcContext,
  FcFunction,
  inject,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  OnPreStop,
  registry,
} from 'fc-kernel';
import { KafkaEventBatch } from 'fc-kernel/events';
import type { FailedRecord, IngestResult } from './IngestResult';
import type { MeterReading } from './MeterReading';
import { ReadingDecoder, RejectedRecord } from './ReadingDecoder';
import { InMemoryReadingStore, READING_STORE, type ReadingStore } from './ReadingStore';

/**
 * Stores the meter readings a Kafka topic carries, batch by batch as EventBridge delivers them.
 * A record whose value is not a valid reading is reported in the result (and logged) while the
 * rest of its batch is stored: delivering it again would not make it valid. A store that fails
 * fails the invocation instead, so that EventBridge delivers the batch again; storing is keyed by
 * the record, so the readings stored before the failure are not stored twice.
 */
@FcFunction({ name: 'ingest-readings' })
@registry([{ token: READING_STORE, useClass: InMemoryReadingStore, options: { lifecycle: Lifecycle.Singleton } }])
export class IngestReadingsFunction {
  constructor(
    private readonly decoder: ReadingDecoder,
    @inject(READING_STORE) private readonly store: ReadingStore,
  ) {}

  @OnInitialize()
  async connect(@Ctx() ctx: FcContext): Promise<void> {
    await this.store.connect();
    ctx.logger.info('reading store connected');
  }

  @OnInvoke()
  async ingest(@Event() batch: KafkaEventBatch, @Ctx() ctx: FcContext): Promise<IngestResult> {
    const failed: FailedRecord[] = [];
    // One at a time, in delivery order: readings of one partition are stored in offset order.
    for (const { data: record } of batch) {
      const source = { topic: record.topic, partition: record.partition, offset: record.offset };
      let reading: MeterReading;
      try {
        reading = this.decoder.decode(record.value);
      } catch (error) {
        if (!(error instanceof RejectedRecord)) throw error;
        failed.push({ ...source, reason: error.message });
        ctx.logger.warn(`${record.topic}/${record.partition}@${record.offset} rejected: ${error.message}`);
        continue;
      }
      await this.store.save({ ...reading, ...source });
    }
    const result = { received: batch.length, stored: batch.length - failed.length, failed };
    ctx.logger.info(`stored ${result.stored} of ${result.received} reading(s)`);
    return result;
  }

  @OnPreStop()
  async close(@Ctx() ctx: FcContext): Promise<void> {
    await this.store.close();
    ctx.logger.info('reading store closed');
  }
}
