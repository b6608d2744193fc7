// tsyringe needs the Reflect polyfill before it loads, and an app may import this module first.
import 'reflect-metadata';

/**
 * `fc-kernel/batch`: handlers written per record of the batches FC's triggers deliver (Kafka,
 * RocketMQ, MNS queue, any array event), with explicit failure policies: fail the batch (FC
 * delivers it again, records done are skipped), dead-letter failed records, or stop at the first
 * failure of an ordered partition.
 *
 * @example
 * ```ts
 * import { OnRecord, type BatchRecord } from 'fc-kernel/batch';
 *
 * @FcFunction({ name: 'ingest-readings' })
 * class IngestReadings {
 *   @OnRecord(KafkaEventBatch, { body: MeterReading, policy: 'dead-letter' })
 *   async store(record: BatchRecord<MeterReading>) { ... }
 * }
 * serve({
 *   functions: [IngestReadings],
 *   idempotency: { store: new RedisIdempotencyStore({ url }) },
 *   batch: { deadLetters: new RedisDeadLetterSink({ url, key: 'ingest:dead-letters' }) },
 * });
 * ```
 */
export { OnRecord } from './OnRecord';
export { forEachRecord, type BatchDescription, type BatchProvider } from './forEachRecord';
export type { BatchRecord, RecordCoordinates } from './BatchRecord';
export type { BatchSource } from './decodeRecords';
export type { BatchConfig, BatchOptions, BatchPolicy } from './options';
export {
  BatchFailedError,
  MAX_LISTED_RECORDS,
  type BatchReport,
  type RecordOutcome,
  type RecordStatus,
} from './BatchReport';
export { MAX_DEAD_LETTER_RECORD_BYTES, type DeadLetter, type DeadLetterSink } from './DeadLetter';
export { RedisDeadLetterSink, type RedisDeadLetterSinkOptions } from './RedisDeadLetterSink';
