import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDefined, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { defineArrayEvent } from '../validation/arrayEvent';
import { CloudEvent } from './CloudEvent';
import { TolerantTriggerEvent } from './tolerant';
import { typedBatchClass, typedPayloadClass } from './typedPayload';

/** A Kafka record whose `value` is a `T`. */
export type KafkaMessageWithBody<T> = Omit<KafkaMessage, 'value'> & { value: T };

/** A Kafka event whose record value is a `T`. */
export type KafkaEventWithBody<T> = Omit<KafkaEvent, 'data'> & { data: KafkaMessageWithBody<T> };

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

  /** The record class whose `value` must be a string of JSON, validated as `body`. */
  static withBody<T extends object>(body: Constructor<T>): new () => KafkaMessageWithBody<T> {
    const spec = { property: 'value', type: body, encoding: 'json-string' } as const;
    return typedPayloadClass(KafkaMessage, spec) as new () => KafkaMessageWithBody<T>;
  }
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
export class KafkaEvent extends CloudEvent.of(KafkaMessage) {
  /** The Kafka event class whose record value (`data.value`) is validated as `body`. */
  static withBody<T extends object>(body: Constructor<T>): new () => KafkaEventWithBody<T> {
    const spec = { property: 'data', type: KafkaMessage.withBody(body) };
    return typedPayloadClass(KafkaEvent, spec, { nameAfter: body }) as new () => KafkaEventWithBody<T>;
  }
}

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
export class KafkaEventBatch extends Array<KafkaEvent> {
  /**
   * The batch class whose every record value must be a string of JSON, parsed within the
   * function's validation limits and validated as `body` with its own settings (errors read
   * `0.data.value.orderId`). One invalid record refuses the whole batch, which the trigger then
   * delivers again: validate here only what every record must satisfy. One class per body class.
   *
   * @example
   * ```ts
   * class OrderPlaced {
   *   @IsString() orderId!: string;
   * }
   * class OrderRecords extends KafkaEventBatch.withBody(OrderPlaced) {}
   * ```
   */
  static withBody<T extends object>(body: Constructor<T>): new () => KafkaEventWithBody<T>[] {
    const spec = { element: KafkaEvent.withBody(body), elements: 'json-string' } as const;
    return typedBatchClass(KafkaEventBatch, body, spec) as new () => KafkaEventWithBody<T>[];
  }
}
defineArrayEvent(KafkaEventBatch, { element: KafkaEvent, elements: 'json-string' });
