import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

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

const CONSTRAINT_TOKENS: RegExp[] = [];

function constraintToken(index: number): RegExp {
  return (CONSTRAINT_TOKENS[index] ??= new RegExp(`\\$constraint${index + 1}`, 'g'));
}

/**
 * class-validator's `ValidationUtils.replaceMessageSpecialTokens`, with its regular expressions
 * built once: `$constraintN`, then `$value` (primitives only), `$property` and `$target`, each
 * through `String.prototype.replace` as class-validator does (so `$&` in a value means what it
 * means there).
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
      messageString = messageString.replace(constraintToken(i), constraintToString(constraints[i]));
    }
  }
  const value: unknown = args.value;
  if (messageString && value !== undefined && value !== null && PRIMITIVES.has(typeof value)) {
    messageString = messageString.replace(/\$value/g, value as string);
  }
  if (messageString) messageString = messageString.replace(/\$property/g, args.property);
  if (messageString) messageString = messageString.replace(/\$target/g, args.targetName);
  return messageString as string;
}

const PRIMITIVES = new Set(['string', 'boolean', 'number']);

function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(', ');
  if (typeof constraint === 'symbol') return `${constraint.description}`;
  return `${constraint as string}`;
}
