import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { transformerStorage, typeWithoutEvent } from '../validation/classTransformerInternals';
import { printableValue } from './printableValue';

/** One class-validator constraint of a property, as declared. */
export interface ConstraintDescription {
  /** Its name, as the field errors of a failed event key it: `isString`, `min`, `nestedValidation`. */
  name: string;
  /** The decorator's arguments (`[1]` for `@Min(1)`), as printable JSON; absent when it takes none. */
  args?: unknown[];
  /** `{ each: true }`: applied to each element of an array, set or map. */
  each?: true;
  /** `{ groups }`: runs only when validating with one of them. */
  groups?: string[];
  /** `{ always }`, when declared: runs (or not) whatever the groups. */
  always?: boolean;
  /** A custom `{ message }`; `[function]` for a message function. */
  message?: string;
  /** A custom constraint declared `async: true`. */
  async?: true;
  /** `{ validateIf }`: runs only when its condition holds. */
  conditional?: true;
  /** Not run under the groups in force. */
  inactive?: true;
}

/** A `@ValidateNested()` property's class, described in place. */
export interface NestedDescription {
  /** The class of `@Type(() => Class)`; null when there is none (a boot problem). */
  class: string | null;
  /** `@ValidateNested({ each: true })`. */
  each: boolean;
  /** Its fields; absent when `repeated`. */
  fields?: FieldDescription[];
  /** The class is described where it is first met in this DTO (which also ends a cycle). */
  repeated?: true;
}

/** One property of a DTO class that class-validator knows about. */
export interface FieldDescription {
  name: string;
  /** The declared type as the compiler emitted it (`String`, `Number`, `Array`, `OrderItem`); null when not emitted. */
  type: string | null;
  /** `@IsOptional()`: a missing or null value skips the other constraints. */
  optional: boolean;
  /** In declaration order. */
  constraints: ConstraintDescription[];
  /** class-transformer's `@Type(() => Class)`, if any. */
  transformTo: string | null;
  /** For a `@ValidateNested()` property. */
  nested: NestedDescription | null;
}

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** Names for the system metadata that never produce a field error of their own. */
const SYSTEM_NAMES: Partial<Record<string, string>> = {
  [ValidationTypes.WHITELIST]: 'allow',
  [ValidationTypes.CONDITIONAL_VALIDATION]: 'validateIf',
};

/**
 * The fields of `dto` and of every class nested below it, read from class-validator's and
 * class-transformer's metadata as declared. `groups` are those in force: constraints they exclude
 * are marked `inactive`, as class-validator would skip them.
 */
export function describeDtoFields(dto: Constructor, groups?: readonly string[]): FieldDescription[] {
  return fieldsOf(dto, groups, new Set([dto]));
}

function fieldsOf(
  cls: Constructor,
  groups: readonly string[] | undefined,
  described: Set<Constructor>,
): FieldDescription[] {
  const storage = getMetadataStorage();
  const all = storage.getTargetValidationMetadatas(cls, '', true, false);
  // The same call class-validator's executor makes (no `always`, no `strictGroups` in our options).
  const active = new Set(storage.getTargetValidationMetadatas(cls, '', false, false, groups ? [...groups] : undefined));
  const fields: FieldDescription[] = [];
  for (const [name, metadatas] of byProperty(all)) {
    const transformTo = typeOfProperty(cls, name);
    const nestedMeta = metadatas.find((m) => m.type === ValidationTypes.NESTED_VALIDATION);
    const declared: unknown = Reflect.getMetadata('design:type', cls.prototype as object, name);
    fields.push({
      name,
      type: typeof declared === 'function' && declared.name ? declared.name : null,
      optional: metadatas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name === 'isOptional'),
      constraints: metadatas.map((m) => describeConstraint(m, active.has(m))),
      transformTo: transformTo?.name ?? null,
      nested: nestedMeta ? describeNested(transformTo, nestedMeta.each === true, groups, described) : null,
    });
  }
  return fields;
}

function describeNested(
  type: Constructor | undefined,
  each: boolean,
  groups: readonly string[] | undefined,
  described: Set<Constructor>,
): NestedDescription {
  if (!type) return { class: null, each };
  if (described.has(type)) return { class: type.name, each, repeated: true };
  described.add(type);
  return { class: type.name, each, fields: fieldsOf(type, groups, described) };
}

/**
 * Metadata grouped by property, properties in the order they were declared. Decorators of one
 * property run bottom-up, so each class's own list is reversed back into the order written.
 */
function byProperty(metadatas: ValidationMetadata[]): Map<string, ValidationMetadata[]> {
  const grouped = new Map<string, ValidationMetadata[][]>();
  for (const m of metadatas) {
    const chunks = grouped.get(m.propertyName) ?? [];
    grouped.set(m.propertyName, chunks);
    const last = chunks[chunks.length - 1];
    if (last && last[0].target === m.target) last.push(m);
    else chunks.push([m]);
  }
  return new Map([...grouped].map(([name, chunks]) => [name, chunks.flatMap((chunk) => chunk.reverse())]));
}

function describeConstraint(m: ValidationMetadata, active: boolean): ConstraintDescription {
  const storage = getMetadataStorage();
  const custom =
    m.type === ValidationTypes.CUSTOM_VALIDATION
      ? storage.getTargetValidatorConstraints(m.constraintCls)[0]
      : undefined;
  const name = custom?.name ?? m.name ?? SYSTEM_NAMES[m.type] ?? m.type;
  // A conditional's argument is its condition, a function: nothing a reader could use.
  const args = m.type === ValidationTypes.CONDITIONAL_VALIDATION ? [] : trimmed(m.constraints ?? []);
  return {
    name,
    ...(args.length > 0 ? { args: args.map((arg) => printableValue(arg)) } : {}),
    ...(m.each ? { each: true } : {}),
    ...(m.groups && m.groups.length > 0 ? { groups: [...m.groups] } : {}),
    ...(m.always !== undefined ? { always: m.always } : {}),
    ...(hasOwnMessage(m) ? { message: typeof m.message === 'function' ? '[function]' : String(m.message) } : {}),
    ...(custom?.async ? { async: true } : {}),
    ...(m.validateIf ? { conditional: true } : {}),
    ...(active ? {} : { inactive: true }),
  };
}

/**
 * Whether the constraint declares its own `message`. `@ValidateNested()` records its default text
 * as if it were one.
 */
function hasOwnMessage(m: ValidationMetadata): boolean {
  if (m.message === undefined || m.message === '') return false;
  if (m.type !== ValidationTypes.NESTED_VALIDATION) return true;
  return m.message !== `${m.each ? 'each value in ' : ''}nested property $property must be either object or array`;
}

/** `@IsEmail()` records `[undefined]`: arguments left out are not shown. */
function trimmed(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

/** The class of `@Type(() => Class)` on the property, if it names one. */
function typeOfProperty(cls: Constructor, property: string): Constructor | undefined {
  const typeFunction = transformerStorage().findTypeMetadata(cls, property)?.typeFunction;
  const resolved = typeFunction ? typeWithoutEvent(typeFunction) : undefined;
  // A @Type function that reads its options names a class per event, not one.
  const type = resolved && 'type' in resolved ? resolved.type : undefined;
  return typeof type === 'function' ? (type as Constructor) : undefined;
}
