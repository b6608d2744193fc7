import { ValidationError, type FieldError } from '../errors/FcError';
import type { Constructor } from '../metadata/records';
import { failureMessage } from './compiled/messages';
import type { NestedGraph, NestedProperty } from './nestedShapes';

/** Refuses a parsed event class-transformer cannot transform; `null` when none can be. */
export type DiscriminatedArrayCheck = ((plain: unknown) => void) | null;

/**
 * Compiles, at boot, the check run on a parsed event before either engine transforms it, for a
 * DTO whose graph holds a discriminated `@Type`: class-transformer reads the discriminator of
 * each element of such an array without testing that it is an object, and fails on a `null`
 * with a TypeError. Such an element is refused with the error class-validator gives a `null`
 * element of a nested array. Follows the event along the graph's properties (a discriminated
 * value as its subtype), with an explicit stack: the event may be as deep as the decoder allows.
 */
export function compileDiscriminatedArrayCheck(dto: Constructor, graph: NestedGraph): DiscriminatedArrayCheck {
  if (![...graph.classes.values()].some((properties) => properties.some((p) => p.discriminator))) return null;
  return (plain) => {
    let errors: FieldError[] | null = null;
    const stack: { value: unknown; cls: Constructor; path: string }[] = [{ value: plain, cls: dto, path: '' }];
    while (stack.length > 0) {
      const { value, cls, path } = stack.pop()!;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      for (const property of graph.classes.get(cls) ?? []) {
        const nested: unknown = (value as Record<string, unknown>)[property.name];
        if (nested === null || typeof nested !== 'object') continue;
        const at = path ? `${path}.${property.name}` : property.name;
        if (!Array.isArray(nested)) {
          stack.push({ value: nested, cls: plainClassOf(nested, property), path: at });
          continue;
        }
        for (let i = 0; i < nested.length; i++) {
          const element: unknown = nested[i];
          if (element === null && property.discriminator) {
            const m = property.metadata;
            (errors ??= []).push({
              path: `${at}.${i}`,
              constraints: { [m.type]: failureMessage(m.target as object, element, m, undefined) },
            });
          } else if (element !== null && typeof element === 'object') {
            stack.push({ value: element, cls: plainClassOf(element, property), path: `${at}.${i}` });
          }
        }
      }
    }
    if (errors !== null) throw new ValidationError(errors);
  };
}

/** The class class-transformer gives a plain value of `property`: its subtype when it names one. */
function plainClassOf(value: object, property: NestedProperty): Constructor {
  const discriminator = property.discriminator;
  if (discriminator) {
    const name = (value as Record<string, unknown>)[discriminator.property];
    const subType = discriminator.subTypes.find((s) => s.name === name)?.value;
    if (typeof subType === 'function') return subType as Constructor;
  }
  return property.types[0];
}
