import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from '../classValidatorInternals';

/**
 * The arguments class-validator hands a constraint and its message: a new object each time.
 * `targetName` is the name of `object`'s constructor (see `targetNameOf`).
 */
export function validationArguments(
  targetName: string | undefined,
  object: object,
  value: unknown,
  metadata: ValidationMetadata,
): ValidationArguments {
  return { targetName: targetName!, property: metadata.propertyName, object, value, constraints: metadata.constraints };
}

/** class-validator's `targetName`: the name of the object's constructor, if it has one. */
export function targetNameOf(object: object): string | undefined {
  const constructor = (object as { constructor?: { name?: string } }).constructor;
  return constructor ? constructor.name : undefined;
}

/**
 * The message class-validator writes for a failed constraint: the decorator's `message` (a
 * string or a function), else the constraint's `defaultMessage`, with its tokens replaced.
 * `object` is what class-validator passes: the instance, or the decorator's target class for a
 * `@ValidateNested()` value that is not an object.
 */
export function failureMessage(
  object: object,
  value: unknown,
  metadata: ValidationMetadata,
  instance: ValidatorConstraintInterface | undefined,
): string {
  const args = validationArguments(targetNameOf(object), object, value, metadata);
  let message: ValidationMetadata['message'] = metadata.message || '';
  if (!metadata.message && instance && instance.defaultMessage instanceof Function) {
    message = instance.defaultMessage(args);
  }
  return replaceMessageTokens(message, args);
}

const CONSTRAINT_TOKENS: [text: string, pattern: RegExp][] = [];

function constraintToken(index: number): [text: string, pattern: RegExp] {
  return (CONSTRAINT_TOKENS[index] ??= [`$constraint${index + 1}`, new RegExp(`\\$constraint${index + 1}`, 'g')]);
}

/**
 * class-validator's `ValidationUtils.replaceMessageSpecialTokens`: `$constraintN`, then `$value`
 * (primitives only), `$property` and `$target`, each through `String.prototype.replace` as
 * class-validator does (so `$&` in a value means what it means there, and a value holding
 * `$property` has it replaced). A replacement is skipped where its token is absent (it would
 * change nothing), and the regular expressions are built once.
 */
export function replaceMessageTokens(message: ValidationMetadata['message'], args: ValidationArguments): string {
  // Named as in class-validator: a message function that answers a non-string fails the same way.
  let messageString: string | undefined;
  if (message instanceof Function) messageString = message(args);
  else if (typeof message === 'string') messageString = message;
  const constraints: unknown = args.constraints;
  if (messageString && Array.isArray(constraints)) {
    for (let i = 0; i < constraints.length; i++) {
      if (!(i in constraints)) continue;
      const constraint: unknown = constraints[i];
      const [text, pattern] = constraintToken(i);
      if (typeof messageString === 'string' && !messageString.includes(text)) {
        // Nothing to replace; an object is still made text, as class-validator does (its toString may throw).
        if (constraint !== null && (typeof constraint === 'object' || typeof constraint === 'function')) {
          constraintToString(constraint);
        }
        continue;
      }
      messageString = messageString.replace(pattern, constraintToString(constraint));
    }
  }
  const value: unknown = args.value;
  if (messageString && value !== undefined && value !== null && PRIMITIVES.has(typeof value)) {
    if (typeof messageString !== 'string' || messageString.includes('$value')) {
      messageString = messageString.replace(/\$value/g, value as string);
    }
  }
  if (messageString && (typeof messageString !== 'string' || messageString.includes('$property'))) {
    messageString = messageString.replace(/\$property/g, args.property);
  }
  if (messageString && (typeof messageString !== 'string' || messageString.includes('$target'))) {
    messageString = messageString.replace(/\$target/g, args.targetName);
  }
  return messageString as string;
}

const PRIMITIVES = new Set(['string', 'boolean', 'number']);

function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(', ');
  if (typeof constraint === 'symbol') return `${constraint.description}`;
  return `${constraint as string}`;
}
