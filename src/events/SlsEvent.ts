import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, IsString, ValidateNested } from 'class-validator';
import { TolerantTriggerEvent } from './tolerant';

/** The shard and cursor range an SLS job run covers. */
export class SlsEventSource {
  @IsString() endpoint!: string;
  @IsString() projectName!: string;
  @IsString() logstoreName!: string;
  @IsInt() shardId!: number;
  /** Cursors to pass to SLS's `PullLogs` to read the range. */
  @IsString() beginCursor!: string;
  @IsString() endCursor!: string;
}

/**
 * What a Log Service (SLS) trigger sends: one run of its job over a shard's cursor range. Unknown
 * fields are stripped.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnLogs {
 *   @OnInvoke() handle(@Event() run: SlsEvent) {
 *     const { projectName, logstoreName, shardId } = run.source;
 *     return `${projectName}/${logstoreName}#${shardId} from ${run.source.beginCursor}`;
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class SlsEvent {
  @IsString() jobName!: string;
  @IsString() taskId!: string;
  /** Seconds since the epoch. */
  @IsInt() cursorTime!: number;
  /** The function parameters configured on the trigger. */
  @IsObject() parameter!: Record<string, unknown>;
  @IsDefined() @ValidateNested() @Type(() => SlsEventSource) source!: SlsEventSource;
}
