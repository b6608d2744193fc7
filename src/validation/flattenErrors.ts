import type { ValidationError as ClassValidatorError } from 'class-validator';
import type { FieldError } from '../errors/FcError';

/**
 * class-validator's error tree as a flat list with dotted paths (`items.0.quantity`). Values and
 * targets are never copied: only paths and constraint messages leave.
 */
export function flattenValidationErrors(errors: ClassValidatorError[]): FieldError[] {
  const out: FieldError[] = [];
  // An explicit stack: a deeply nested event must not overflow the call stack here.
  const stack: { error: ClassValidatorError; prefix: string }[] = [];
  for (let i = errors.length - 1; i >= 0; i--) stack.push({ error: errors[i], prefix: '' });
  while (stack.length > 0) {
    const { error, prefix } = stack.pop()!;
    const path =
      error.property === '' || error.property === undefined
        ? prefix
        : prefix
          ? `${prefix}.${error.property}`
          : String(error.property);
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      out.push({ path, constraints: { ...error.constraints } });
    }
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ error: children[i], prefix: path });
  }
  return out;
}
