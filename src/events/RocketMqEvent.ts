import { IsObject, IsString } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { defineArrayEvent } from '../validation/arrayEvent';
import { CloudEvent } from './CloudEvent';
import { TolerantTriggerEvent } from './tolerant';
import { typedBatchClass, typedPayloadClass } from './typedPayload';

/** A RocketMQ message whose `body` is a `T`. */
export type RocketMqMessageWithBody<T> = Omit<RocketMqMessage, 'body'> & { body: T };

/** A RocketMQ event whose message body is a `T`. */
export type RocketMqEventWithBody<T> = Omit<RocketMqEvent, 'data'> & { data: RocketMqMessageWithBody<T> };

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

  /** The message class whose `body` must be a string of JSON, validated as `body`. */
  static withBody<T extends object>(body: Constructor<T>): new () => RocketMqMessageWithBody<T> {
    const spec = { property: 'body', type: body, encoding: 'json-string' } as const;
    return typedPayloadClass(RocketMqMessage, spec) as new () => RocketMqMessageWithBody<T>;
  }
}

/**
 * What a RocketMQ trigger sends through EventBridge for one message: a CloudEvent whose `data` is
 * the message. Unknown fields are stripped. `RocketMqEvent.withBody(Dto)` validates a JSON body.
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
export class RocketMqEvent extends CloudEvent.of(RocketMqMessage) {
  /**
   * The RocketMQ event class whose message body (`data.body`) must be a string of JSON, parsed
   * within the function's validation limits and validated as `body` with its own settings (errors
   * read `data.body.orderId`). One class per body class: extend it to name it.
   *
   * @example
   * ```ts
   * class OrderPlaced {
   *   @IsString() orderId!: string;
   * }
   * class OrderMessage extends RocketMqEvent.withBody(OrderPlaced) {}
   * ```
   */
  static withBody<T extends object>(body: Constructor<T>): new () => RocketMqEventWithBody<T> {
    const spec = { property: 'data', type: RocketMqMessage.withBody(body) };
    return typedPayloadClass(RocketMqEvent, spec, { nameAfter: body }) as new () => RocketMqEventWithBody<T>;
  }
}

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
export class RocketMqEventBatch extends Array<RocketMqEvent> {
  /**
   * The batch class whose every message body is validated as `body` (`RocketMqEvent.withBody`);
   * an invalid element's errors read `1.data.body.orderId`, and the batch is refused as a whole.
   *
   * @example
   * ```ts
   * class OrderMessages extends RocketMqEventBatch.withBody(OrderPlaced) {}
   * ```
   */
  static withBody<T extends object>(body: Constructor<T>): new () => RocketMqEventWithBody<T>[] {
    const typed = typedBatchClass(RocketMqEventBatch, body, { element: RocketMqEvent.withBody(body) });
    return typed as new () => RocketMqEventWithBody<T>[];
  }
}
defineArrayEvent(RocketMqEventBatch, { element: RocketMqEvent });
