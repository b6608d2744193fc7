import { Allow, IsObject, IsOptional, IsString } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { TolerantTriggerEvent } from './tolerant';
import { typedPayloadClass } from './typedPayload';

/** A class whose instances are CloudEvents carrying a `T` as `data`. */
export type CloudEventClass<T> = new () => CloudEvent<T>;

/**
 * A CloudEvent 1.0 as EventBridge delivers it to FC (MNS queues, RocketMQ, Kafka, custom
 * sources), with Alibaba Cloud's extension attributes. Used as it is, `data` is any JSON value,
 * unvalidated; `CloudEvent.of(Data)` makes the class whose `data` is validated as `Data`.
 * Unknown attributes are stripped, not rejected.
 *
 * @example
 * ```ts
 * class OrderPlaced {
 *   @IsString() orderId!: string;
 * }
 * class OrderPlacedEvent extends CloudEvent.of(OrderPlaced) {}
 *
 * @FcFunction()
 * class OnOrderPlaced {
 *   @OnInvoke() handle(@Event() event: OrderPlacedEvent) {
 *     return { source: event.source, orderId: event.data.orderId };
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class CloudEvent<T = unknown> {
  @IsString() id!: string;
  @IsString() source!: string;
  @IsString() specversion!: string;
  @IsString() type!: string;
  @IsOptional() @IsString() datacontenttype?: string;
  @IsOptional() @IsString() dataschema?: string;
  @IsOptional() @IsString() subject?: string;
  @IsOptional() @IsString() time?: string;
  /** The Alibaba Cloud account the event belongs to. */
  @IsOptional() @IsString() aliyunaccountid?: string;
  /** When EventBridge published the event. */
  @IsOptional() @IsString() aliyunpublishtime?: string;
  @IsOptional() @IsString() aliyunoriginalaccountid?: string;
  @IsOptional() @IsString() aliyuneventbusname?: string;
  @IsOptional() @IsString() aliyunregionid?: string;
  @IsOptional() @IsString() aliyunpublishaddr?: string;
  /** The payload: any JSON value here; an instance of `Data` in a `CloudEvent.of(Data)`. */
  @Allow() data!: T;

  /**
   * The CloudEvent class whose `data` must be a JSON object valid as `data` (validated with
   * `data`'s own settings, so a strict DTO stays strict inside the tolerant envelope; its errors
   * read `data.orderId`). One class per data class: extend it to name it.
   *
   * @example
   * ```ts
   * class OrderPlacedEvent extends CloudEvent.of(OrderPlaced) {}
   * ```
   */
  static of<T extends object>(data: Constructor<T>): CloudEventClass<T> {
    const typed = typedPayloadClass(
      CloudEvent,
      { property: 'data', type: data },
      { prepare: (c) => IsObject()(c.prototype as object, 'data') },
    );
    return typed as CloudEventClass<T>;
  }
}
