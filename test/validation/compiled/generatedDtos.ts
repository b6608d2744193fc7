import 'reflect-metadata';
import { Exclude, Expose, Transform, Type, type TransformFnParams, type TypeHelpOptions } from 'class-transformer';
import * as cv from 'class-validator';
import fc from 'fast-check';
import type { Constructor } from '../../../src/metadata/records';
import type { EventValidationOptions } from '../../../src/validation/options';
import type { MetadataSandbox } from './metadataSandbox';

// DTO shapes as plain data (so fast-check can shrink them), made into decorated classes at runtime
// with the decorators applied as TypeScript applies them, and events for each shape: mostly of the
// shape, with missing, null, mistyped and unknown values mixed in.

type Domain = 'string' | 'number' | 'boolean' | 'strings' | 'numbers' | 'date' | 'any' | 'nested';

export interface OptionsSpec {
  each: boolean;
  message: number;
  groups: number;
  always: number;
  validateIf: boolean;
}

export interface DecoratorSpec {
  recipe: string;
  arg: number;
  options: OptionsSpec;
}

export interface NestedSpec {
  child: ClassSpec | 'self';
  array: boolean;
  options: OptionsSpec;
  /** `@Type` without `@ValidateNested`: transformed, not validated. */
  typeOnly: boolean;
  /**
   * 0: `@Type(() => Child)`; 1: with a discriminator (subtypes beside Child: one with an
   * asynchronous constraint, one with `@ValidatePromise`, which the compiled engine hands to
   * class-validator); 2..5: a type function that reads its options, through a parameter, a
   * defaulted parameter, a rest parameter, `arguments`.
   */
  typeForm: number;
  /** With a discriminator: `keepDiscriminatorProperty`. */
  keepDiscriminator: boolean;
}

export interface PropSpec {
  name: string;
  domain: Domain;
  design: number;
  decorators: DecoratorSpec[];
  optional: number;
  nested: NestedSpec | null;
  typeHint: number;
  transformer: number;
}

export interface ClassSpec {
  props: PropSpec[];
  base: ClassSpec | null;
  /** Index of a property the constructor gives a default, or -1. */
  defaulted: number;
  /** Class-level `@Exclude()`: only `@Expose()`d keys are read. */
  excludeAll: boolean;
  /** 1: an enumerable value on the prototype (`for...in` meets it); 2: an accessor pair. */
  prototypeExtra: number;
}

// ---------------------------------------------------------------------------------------------
// Decorators

enum Color {
  Red = 'red',
  Blue = 'blue',
}
enum Level {
  Low = 1,
  High = 2,
}

@cv.ValidatorConstraint({ name: 'evenLength' })
class EvenLength implements cv.ValidatorConstraintInterface {
  validate(value: unknown) {
    return typeof value === 'string' && value.length % 2 === 0;
  }
  defaultMessage(args: cv.ValidationArguments) {
    return `$property of ${args.targetName} needs an even length, got "$value"`;
  }
}

@cv.ValidatorConstraint({ name: 'laterCheck', async: true })
class LaterCheck implements cv.ValidatorConstraintInterface {
  validate(value: unknown) {
    return Promise.resolve(value !== 'late');
  }
}

/** A discriminator's subtype whose constraint answers later. */
class CheckedSubtype {
  @cv.IsOptional() @cv.IsString() kind?: string;
  @cv.Validate(LaterCheck) note!: string;
}

/** A discriminator's subtype the compiled engine hands to class-validator. */
class PromisedSubtype {
  @cv.IsOptional() @cv.IsString() kind?: string;
  @cv.ValidatePromise() @cv.IsString() p!: string;
}

/** A cross-field constraint: reads the object being validated. */
@cv.ValidatorConstraint()
class DiffersFromA implements cv.ValidatorConstraintInterface {
  validate(value: unknown, args: cv.ValidationArguments) {
    return value !== (args.object as Record<string, unknown>)['a'];
  }
}

function IsShortText(options?: cv.ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    cv.registerDecorator({
      name: 'isShortText',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [4],
      options,
      validator: {
        validate: (value: unknown, args?: cv.ValidationArguments) =>
          typeof value === 'string' && value.length <= (args!.constraints[0] as number),
        defaultMessage: (args?: cv.ValidationArguments) =>
          `${args!.property} longer than $constraint1 (${typeof args!.value})`,
      },
    });
}

type Make = (arg: number, options: cv.ValidationOptions) => PropertyDecorator;

const RECIPES: Record<string, { domains: Domain[]; make: Make }> = {
  IsString: { domains: ['string', 'strings', 'any'], make: (_, o) => cv.IsString(o) },
  IsNotEmpty: { domains: ['string', 'strings', 'any', 'number'], make: (_, o) => cv.IsNotEmpty(o) },
  IsEmpty: { domains: ['string', 'any'], make: (_, o) => cv.IsEmpty(o) },
  IsDefined: { domains: ['string', 'number', 'boolean', 'any', 'nested', 'strings'], make: (_, o) => cv.IsDefined(o) },
  MinLength: { domains: ['string', 'strings'], make: (n, o) => cv.MinLength(n % 4, o) },
  MaxLength: { domains: ['string', 'strings'], make: (n, o) => cv.MaxLength(3 + (n % 6), o) },
  Length: { domains: ['string'], make: (n, o) => cv.Length(n % 3, 4 + (n % 5), o) },
  Contains: { domains: ['string', 'strings'], make: (_, o) => cv.Contains('a', o) },
  NotContains: { domains: ['string'], make: (_, o) => cv.NotContains('z', o) },
  Matches: { domains: ['string', 'strings'], make: (_, o) => cv.Matches(/^[a-z]*$/, o) },
  IsIn: { domains: ['string'], make: (_, o) => cv.IsIn(['a', 'abc', 'x@y.com'], o) },
  IsNotIn: { domains: ['string', 'number'], make: (_, o) => cv.IsNotIn(['', 0], o) },
  IsEmail: { domains: ['string', 'strings'], make: (_, o) => cv.IsEmail(undefined, o) },
  IsUUID: { domains: ['string'], make: (_, o) => cv.IsUUID('4', o) },
  IsAlpha: { domains: ['string'], make: (_, o) => cv.IsAlpha(undefined, o) },
  IsLowercase: { domains: ['string'], make: (_, o) => cv.IsLowercase(o) },
  IsNumberString: { domains: ['string'], make: (_, o) => cv.IsNumberString(undefined, o) },
  IsDateString: { domains: ['string', 'date'], make: (_, o) => cv.IsDateString(undefined, o) },
  IsHexColor: { domains: ['string'], make: (_, o) => cv.IsHexColor(o) },
  IsUrl: { domains: ['string'], make: (_, o) => cv.IsUrl(undefined, o) },
  IsEnum: { domains: ['string'], make: (_, o) => cv.IsEnum(Color, o) },
  Equals: { domains: ['string'], make: (_, o) => cv.Equals('abc', o) },
  NotEquals: { domains: ['string', 'number'], make: (_, o) => cv.NotEquals('a', o) },
  IsInt: { domains: ['number', 'numbers'], make: (_, o) => cv.IsInt(o) },
  IsNumber: { domains: ['number', 'numbers'], make: (n, o) => cv.IsNumber(n % 2 ? { maxDecimalPlaces: 1 } : {}, o) },
  Min: { domains: ['number', 'numbers'], make: (n, o) => cv.Min(n % 10, o) },
  Max: { domains: ['number', 'numbers'], make: (n, o) => cv.Max(50 + n, o) },
  IsPositive: { domains: ['number'], make: (_, o) => cv.IsPositive(o) },
  IsDivisibleBy: { domains: ['number'], make: (n, o) => cv.IsDivisibleBy(2 + (n % 3), o) },
  IsEnumLevel: { domains: ['number'], make: (_, o) => cv.IsEnum(Level, o) },
  IsBoolean: { domains: ['boolean'], make: (_, o) => cv.IsBoolean(o) },
  EqualsTrue: { domains: ['boolean'], make: (_, o) => cv.Equals(true, o) },
  IsArray: { domains: ['strings', 'numbers', 'nested'], make: (_, o) => cv.IsArray(o) },
  ArrayMinSize: { domains: ['strings', 'numbers', 'nested'], make: (n, o) => cv.ArrayMinSize(n % 3, o) },
  ArrayMaxSize: { domains: ['strings', 'numbers', 'nested'], make: (n, o) => cv.ArrayMaxSize(2 + (n % 3), o) },
  ArrayNotEmpty: { domains: ['strings', 'numbers'], make: (_, o) => cv.ArrayNotEmpty(o) },
  ArrayUnique: { domains: ['strings', 'numbers'], make: (_, o) => cv.ArrayUnique(undefined, o) },
  ArrayContains: { domains: ['strings'], make: (_, o) => cv.ArrayContains(['a'], o) },
  IsDate: { domains: ['date'], make: (_, o) => cv.IsDate(o) },
  MinDate: { domains: ['date'], make: (_, o) => cv.MinDate(new Date(0), o) },
  IsObject: { domains: ['any', 'nested'], make: (_, o) => cv.IsObject(o) },
  IsNotEmptyObject: { domains: ['any', 'nested'], make: (_, o) => cv.IsNotEmptyObject(undefined, o) },
  Allow: { domains: ['any', 'string'], make: (_, o) => cv.Allow(o) },
  EvenLength: { domains: ['string', 'strings'], make: (_, o) => cv.Validate(EvenLength, o) },
  LaterCheck: { domains: ['string', 'strings'], make: (_, o) => cv.Validate(LaterCheck, o) },
  DiffersFromA: { domains: ['string', 'number', 'any'], make: (_, o) => cv.Validate(DiffersFromA, o) },
  IsShortText: { domains: ['string', 'strings'], make: (_, o) => IsShortText(o) },
  ValidatePromise: { domains: ['any'], make: (_, o) => cv.ValidatePromise(o) },
};

const MESSAGES: (cv.ValidationOptions['message'] | undefined)[] = [
  undefined,
  '',
  '$property is wrong: $value / $constraint1 / $target',
  (args: cv.ValidationArguments) =>
    `${args.property}@${args.targetName}:${typeof args.value}:${String(args.constraints)}`,
  'literal $& and $$ and $constraint2',
];
const GROUPS: (string[] | undefined)[] = [undefined, ['a'], ['b'], ['a', 'b'], []];
const ALWAYS: (boolean | undefined)[] = [undefined, true, false];
const DESIGNS: unknown[] = ['natural', String, Number, Boolean, Object, Array, Date, undefined, Set, Map];
const TYPE_HINTS: unknown[] = [undefined, Number, String, Boolean, Date];

function validationOptions(spec: OptionsSpec): cv.ValidationOptions {
  const options: cv.ValidationOptions = {};
  if (spec.each) options.each = true;
  if (MESSAGES[spec.message] !== undefined) options.message = MESSAGES[spec.message]!;
  if (GROUPS[spec.groups] !== undefined) options.groups = GROUPS[spec.groups]!;
  if (ALWAYS[spec.always] !== undefined) options.always = ALWAYS[spec.always]!;
  if (spec.validateIf) options.validateIf = (_object: object, value: unknown) => value !== 'skip';
  return options;
}

// ---------------------------------------------------------------------------------------------
// Shapes

// Among them: integer-like names (objects list them first), the empty name, and names of
// Object.prototype members (class-validator cannot group those, and fails on every event).
const nameArb = fc.oneof(
  { weight: 200, arbitrary: fc.constantFrom('a', 'b', 'c', 'items', 'name', 'count', '0', '7', '', 'length') },
  { weight: 1, arbitrary: fc.constantFrom('valueOf', 'toString') },
);

const optionsArb: fc.Arbitrary<OptionsSpec> = fc.record({
  each: fc.boolean(),
  message: fc.nat({ max: MESSAGES.length * 3 }).map((n) => (n < MESSAGES.length ? n : 0)),
  groups: fc.nat({ max: GROUPS.length * 3 }).map((n) => (n < GROUPS.length ? n : 0)),
  always: fc.nat({ max: ALWAYS.length * 3 }).map((n) => (n < ALWAYS.length ? n : 0)),
  validateIf: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
});

function decoratorArb(domain: Domain): fc.Arbitrary<DecoratorSpec> {
  const fitting = Object.keys(RECIPES).filter((name) => RECIPES[name]!.domains.includes(domain));
  return fc.record({ recipe: fc.constantFrom(...fitting), arg: fc.nat({ max: 20 }), options: optionsArb });
}

function propArb(depth: number, name: string): fc.Arbitrary<PropSpec> {
  const domains: Domain[] = ['string', 'number', 'boolean', 'strings', 'numbers', 'date', 'any'];
  if (depth > 0) domains.push('nested', 'nested');
  return fc.constantFrom(...domains).chain((domain) =>
    fc.record({
      name: fc.constant(name),
      domain: fc.constant(domain),
      design: fc.nat({ max: DESIGNS.length * 2 }).map((n) => (n < DESIGNS.length ? n : 0)),
      decorators: fc.array(decoratorArb(domain), { minLength: domain === 'nested' ? 0 : 1, maxLength: 4 }),
      optional: fc.nat({ max: 5 }).map((n) => (n > 2 ? 0 : n)),
      nested:
        domain === 'nested'
          ? fc.record({
              child: fc.oneof(
                { weight: 5, arbitrary: classArb(depth - 1) },
                { weight: 1, arbitrary: fc.constant('self' as const) },
              ),
              array: fc.boolean(),
              options: optionsArb.map((o) => ({ ...o, validateIf: false })),
              typeOnly: fc.nat({ max: 9 }).map((n) => n === 0),
              typeForm: fc.nat({ max: 14 }).map((n) => (n < 6 ? n : 0)),
              keepDiscriminator: fc.boolean(),
            })
          : fc.constant(null),
      typeHint: fc.nat({ max: TYPE_HINTS.length * 3 }).map((n) => (n < TYPE_HINTS.length ? n : 0)),
      transformer: fc.nat({ max: 45 }).map((n) => (n < 13 ? n : 0)),
    }),
  );
}

/** A class shape; `depth` bounds nesting and inheritance. */
export function classArb(depth: number): fc.Arbitrary<ClassSpec> {
  return fc.uniqueArray(nameArb, { minLength: 1, maxLength: 4 }).chain((names) =>
    fc.record({
      props: fc.tuple(...names.map((n) => propArb(depth, n))),
      base: depth > 0 ? fc.option(classArb(depth - 1), { freq: 4 }) : fc.constant(null),
      defaulted: fc.integer({ min: -3, max: names.length - 1 }).map((n) => (n < 0 ? -1 : n)),
      excludeAll: fc.nat({ max: 15 }).map((n) => n === 0),
      prototypeExtra: fc.nat({ max: 12 }).map((n) => (n < 3 ? n : 0)),
    }),
  );
}

/** Validation settings, each as the kernel may resolve them. */
export const optionsArbitrary: fc.Arbitrary<EventValidationOptions> = fc.record({
  enableImplicitConversion: fc.boolean(),
  whitelist: fc.boolean(),
  forbidNonWhitelisted: fc.boolean(),
  forbidUnknownValues: fc.boolean(),
  skipMissingProperties: fc.boolean(),
  stopAtFirstError: fc.boolean(),
  groups: fc.constantFrom(undefined, ['a'], ['b'], ['a', 'b']),
});

// ---------------------------------------------------------------------------------------------
// Classes

let made = 0;

/** Makes the decorated class a shape describes (and the classes it names). */
export function materialize(spec: ClassSpec, sandbox: MetadataSandbox): Constructor {
  const base = spec.base ? materialize(spec.base, sandbox) : null;
  const name = `Generated${++made}`;
  const defaulted = spec.defaulted >= 0 ? spec.props[spec.defaulted]?.name : undefined;
  const initialize = (self: Record<string, unknown>) => {
    if (defaulted !== undefined) self[defaulted] = 'default';
  };
  const cls = base
    ? {
        [name]: class extends (base as new () => object) {
          constructor() {
            super();
            initialize(this as Record<string, unknown>);
          }
        },
      }[name]!
    : {
        [name]: class {
          constructor() {
            initialize(this as Record<string, unknown>);
          }
        },
      }[name]!;
  sandbox.track(cls);
  if (spec.excludeAll) Exclude()(cls);
  if (spec.prototypeExtra === 1) (cls.prototype as Record<string, unknown>)['x'] = 'inherited';
  if (spec.prototypeExtra === 2) {
    Object.defineProperty(cls.prototype, spec.props[0]!.name, {
      get(this: Record<string, unknown>) {
        return this['_stored'];
      },
      set(this: Record<string, unknown>, value: unknown) {
        this['_stored'] = value;
      },
      configurable: true,
    });
  }
  for (const prop of spec.props) decorate(cls, prop, sandbox);
  return cls as Constructor;
}

function decorate(cls: Constructor, prop: PropSpec, sandbox: MetadataSandbox): void {
  const prototype = cls.prototype as object;
  const child = prop.nested
    ? prop.nested.child === 'self'
      ? cls
      : materialize(prop.nested.child, sandbox)
    : undefined;
  const natural: Record<Domain, unknown> = {
    string: String,
    number: Number,
    boolean: Boolean,
    strings: Array,
    numbers: Array,
    date: Date,
    any: Object,
    nested: prop.nested?.array ? Array : child,
  };
  const design = DESIGNS[prop.design] === 'natural' ? natural[prop.domain] : DESIGNS[prop.design];
  // As TypeScript emits it: the design type first, then the decorators from the last written.
  if (design !== undefined) Reflect.defineMetadata('design:type', design, prototype, prop.name);
  const decorators: PropertyDecorator[] = [];
  if (prop.optional === 1) decorators.push(cv.IsOptional());
  if (prop.optional === 2) decorators.push(cv.ValidateIf((_o: object, value: unknown) => value !== null));
  for (const d of prop.decorators) decorators.push(RECIPES[d.recipe]!.make(d.arg, validationOptions(d.options)));
  if (prop.nested) {
    if (!prop.nested.typeOnly) decorators.push(cv.ValidateNested(validationOptions(prop.nested.options)));
    decorators.push(typeDecorator(prop.nested, child!));
  } else if (TYPE_HINTS[prop.typeHint] !== undefined) {
    const hint = TYPE_HINTS[prop.typeHint] as new () => unknown;
    decorators.push(Type(() => hint));
  }
  switch (prop.transformer) {
    case 1:
      decorators.push(Exclude());
      break;
    case 2:
      decorators.push(Expose());
      break;
    case 3:
      decorators.push(Expose({ name: `${prop.name}_in` }));
      break;
    case 4:
      decorators.push(Expose({ groups: ['a'] }));
      break;
    case 5:
      decorators.push(Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)));
      break;
    case 6:
      decorators.push(Exclude({ toPlainOnly: true }), Expose({ toClassOnly: true, name: `${prop.name}_in` }));
      break;
    case 7:
      decorators.push(Exclude({ toClassOnly: true }));
      break;
    case 8:
      decorators.push(Transform(() => 'never applied', { groups: ['a'] }));
      break;
    case 9:
      decorators.push(
        Transform(({ obj, key, value }) =>
          (obj as Record<string, unknown>)['b'] === undefined ? value : `${key}:${String(value)}`,
        ),
      );
      break;
    case 10:
    case 11:
      decorators.push(Transform(writesIntoSibling(prop.transformer === 10)));
      break;
    case 12:
      decorators.push(Transform(({ value }) => (Array.isArray(value) ? new Set(value) : value)));
      break;
  }
  for (let i = decorators.length - 1; i >= 0; i--) decorators[i]!(prototype, prop.name);
}

/** `@Type` in the form the shape names. */
function typeDecorator(nested: NestedSpec, child: Constructor): PropertyDecorator {
  // Which class an option-reading function picks: the child unless the parent says "other".
  const pick = (object: unknown) => ((object as { b?: unknown } | undefined)?.b === 'other' ? Object : child);
  switch (nested.typeForm) {
    case 1: {
      const subTypes = [
        { name: 'child', value: child as new () => object },
        { name: 'checked', value: CheckedSubtype },
        { name: 'promised', value: PromisedSubtype },
      ];
      return Type(() => child, {
        discriminator: { property: 'kind', subTypes },
        keepDiscriminatorProperty: nested.keepDiscriminator,
      });
    }
    case 2:
      return Type((options) => (options?.object ? pick(options.object) : Object));
    case 3:
      return Type(({ object }: Partial<TypeHelpOptions> = {}) => pick(object));
    case 4:
      return Type((...args: (TypeHelpOptions | undefined)[]) => pick(args[0]?.object));
    case 5:
      return Type(function () {
        // eslint-disable-next-line prefer-rest-params -- the form under test
        return pick((arguments[0] as TypeHelpOptions | undefined)?.object);
      });
    default:
      return Type(() => child);
  }
}

/**
 * A `@Transform` that writes what JSON cannot hold into the plain object's `b` (a sibling, or
 * itself): a Set or a sparse array, or a Date or a Map.
 */
function writesIntoSibling(collections: boolean): (params: TransformFnParams) => unknown {
  return ({ obj, value }) => {
    const plain = obj as Record<string, unknown>;
    if (!('b' in plain)) return value;
    const b = plain['b'];

    if (collections) plain['b'] = Array.isArray(b) ? [, ...b] : new Set([b]);
    else plain['b'] = typeof b === 'string' ? new Date(0) : new Map([['k', b]]);
    return value;
  };
}

/**
 * Decorates the first property of a class already compiled: 1, a constraint that answers at
 * once; 2, one that answers later; 3, a `@Transform`. 0 adds nothing.
 */
export function addLateMetadata(dto: Constructor, spec: ClassSpec, late: number): void {
  const name = spec.props[0]!.name;
  const prototype = dto.prototype as object;
  if (late === 1) cv.MaxLength(2)(prototype, name);
  if (late === 2) cv.Validate(LaterCheck)(prototype, name);
  if (late === 3) Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))(prototype, name);
}

// ---------------------------------------------------------------------------------------------
// Events

const STRINGS = [
  '',
  'a',
  'abc',
  ' abc ',
  'A1',
  'x@y.com',
  'not an email',
  '2020-01-01',
  '2020-01-01T10:00:00Z',
  '550e8400-e29b-41d4-a716-446655440000',
  '5',
  '12.5',
  'true',
  '#fff',
  'https://example.com',
  'skip',
  'late',
  'red',
  'default',
  'other',
];
const NUMBERS = [0, 1, 2, 3, 7, 12, 49, 50, 100, -1, 1.5, 0.25, 1e21];

const stringArb = fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 6 }));
const numberArb = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.integer({ min: -5, max: 200 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const junkArb = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  numberArb,
  stringArb,
  fc.constant({}),
  fc.constant([]),
  fc.jsonValue({ maxDepth: 2 }),
);
const EXTRA_KEYS = ['x', 'extra', '1', 'toString', 'hasOwnProperty', '', 'valueOf', 'a_in'];

function domainValue(domain: Domain): fc.Arbitrary<unknown> {
  switch (domain) {
    case 'string':
      return stringArb;
    case 'number':
      return numberArb;
    case 'boolean':
      return fc.boolean();
    case 'strings':
      return fc.array(stringArb, { maxLength: 4 });
    case 'numbers':
      return fc.array(numberArb, { maxLength: 4 });
    case 'date':
      return fc.oneof(
        fc.constantFrom('2020-01-01', '1960-05-05T00:00:00Z', 'nope'),
        fc.integer({ min: -1e12, max: 4e12 }),
      );
    default:
      return junkArb;
  }
}

/** An event for a shape: a JSON object, usually close to what the shape accepts. */
export function eventArb(spec: ClassSpec, depth = 2): fc.Arbitrary<Record<string, unknown>> {
  const props = allProps(spec);
  const entries = props.map((prop) =>
    fc
      .oneof(
        { weight: 2, arbitrary: fc.constant(MISSING) },
        { weight: 10, arbitrary: propValue(spec, prop, depth) },
        { weight: 2, arbitrary: junkArb },
      )
      .chain((value) =>
        fc
          .nat({ max: 2 })
          .map((n) => [[3, 6].includes(prop.transformer) && n > 0 ? `${prop.name}_in` : prop.name, value] as const),
      ),
  );
  const extras: fc.Arbitrary<(readonly [string, unknown])[]> = fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as (readonly [string, unknown])[]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...EXTRA_KEYS), junkArb), { maxLength: 2 }) },
  );
  return fc.tuple(fc.tuple(...entries), extras).map(([known, extra]) => {
    const event: Record<string, unknown> = {};
    for (const [key, value] of [...(known as (readonly [string, unknown])[]), ...extra]) {
      if (value !== MISSING) event[key] = value;
    }
    return event;
  });
}

const MISSING = Symbol('missing');

function propValue(owner: ClassSpec, prop: PropSpec, depth: number): fc.Arbitrary<unknown> {
  if (!prop.nested) return domainValue(prop.domain);
  const child = prop.nested.child === 'self' ? owner : prop.nested.child;
  if (depth <= 0) return fc.constantFrom(null, {}, []);
  const one = prop.nested.typeForm === 1 ? subtypeEventArb(child, depth) : eventArb(child, depth - 1);
  return prop.nested.array
    ? fc.oneof(
        { weight: 6, arbitrary: fc.array(one, { maxLength: 3 }) },
        { weight: 1, arbitrary: one },
        { weight: 1, arbitrary: junkArb },
      )
    : fc.oneof(
        { weight: 6, arbitrary: one },
        { weight: 1, arbitrary: fc.array(one, { maxLength: 2 }) },
        { weight: 1, arbitrary: junkArb },
      );
}

/** An element of a discriminated property: untagged, or of one of its subtypes. */
function subtypeEventArb(child: ClassSpec, depth: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 2, arbitrary: eventArb(child, depth - 1) },
    { weight: 2, arbitrary: eventArb(child, depth - 1).map((e) => ({ ...e, kind: 'child' })) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('checked'), note: fc.constantFrom('late', 'soon', 3) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('promised'), p: fc.constantFrom('x', 4) }) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

function allProps(spec: ClassSpec): PropSpec[] {
  return spec.base ? [...allProps(spec.base), ...spec.props] : spec.props;
}

/**
 * The event as the decoder hands it to an engine: plain JSON, without own `__proto__` or
 * `constructor` keys, every string well-formed.
 */
export function asDecodedJson(event: unknown): string {
  return JSON.stringify(event, (_key, value: unknown) => {
    if (typeof value === 'string') return (value as unknown as { toWellFormed(): string }).toWellFormed();
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === '__proto__' || k === 'constructor') continue;
        out[(k as unknown as { toWellFormed(): string }).toWellFormed()] = v;
      }
      return out;
    }
    return value;
  });
}
