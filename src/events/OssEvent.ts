import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { TolerantTriggerEvent } from './tolerant';

/** The bucket an OSS event concerns. */
export class OssBucket {
  @IsString() name!: string;
  /** `acs:oss:<region>:<account>:<bucket>`. */
  @IsString() arn!: string;
  /** The account that owns the bucket. */
  @IsString() ownerIdentity!: string;
  @IsOptional() @IsString() virtualBucket?: string;
}

/** System metadata of the object, as OSS reports it. */
export class OssObjectMeta {
  @IsOptional() @IsString() mimeType?: string;
  /** The object's `x-oss-meta-*` user metadata. */
  @IsOptional() @IsObject() userMeta?: Record<string, string>;
}

/** The object an OSS event concerns. */
export class OssObject {
  /** The object's key, as OSS reports it (`image/a.jpg`). */
  @IsString() key!: string;
  /** Size in bytes; absent on `ObjectRemoved:*` events, which have no object left to measure. */
  @IsOptional() @IsInt() size?: number;
  /** Absent on `ObjectRemoved:*` events. */
  @IsOptional() @IsString() eTag?: string;
  /** How much the bucket's stored size changed. */
  @IsOptional() @IsInt() deltaSize?: number;
  @IsOptional() @ValidateNested() @Type(() => OssObjectMeta) objectMeta?: OssObjectMeta;
}

/** The `oss` part of a record: bucket, object and the notification rule that matched. */
export class OssEntity {
  @IsDefined() @ValidateNested() @Type(() => OssBucket) bucket!: OssBucket;
  @IsDefined() @ValidateNested() @Type(() => OssObject) object!: OssObject;
  @IsString() ossSchemaVersion!: string;
  /** The trigger's notification rule. */
  @IsString() ruleId!: string;
}

/** Who caused the event. */
export class OssUserIdentity {
  @IsString() principalId!: string;
}

/** The request that caused the event. */
export class OssRequestParameters {
  @IsString() sourceIPAddress!: string;
}

/** OSS's answer to that request. */
export class OssResponseElements {
  @IsString() requestId!: string;
}

/** One OSS object event: `ObjectCreated:PutObject`, `ObjectRemoved:DeleteObject`, ... */
export class OssEventRecord {
  /** `ObjectCreated:*`, `ObjectRemoved:*` or `ObjectModified:*`, without the `oss:` prefix. */
  @IsString() eventName!: string;
  /** `acs:oss`. */
  @IsString() eventSource!: string;
  /** ISO-8601. */
  @IsString() eventTime!: string;
  @IsString() eventVersion!: string;
  @IsString() region!: string;
  @IsDefined() @ValidateNested() @Type(() => OssEntity) oss!: OssEntity;
  @IsDefined() @ValidateNested() @Type(() => OssUserIdentity) userIdentity!: OssUserIdentity;
  @IsDefined() @ValidateNested() @Type(() => OssRequestParameters) requestParameters!: OssRequestParameters;
  @IsDefined() @ValidateNested() @Type(() => OssResponseElements) responseElements!: OssResponseElements;
}

/**
 * What an OSS trigger sends: the object events of one notification. Object creation and removal
 * share the shape; `size` and `eTag` are absent on removals. Unknown fields are stripped.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnUpload {
 *   @OnInvoke() handle(@Event() event: OssEvent) {
 *     return event.events
 *       .filter((e) => e.eventName.startsWith('ObjectCreated:'))
 *       .map((e) => `${e.oss.bucket.name}/${e.oss.object.key}`);
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class OssEvent {
  @IsArray() @ValidateNested({ each: true }) @Type(() => OssEventRecord) events!: OssEventRecord[];
}
