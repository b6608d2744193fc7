/**
 * fc-kernel/events: what Function Compute's triggers send, as validated classes named for their
 * trigger with FC's own field names, and fixture builders that produce those payloads.
 *
 * A nested object FC always sends is declared `@IsDefined() @ValidateNested() @Type(...)`, one it
 * may leave out `@IsOptional()`: class-validator skips `@ValidateNested()` on a missing value, so
 * without either a payload lacking the object would pass validation and the handler would fail
 * reading it. The same holds for a DTO of your own.
 *
 * @example
 * ```ts
 * class Shipment {
 *   @IsDefined() @ValidateNested() @Type(() => Address) to!: Address;
 *   @IsOptional() @ValidateNested() @Type(() => Address) returnTo?: Address;
 * }
 * ```
 */
// class-transformer's @Type reads decorator metadata while these classes are declared, so the
// polyfill must load first even when fc-kernel/events is imported before fc-kernel.
import 'reflect-metadata';

export { CloudEvent, type CloudEventClass } from './CloudEvent';
export {
  OssEvent,
  OssEventRecord,
  OssEntity,
  OssBucket,
  OssObject,
  OssObjectMeta,
  OssUserIdentity,
  OssRequestParameters,
  OssResponseElements,
} from './OssEvent';
export { TimerEvent, type TimerEventClass, type TimerEventWithPayload } from './TimerEvent';
export { MnsTopicEvent, type MnsTopicEventWithBody } from './MnsTopicEvent';
export {
  MnsQueueEvent,
  MnsQueueMessage,
  type MnsQueueEventWithBody,
  type MnsQueueMessageWithBody,
} from './MnsQueueEvent';
export { SlsEvent, SlsEventSource } from './SlsEvent';
export { CdnEvent, CdnEventRecord, CdnEventParameter, CdnResource, CdnUserIdentity } from './CdnEvent';
export {
  RocketMqEvent,
  RocketMqEventBatch,
  RocketMqMessage,
  type RocketMqEventWithBody,
  type RocketMqMessageWithBody,
} from './RocketMqEvent';
export {
  KafkaEvent,
  KafkaEventBatch,
  KafkaMessage,
  KafkaHeaders,
  type KafkaEventWithBody,
  type KafkaMessageWithBody,
} from './KafkaEvent';
export { ApiGatewayEvent } from './ApiGatewayEvent';
export {
  DestinationEvent,
  DestinationRequestContext,
  DestinationResponseContext,
  type DestinationEventWithPayload,
} from './DestinationEvent';
export { ApiGatewayResponse, type ApiGatewayResponseInit } from './ApiGatewayResponse';
export {
  fixtures,
  type FcPayload,
  type CloudEventAttributes,
  type OssRecordFixture,
  type TimerFixture,
  type SlsFixture,
  type CdnRecordFixture,
  type KafkaRecordFixture,
  type MnsQueueMessageFixture,
  type MnsTopicFixture,
  type RocketMqMessageFixture,
  type ApiGatewayFixture,
  type DestinationFixture,
} from './fixtures';
