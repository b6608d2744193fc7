import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { injectable } from 'fc-kernel';
import { MeterReading } from './MeterReading';

/** A record whose value is not a meter reading; the message says why. */
export class RejectedRecord extends Error {
  override readonly name = 'RejectedRecord';
}

/**
 * Turns a Kafka record's value into a validated `MeterReading`, or throws a `RejectedRecord`.
 * A record is validated on its own, so one bad record fails alone instead of failing its batch.
 */
@injectable()
export class ReadingDecoder {
  decode(value: string): MeterReading {
    const plain = parseObject(value);
    let reading: MeterReading;
    let errors: ValidationError[];
    try {
      reading = plainToInstance(MeterReading, plain);
      errors = validateSync(reading, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    } catch (error) {
      // class-transformer throws on some JSON a producer may send, such as a nested "constructor" key.
      throw new RejectedRecord(`the value is not a reading: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (errors.length > 0) {
      throw new RejectedRecord(errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; '));
    }
    return reading;
  }
}

function parseObject(value: string): object {
  let plain: unknown;
  try {
    plain = JSON.parse(value);
  } catch {
    throw new RejectedRecord('the value is not JSON');
  }
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new RejectedRecord('the value is not a JSON object');
  }
  return plain;
}
