import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDefined, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { defineArrayEvent } from '../validation/arrayEvent';
import { CloudEvent } from './CloudEvent';
import { TolerantTriggerEvent } from './tolerant';

/** The record's headers, as Kafka's Java client serialises them. */
export class KafkaHeaders {
  @IsArray() headers!: unknown[];
  @IsBoolean() isReadOnly!: boolean;
}

/** The `data` of a Kafka event: one record of the topic. */
@TolerantTriggerEvent()
export class KafkaMessage {
  @IsString() topic!: string;
  @IsInt() partition!: number;
  @IsInt() offset!: number;
  /** Milliseconds since the epoch. */
  @IsInt() timestamp!: number;
  @IsDefined() @ValidateNested() @Type(() => KafkaHeaders) headers!: KafkaHeaders;
  /** The record's key, when the producer set one. */
  @IsOptional() @IsString() key?: string;
  /** The record's value as text. */
  @IsString() value!: string;
}

/**
 * One Kafka record as EventBridge delivers it: a CloudEvent whose `data` is the record. Unknown
 * fields are stripped.
 *
 * @example
 * ```ts
 * const partitions = (batch: KafkaEventBatch) => batch.map((event: KafkaEvent) => event.data.partition);
 * ```
 */
export class KafkaEvent extends CloudEvent.of(KafkaMessage) {}

/**
 * What a Kafka trigger (through EventBridge) sends: a JSON array whose every element is a
 * *string* holding one `KafkaEvent` as JSON. Each string is parsed (with the bounds of an event
 * body) and validated; the handler receives a `KafkaEventBatch` (an array) of `KafkaEvent`s, and an
 * invalid element's errors read `0.data.offset`.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class Ingest {
 *   @OnInvoke() handle(@Event() batch: KafkaEventBatch) {
 *     return batch.map((event) => `${event.data.topic}@${event.data.offset}: ${event.data.value}`);
 *   }
 * }
 * ```
 */
export class KafkaEventBatch extends Array<KafkaEvent> {}
defineArrayEvent(KafkaEventBatch, { element: KafkaEvent, elements: 'json-string' });
