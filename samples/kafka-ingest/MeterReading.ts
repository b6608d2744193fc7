import { IsISO8601, IsNumber, Matches, Max, Min } from 'class-validator';

/** One electricity meter reading: what each Kafka record's value holds, as JSON. */
export class MeterReading {
  /** `M-` and at least four digits. */
  @Matches(/^M-\d{4,}$/, { message: 'meterId must look like M-0042' })
  meterId!: string;

  /** The meter's cumulative reading in kWh. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000_000)
  kwh!: number;

  /** When the meter was read. */
  @IsISO8601({ strict: true })
  takenAt!: string;
}
