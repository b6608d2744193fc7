import { EventDecodeError, ValidationError } from '../errors/FcError';
import { compileJsonDecoder } from './boundedJson';
import { DEFAULT_VALIDATION_OPTIONS } from './options';

/** A part of a validated event: bounded and hardened as a validated body is, by default limits. */
const decodeValidatedPart = compileJsonDecoder('any', DEFAULT_VALIDATION_OPTIONS);

/**
 * Parses JSON carried as a string inside an event (Timer's `payload`, each element of Kafka's
 * batch) with the bounds of a JSON body. Malformed or too deeply nested JSON is a validation
 * error (the event itself was well-formed) at the path of the part being validated; `subject`
 * names that part in the message.
 */
export function parseJsonString(text: string, subject: string): unknown {
  try {
    return decodeValidatedPart(Buffer.from(text, 'utf8'));
  } catch (error) {
    if (!(error instanceof EventDecodeError)) throw error;
    return invalidPart('isJson', `${subject} does not hold valid JSON (${error.message})`);
  }
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
