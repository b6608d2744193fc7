import { transformerStorage } from './classTransformerInternals';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { FieldError } from '../errors/FcError';
import type { Constructor } from '../metadata/records';

/** One `@ValidateNested()` + `@Type(() => Class)` property. */
interface NestedProperty {
  name: string;
  type: Constructor;
  /** From `design:type`: `true` for `X[]`, `false` for `X`, `undefined` when not emitted. */
  array: boolean | undefined;
}

/** Checks a transformed event; answers the field errors found (none when the shapes hold). */
export type NestedShapeCheck = (instance: object) => FieldError[];

/** Each class of a DTO's nested graph with its `@ValidateNested()` properties. */
export type NestedGraph = Map<Constructor, NestedProperty[]>;

/**
 * Walks a DTO and every class nested below it, once, at boot. Fails for a nested class without
 * class-validator decorators (no value of it could pass) and for an `@ValidateNested()` property
 * without `@Type(() => Class)` (class-transformer would leave it a plain object and its
 * constraints would silently not run). `where` names the DTO in those messages.
 */
export function readNestedGraph(dto: Constructor, where: string): NestedGraph {
  const graph: NestedGraph = new Map();
  const pending: Constructor[] = [dto];
  while (pending.length > 0) {
    const cls = pending.pop()!;
    if (graph.has(cls)) continue;
    const properties: NestedProperty[] = [];
    graph.set(cls, properties);
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
    if (metadatas.length === 0) {
      throw new ConfigurationError(
        'NESTED_WITHOUT_CONSTRAINTS',
        `${where}: nested class ${cls.name} has no class-validator decorators, so no value of it can pass validation; decorate its properties`,
        { className: cls.name },
      );
    }
    for (const m of metadatas) {
      if (m.type !== ValidationTypes.NESTED_VALIDATION) continue;
      const typeMeta = transformerStorage().findTypeMetadata(cls, m.propertyName);
      if (!typeMeta) {
        throw new ConfigurationError(
          'NESTED_WITHOUT_TYPE',
          `${where}: ${cls.name}.${m.propertyName} is @ValidateNested() but has no @Type(() => Class); add it so the nested value is transformed and validated`,
          { className: cls.name, property: m.propertyName },
        );
      }
      const type = typeMeta.typeFunction?.();
      if (typeof type !== 'function' || type === Object) continue;
      if (properties.some((p) => p.name === m.propertyName)) continue;
      const declared: unknown = Reflect.getMetadata('design:type', cls.prototype as object, m.propertyName);
      const array =
        declared === Array ? true : typeof declared === 'function' && declared !== Object ? false : undefined;
      properties.push({ name: m.propertyName, type: type as Constructor, array });
      pending.push(type as Constructor);
    }
  }
  return graph;
}

/**
 * Compiles, at boot, the check that every `@ValidateNested()` property of `dto` (and of the
 * classes below it, as `readNestedGraph` found them) holds the shape its declaration promises.
 * class-validator validates any array it finds under such a property element by element, and an
 * element that is itself an array the same way: `{"items": [[]]}` passes
 * `@ValidateNested({ each: true }) items: OrderItem[]` and the handler receives an array where it
 * was promised an `OrderItem`. So: an element of a nested array must not be an array, a property
 * declared `X[]` must hold an array, one declared `X` must not.
 */
export function compileNestedShapeCheck(dto: Constructor, plan: NestedGraph): NestedShapeCheck {
  if ([...plan.values()].every((properties) => properties.length === 0)) return () => [];

  return (instance) => {
    const errors: FieldError[] = [];
    // An explicit stack: the event may be as deep as the decoder allows.
    const stack: { value: object; cls: Constructor; path: string }[] = [{ value: instance, cls: dto, path: '' }];
    while (stack.length > 0) {
      const { value, cls, path } = stack.pop()!;
      for (const property of plan.get(cls) ?? []) {
        const nested: unknown = (value as Record<string, unknown>)[property.name];
        // Missing and primitive values are class-validator's to report.
        if (nested === null || typeof nested !== 'object') continue;
        const at = path ? `${path}.${property.name}` : property.name;
        const what = `a ${property.type.name} object`;
        if (Array.isArray(nested)) {
          if (property.array === false) {
            errors.push(shapeError(at, 'isNestedObject', `${at} must be ${what}, not an array`));
            continue;
          }
          nested.forEach((element: unknown, index) => {
            if (Array.isArray(element)) {
              errors.push(
                shapeError(`${at}.${index}`, 'isNestedObject', `each value in ${at} must be ${what}, not an array`),
              );
            } else if (element instanceof property.type) {
              stack.push({ value: element as object, cls: property.type, path: `${at}.${index}` });
            }
          });
        } else if (property.array === true) {
          errors.push(shapeError(at, 'isNestedArray', `${at} must be an array of ${property.type.name} objects`));
        } else if (nested instanceof property.type) {
          stack.push({ value: nested, cls: property.type, path: at });
        }
      }
    }
    return errors;
  };
}

function shapeError(path: string, constraint: string, message: string): FieldError {
  return { path, constraints: { [constraint]: message } };
}
