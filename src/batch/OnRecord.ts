import { OnInvoke } from '../decorators/lifecycle';
import { UseInterceptors } from '../decorators/UseInterceptors';
import type { BatchSource } from './decodeRecords';
import { forEachRecord } from './forEachRecord';
import type { BatchOptions } from './options';

/**
 * The function's handler, called once per record of the batch FC delivers (a Kafka, RocketMQ or
 * MNS queue trigger's, any array event), with the record (`BatchRecord`) and the context: in
 * place of `@OnInvoke`. Each record is decoded and validated on its own (its body as `body`, JSON
 * in a string included), so an invalid record fails alone; what a failed record does to the batch
 * is the `policy` (see `BatchPolicy`). The invocation answers a `BatchReport`, or fails with
 * `BatchFailedError` when records are left for FC to deliver again. Records done are remembered
 * in the kernel's idempotency store, so that the redelivered batch skips them.
 *
 * @example
 * ```ts
 * @FcFunction({ name: 'ingest-readings' })
 * class IngestReadings {
 *   constructor(private readonly readings: ReadingStore) {}
 *
 *   @OnRecord(KafkaEventBatch, { body: MeterReading })
 *   async store(record: BatchRecord<MeterReading, KafkaEvent>, ctx: FcContext) {
 *     await this.readings.save(record.body);
 *   }
 * }
 * serve({ functions: [IngestReadings], idempotency: { store: new RedisIdempotencyStore({ url }) } });
 * ```
 */
export function OnRecord(source: BatchSource, options: BatchOptions = {}): MethodDecorator {
  // FC's body reaches the batch layer as bytes: each record is decoded there, on its own.
  const invoke = OnInvoke({ event: Buffer });
  const each = UseInterceptors(forEachRecord(source, options));
  return (prototype, method, descriptor) => {
    invoke(prototype, method, descriptor);
    each(prototype, method, descriptor);
  };
}
