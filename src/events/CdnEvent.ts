import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { TolerantTriggerEvent } from './tolerant';

/**
 * What happened, by event: `LogFileCreated` gives the log file (`filePath`, `fileSize`,
 * `startTime`, `endTime`); `CachedObjects*` the objects and task; `CdnDomain*` the `status`.
 */
export class CdnEventParameter {
  @IsString() domain!: string;
  /** `LogFileCreated`: where the log file can be downloaded. */
  @IsOptional() @IsString() filePath?: string;
  /** `LogFileCreated`: bytes. */
  @IsOptional() @IsInt() fileSize?: number;
  /** `LogFileCreated`: the period the log covers, seconds since the epoch. */
  @IsOptional() @IsInt() startTime?: number;
  @IsOptional() @IsInt() endTime?: number;
  /** `CachedObjects*`: the refreshed, pushed or blocked URLs. */
  @IsOptional() @IsArray() @IsString({ each: true }) objectPath?: string[];
  /** `CachedObjects*`: `File` or `Directory`. */
  @IsOptional() @IsString() objectType?: string;
  @IsOptional() @IsInt() taskId?: number;
  @IsOptional() @IsInt() createTime?: number;
  @IsOptional() @IsInt() completeTime?: number;
  /** `CdnDomain*`: the domain's status. */
  @IsOptional() @IsString() status?: string;
}

/** The domain the event concerns. */
export class CdnResource {
  @IsString() domain!: string;
}

/** The account the domain belongs to. */
export class CdnUserIdentity {
  @IsString() aliUid!: string;
}

/** One CDN event. */
export class CdnEventRecord {
  /** `LogFileCreated`, `CachedObjectsRefreshed`, `CachedObjectsPushed`, `CdnDomainStarted`, ... */
  @IsString() eventName!: string;
  /** `cdn`. */
  @IsString() eventSource!: string;
  @IsString() eventVersion!: string;
  /** ISO-8601 with offset (`2018-06-14T15:31:49+08:00`). */
  @IsString() eventTime!: string;
  @IsString() region!: string;
  /** CDN's id of the event, for support requests. */
  @IsString() traceId!: string;
  @IsDefined() @ValidateNested() @Type(() => CdnResource) resource!: CdnResource;
  @IsDefined() @ValidateNested() @Type(() => CdnEventParameter) eventParameter!: CdnEventParameter;
  @IsDefined() @ValidateNested() @Type(() => CdnUserIdentity) userIdentity!: CdnUserIdentity;
}

/**
 * What a CDN event trigger sends. Unknown fields are stripped.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnCdnLog {
 *   @OnInvoke() handle(@Event() event: CdnEvent) {
 *     return event.events
 *       .filter((e) => e.eventName === 'LogFileCreated')
 *       .map((e) => e.eventParameter.filePath);
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class CdnEvent {
  @IsArray() @ValidateNested({ each: true }) @Type(() => CdnEventRecord) events!: CdnEventRecord[];
}
