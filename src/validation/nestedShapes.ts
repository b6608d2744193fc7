import { TransformationType } from 'class-transformer';
import { ValidationTypes } from 'class-validator';
import { transformerStorage, typeWithoutEvent, type Discriminator } from './classTransformerInternals';
import { validatorStorage, type ValidationMetadata } from './classValidatorInternals';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { FieldError } from '../errors/FcError';
import type { Constructor } from '../metadata/records';

/** One `@ValidateNested()` + `@Type(() => Class)` property. */
export interface NestedProperty {
  name: string;
  /** The classes its values may be given: `@Type`'s, then its discriminator's subtypes. */
  types: Constructor[];
  discriminator: Discriminator | undefined;
  /** From `design:type`: `true` for `X[]`, `false` for `X`, `undefined` when not emitted. */
  array: boolean | undefined;
  /** Its `@ValidateNested()` record. */
  metadata: ValidationMetadata;
  /** The keys of a plain object class-transformer reads its value from (see `plainKeysOf`). */
  plainKeys: string[];
}

/** Checks a transformed event; answers the field errors found (none when the shapes hold). */
export type NestedShapeCheck = (instance: object) => FieldError[];

/** Each class of a DTO's nested graph with its `@ValidateNested()` properties. */
export interface NestedGraph {
  classes: Map<Constructor, NestedProperty[]>;
  /** Each property whose `@Type` function reads its options: its classes are known per event only. */
  perEvent: PerEventProperty[];
}

/** A `@ValidateNested()` property whose `@Type` function reads its options. */
export interface PerEventProperty {
  owner: Constructor;
  name: string;
  typeFunction: (options?: unknown) => unknown;
  discriminator: Discriminator | undefined;
  metadata: ValidationMetadata;
  plainKeys: string[];
}

/**
 * Walks a DTO and every class nested below it (a discriminator's subtypes included), once, at
 * boot. Fails for a nested class without class-validator decorators (no value of it could
 * pass) and for an `@ValidateNested()` property without `@Type(() => Class)` (class-transformer
 * would leave it a plain object and its constraints would silently not run). `where` names the
 * DTO in those messages.
 */
export function readNestedGraph(dto: Constructor, where: string): NestedGraph {
  const graph: NestedGraph = { classes: new Map(), perEvent: [] };
  const pending: Constructor[] = [dto];
  while (pending.length > 0) {
    const cls = pending.pop()!;
    if (graph.classes.has(cls)) continue;
    const properties: NestedProperty[] = [];
    graph.classes.set(cls, properties);
    const metadatas = validatorStorage().getTargetValidationMetadatas(cls, '', true, false);
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
      if (properties.some((p) => p.name === m.propertyName) || !typeMeta.typeFunction) continue;
      const resolved = typeWithoutEvent(typeMeta.typeFunction);
      if ('perEvent' in resolved) {
        graph.perEvent.push({
          owner: cls,
          name: m.propertyName,
          typeFunction: typeMeta.typeFunction,
          discriminator: typeMeta.options?.discriminator,
          metadata: m,
          plainKeys: plainKeysOf(cls, m.propertyName),
        });
        continue;
      }
      const discriminator = typeMeta.options?.discriminator;
      const types = [resolved.type, ...(discriminator?.subTypes ?? []).map((s) => s.value)].filter(
        (type, index, all): type is Constructor =>
          typeof type === 'function' && type !== Object && all.indexOf(type) === index,
      );
      if (types.length === 0) continue;
      const declared: unknown = Reflect.getMetadata('design:type', cls.prototype as object, m.propertyName);
      const array =
        declared === Array ? true : typeof declared === 'function' && declared !== Object ? false : undefined;
      properties.push({
        name: m.propertyName,
        types,
        discriminator,
        array,
        metadata: m,
        plainKeys: plainKeysOf(cls, m.propertyName),
      });
      pending.push(...types);
    }
  }
  return graph;
}

/**
 * The keys of a plain object that class-transformer transforms into `property` of `cls`: its
 * own name unless excluded (`@Exclude()`, a class-level `@Exclude()`, `@Expose` for groups
 * only), and the name `@Expose({ name })` gives it.
 */
function plainKeysOf(cls: Constructor, property: string): string[] {
  const storage = transformerStorage();
  const expose = storage.findExposeMetadata(cls, property);
  if (expose?.options?.groups?.length) return [];
  const keys: string[] = [];
  const excluded = storage.getExcludedProperties(cls, TransformationType.PLAIN_TO_CLASS);
  if (storage.getStrategy(cls) !== 'excludeAll' && !excluded.includes(property)) keys.push(property);
  const custom = expose ? expose.options?.name || property : undefined;
  if (custom !== undefined && !keys.includes(custom) && !excluded.includes(custom)) keys.push(custom);
  return keys;
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
export function compileNestedShapeCheck(dto: Constructor, graph: NestedGraph): NestedShapeCheck {
  const plan = graph.classes;
  if ([...plan.values()].every((properties) => properties.length === 0)) return () => [];

  // Only classes with such properties are walked: a valid event's leaves cost no entry, no path.
  const walked = (cls: Constructor | undefined): cls is Constructor =>
    cls !== undefined && (plan.get(cls)?.length ?? 0) > 0;
  return (instance) => {
    let errors: FieldError[] | null = null;
    const fail = (error: FieldError) => (errors ??= []).push(error);
    // An explicit stack: the event may be as deep as the decoder allows.
    const stack: { value: object; cls: Constructor; path: string }[] = [{ value: instance, cls: dto, path: '' }];
    while (stack.length > 0) {
      const { value, cls, path } = stack.pop()!;
      for (const property of plan.get(cls) ?? []) {
        const nested: unknown = (value as Record<string, unknown>)[property.name];
        // Missing and primitive values are class-validator's to report.
        if (nested === null || typeof nested !== 'object') continue;
        const at = () => (path ? `${path}.${property.name}` : property.name);
        const what = `a ${property.types[0].name} object`;
        if (Array.isArray(nested)) {
          if (property.array === false) {
            fail(shapeError(at(), 'isNestedObject', `${at()} must be ${what}, not an array`));
            continue;
          }
          // Array.prototype.forEach's visit: the length it starts with, holes skipped.
          const length = nested.length;
          for (let index = 0; index < length; index++) {
            if (!(index in nested)) continue;
            const element: unknown = nested[index];
            if (Array.isArray(element)) {
              fail(
                shapeError(`${at()}.${index}`, 'isNestedObject', `each value in ${at()} must be ${what}, not an array`),
              );
            } else {
              const cls = classOf(element, property);
              if (walked(cls)) stack.push({ value: element as object, cls, path: `${at()}.${index}` });
            }
          }
        } else if (property.array === true) {
          fail(shapeError(at(), 'isNestedArray', `${at()} must be an array of ${property.types[0].name} objects`));
        } else {
          const cls = classOf(nested, property);
          if (walked(cls)) stack.push({ value: nested, cls, path: at() });
        }
      }
    }
    return errors ?? NO_ERRORS;
  };
}

const NO_ERRORS: FieldError[] = [];

/** The class of the graph a transformed value is walked as: its own, else the first it is an instance of. */
function classOf(value: unknown, property: NestedProperty): Constructor | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const own = (value as { constructor?: unknown }).constructor;
  if (property.types.includes(own as Constructor)) return own as Constructor;
  return property.types.find((type) => value instanceof type);
}

function shapeError(path: string, constraint: string, message: string): FieldError {
  return { path, constraints: { [constraint]: message } };
}
