import { EventDecodeError, ValidationError } from '../errors/FcError';
import { compileJsonDecoder, type ValidatedEventLimits } from './boundedJson';

/** Parses one string of JSON inside an event; `subject` names the part in a message. */
export type JsonStringParser = (text: string, subject: string) => unknown;

/**
 * Compiles, at boot, the parser of JSON carried as a string inside an event (Timer's `payload`,
 * an MNS message body, each element of Kafka's batch): bounded and hardened as a validated body
 * is, by the function's `limits`. Malformed or too deeply nested JSON is a validation error (the
 * event itself was well-formed) at the path of the part being validated.
 */
export function compileJsonStringParser(limits: ValidatedEventLimits): JsonStringParser {
  const decode = compileJsonDecoder('any', limits);
  return (text, subject) => {
    try {
      return decode(Buffer.from(text, 'utf8'));
    } catch (error) {
      if (!(error instanceof EventDecodeError)) throw error;
      return invalidPart('isJson', `${subject} does not hold valid JSON (${error.message})`);
    }
  };
}

/** How a JSON value reads in a message: `null`, `an array`, `a string`, `an object`. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : `a ${kind}`;
}

/** Whether a parsed JSON value is an object, the shape a DTO class is validated from. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Throws the validation error `constraint` at the root of the part being validated. */
export function invalidPart(constraint: string, message: string): never {
  throw new ValidationError([{ path: '', constraints: { [constraint]: message } }]);
}
