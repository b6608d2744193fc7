import { IsInt, IsOptional, IsString } from 'class-validator';
import { TolerantTriggerEvent } from './tolerant';

/**
 * What an MNS topic trigger sends with the JSON notification format. The field names are MNS's
 * own, capitalised. Unknown fields are stripped.
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
}
