/**
 * Where a record of a batch came from, as far as its source says: what its dead letter and its
 * log lines name it by. A record too malformed to read them from has its `index` alone.
 */
export interface RecordCoordinates {
  /** The record's position in the delivered batch, 0 first. */
  readonly index: number;
  /** Kafka's or RocketMQ's topic. */
  readonly topic?: string;
  /** Kafka's partition (RocketMQ's queue id, when the message carries one). */
  readonly partition?: number | string;
  /** Kafka's offset (RocketMQ's queue offset, when the message carries one). */
  readonly offset?: number | string;
  /** The message id: MNS's `messageId`, a CloudEvent's `id`. */
  readonly messageId?: string;
}

/**
 * One record of a batch, as a per-record handler receives it.
 *
 * @example
 * ```ts
 * @OnRecord(KafkaEventBatch, { body: MeterReading })
 * async store(record: BatchRecord<MeterReading, KafkaEvent>, ctx: FcContext) {
 *   await this.readings.save(record.body, record.coordinates.offset);
 * }
 * ```
 */
export interface BatchRecord<TBody = unknown, TEvent = unknown> {
  /**
   * The record's body: an instance of the `body` class when one is given (decoded from the JSON
   * the source carries, a string of it included), else the body as the source carries it (a Kafka
   * record's `value`, a RocketMQ message's `body`, an MNS message's `messageBody`, a CloudEvent's
   * `data`, an element of an array event).
   */
  readonly body: TBody;
  /** The record as its source's class validated it (a `KafkaEvent`, a `RocketMqEvent`...). */
  readonly event: TEvent;
  readonly coordinates: RecordCoordinates;
  /** What the record is remembered by between deliveries (from its coordinates, or its content). */
  readonly key: string;
  /** Which try of the record this is within the invocation, 1 first (the dead-letter policy tries again). */
  readonly attempt: number;
}
