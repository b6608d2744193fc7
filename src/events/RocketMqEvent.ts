import { IsObject, IsString } from 'class-validator';
import { defineArrayEvent } from '../validation/arrayEvent';
import { CloudEvent } from './CloudEvent';
import { TolerantTriggerEvent } from './tolerant';

/** The `data` of a RocketMQ event: one message. */
@TolerantTriggerEvent()
export class RocketMqMessage {
  @IsString() topic!: string;
  /** The message body as it was sent. */
  @IsString() body!: string;
  /** RocketMQ's properties (`KEYS`, `TAGS`, `MIN_OFFSET`, `CONSUME_START_TIME`, ...), as sent. */
  @IsObject() systemProperties!: Record<string, string | number>;
  /** The producer's own message properties. */
  @IsObject() userProperties!: Record<string, string>;
}

/**
 * What a RocketMQ trigger sends through EventBridge for one message: a CloudEvent whose `data` is
 * the message. Unknown fields are stripped.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnMessage {
 *   @OnInvoke() handle(@Event() event: RocketMqEvent) {
 *     return { topic: event.data.topic, tags: event.data.systemProperties.TAGS };
 *   }
 * }
 * ```
 */
export class RocketMqEvent extends CloudEvent.of(RocketMqMessage) {}

/**
 * What a RocketMQ trigger with batching sends: a JSON array of `RocketMqEvent`s. The handler
 * receives a `RocketMqEventBatch` (an array) of validated events; an invalid element's errors
 * read `2.data.topic`.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnMessages {
 *   @OnInvoke() handle(@Event() batch: RocketMqEventBatch) {
 *     return batch.map((event) => event.data.body);
 *   }
 * }
 * ```
 */
export class RocketMqEventBatch extends Array<RocketMqEvent> {}
defineArrayEvent(RocketMqEventBatch, { element: RocketMqEvent });
