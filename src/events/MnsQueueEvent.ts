import { IsString } from 'class-validator';
import { CloudEvent } from './CloudEvent';
import { TolerantTriggerEvent } from './tolerant';

/** The `data` of an MNS queue event: the message received from the queue. */
@TolerantTriggerEvent()
export class MnsQueueMessage {
  @IsString() requestId!: string;
  @IsString() messageId!: string;
  /** The message body as it was sent. */
  @IsString() messageBody!: string;
}

/**
 * What an MNS queue trigger sends through EventBridge: a CloudEvent whose `data` is the message.
 * Unknown fields are stripped.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnQueueMessage {
 *   @OnInvoke() handle(@Event() event: MnsQueueEvent) {
 *     return { id: event.data.messageId, body: event.data.messageBody };
 *   }
 * }
 * ```
 */
export class MnsQueueEvent extends CloudEvent.of(MnsQueueMessage) {}
