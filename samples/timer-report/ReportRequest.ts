import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsInt,
  IsISO8601,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { TimerEvent } from 'fc-kernel/events';

/**
 * What the Timer trigger's payload asks for, as JSON: the report's title, the hours before the
 * trigger time it covers, and who receives it. Strict, as every DTO of the user's is: a field the
 * trigger configuration misspells is an error, not silently ignored.
 */
export class ReportRequest {
  @IsString()
  @Length(1, 100)
  title!: string;

  /** The report covers the `periodHours` before the trigger fired: 24 for a daily report. */
  @IsInt()
  @Min(1)
  @Max(31 * 24)
  periodHours!: number;

  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsEmail({}, { each: true })
  recipients!: string[];
}

/**
 * The Timer event of `sales-report`: its `payload` is the configured JSON, parsed and validated as
 * a `ReportRequest`. The trigger time must be a timestamp, since the report's period ends there.
 */
export class ReportTick extends TimerEvent.withPayload(ReportRequest) {
  @IsISO8601({ strict: true })
  declare triggerTime: string;
}
