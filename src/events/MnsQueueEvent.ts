import { IsString } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { CloudEvent } from './CloudEvent';
import { TolerantTriggerEvent } from './tolerant';
import { typedPayloadClass } from './typedPayload';

/** An MNS queue message whose `messageBody` is a `T`. */
export type MnsQueueMessageWithBody<T> = Omit<MnsQueueMessage, 'messageBody'> & { messageBody: T };

/** An MNS queue event whose message body is a `T`. */
export type MnsQueueEventWithBody<T> = Omit<MnsQueueEvent, 'data'> & { data: MnsQueueMessageWithBody<T> };

/** The `data` of an MNS queue event: the message received from the queue. */
@TolerantTriggerEvent()
export class MnsQueueMessage {
  @IsString() requestId!: string;
  @IsString() messageId!: string;
  /** The message body as it was sent. */
  @IsString() messageBody!: string;

  /**
   * The message class whose `messageBody` must be a string of JSON, validated as `body`. See
   * `MnsQueueEvent.withBody`, which is what a handler usually declares.
   */
  static withBody<T extends object>(body: Constructor<T>): new () => MnsQueueMessageWithBody<T> {
    const spec = { property: 'messageBody', type: body, encoding: 'json-string' } as const;
    return typedPayloadClass(MnsQueueMessage, spec) as new () => MnsQueueMessageWithBody<T>;
  }
}

/**
 * What an MNS queue trigger sends through EventBridge: a CloudEvent whose `data` is the message.
 * Unknown fields are stripped. `MnsQueueEvent.withBody(Dto)` validates a JSON message body.
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
export class MnsQueueEvent extends CloudEvent.of(MnsQueueMessage) {
  /**
   * The MNS queue event class whose message body (`data.messageBody`) must be a string of JSON,
   * parsed within the function's validation limits and validated as `body` with its own settings
   * (a strict DTO stays strict; its errors read `data.messageBody.amount`). One class per body
   * class: extend it to name it.
   *
   * @example
   * ```ts
   * class Refund {
   *   @IsString() orderId!: string;
   *   @IsInt() @Min(1) amountCents!: number;
   * }
   * class RefundMessage extends MnsQueueEvent.withBody(Refund) {}
   *
   * @FcFunction()
   * class OnRefund {
   *   @OnInvoke() handle(@Event() event: RefundMessage) {
   *     return { orderId: event.data.messageBody.orderId };
   *   }
   * }
   * ```
   */
  static withBody<T extends object>(body: Constructor<T>): new () => MnsQueueEventWithBody<T> {
    const spec = { property: 'data', type: MnsQueueMessage.withBody(body) };
    return typedPayloadClass(MnsQueueEvent, spec, { nameAfter: body }) as new () => MnsQueueEventWithBody<T>;
  }
}
