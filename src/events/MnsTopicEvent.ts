import { IsInt, IsOptional, IsString } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { TolerantTriggerEvent } from './tolerant';
import { typedPayloadClass } from './typedPayload';

/** An MNS topic notification whose `Message` is a `T`. */
export type MnsTopicEventWithBody<T> = Omit<MnsTopicEvent, 'Message'> & { Message: T };

/**
 * What an MNS topic trigger sends with the JSON notification format. The field names are MNS's
 * own, capitalised. Unknown fields are stripped. `MnsTopicEvent.withBody(Dto)` validates a JSON
 * message.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnNotice {
 *   @OnInvoke() handle(@Event() notice: MnsTopicEvent) {
 *     return { topic: notice.TopicName, message: notice.Message };
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class MnsTopicEvent {
  @IsString() TopicOwner!: string;
  @IsString() TopicName!: string;
  @IsString() Subscriber!: string;
  @IsString() SubscriptionName!: string;
  @IsString() MessageId!: string;
  /** The MD5 of `Message`, as MNS computed it. */
  @IsString() MessageMD5!: string;
  /** The message as published (JSON of the publisher's, often). */
  @IsString() Message!: string;
  /** The tag the message was published with, when it has one. */
  @IsOptional() @IsString() MessageTag?: string;
  /** Milliseconds since the epoch. */
  @IsInt() PublishTime!: number;

  /**
   * The notification class whose `Message` must be a string of JSON, parsed within the function's
   * validation limits and validated as `body` with its own settings (errors read `Message.sku`).
   * One class per body class: extend it to name it.
   *
   * @example
   * ```ts
   * class StockChanged {
   *   @IsString() sku!: string;
   *   @IsInt() available!: number;
   * }
   * class StockNotice extends MnsTopicEvent.withBody(StockChanged) {}
   * ```
   */
  static withBody<T extends object>(body: Constructor<T>): new () => MnsTopicEventWithBody<T> {
    const spec = { property: 'Message', type: body, encoding: 'json-string' } as const;
    return typedPayloadClass(MnsTopicEvent, spec) as new () => MnsTopicEventWithBody<T>;
  }
}
