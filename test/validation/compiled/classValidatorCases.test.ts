import 'reflect-metadata';
import { expect } from 'chai';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayNotEmpty,
  Contains,
  Equals,
  IsArray,
  IsDefined,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  MinLength,
  registerDecorator,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatePromise,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidationOptions,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { FieldError } from '../../../src/errors/FcError';
import type { Constructor } from '../../../src/metadata/records';
import type { EventValidationOptions } from '../../../src/validation/options';
import { assertSameOutcome, compileBoth, type Outcome } from './differential';

// class-validator's own functional cases (typestack/class-validator, test/functional/*.spec.ts),
// restated for events: each upstream case names the behaviour it checks; here the same behaviour
// is reached from a JSON event through class-transformer (so nested values carry @Type), the
// reference engine's outcome is checked against what upstream expects, and the compiled
// engine's outcome must equal it exactly.

/** An event and what class-validator makes of it: `'valid'`, or the flattened field errors. */
type Expectation = [event: Record<string, unknown>, expected?: 'valid' | FieldError[]];

interface Case {
  /** The upstream spec and case this one restates. */
  covers: string;
  dto: Constructor;
  options?: EventValidationOptions;
  events: Expectation[];
}

const lenient: EventValidationOptions = { whitelist: false, forbidNonWhitelisted: false };
const err = (path: string, constraints: Record<string, string>): FieldError => ({ path, constraints });

// --- conditional-validation.spec.ts -----------------------------------------------------------

class Conditional {
  @ValidateIf((o: Conditional) => o.title !== undefined && o.kind === 'strict')
  @IsNotEmpty()
  title?: string;

  @Allow()
  kind?: string;

  @IsOptional()
  @Equals('test')
  note?: string;
}

// --- custom-decorators.spec.ts ----------------------------------------------------------------

function IsLongerThan(property: string, validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isLongerThan',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      constraints: [property],
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const related = (args.object as Record<string, unknown>)[args.constraints[0] as string];
          if (related === undefined || related === null) return true;
          const result = typeof value === 'string' && typeof related === 'string' && value.length > related.length;
          return (validationOptions?.context as { promise?: boolean } | undefined)?.promise
            ? Promise.resolve(result)
            : result;
        },
      },
    });
}

class Names {
  @IsLongerThan('lastName', { message: '$property must be longer then $constraint1. Given value: $value' })
  firstName!: string;
  @Allow()
  lastName?: string;
}

class AsyncNames {
  @IsLongerThan('lastName', {
    context: { promise: true },
    message: '$property must be longer then $constraint1. Given value: $value',
  })
  firstName!: string;
  @Allow()
  lastName?: string;
}

@ValidatorConstraint({ name: 'isShortenThan' })
class IsShortenThanConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments) {
    const related = (args.object as Record<string, unknown>)[args.constraints[0] as string];
    if (value === null || value === undefined) return true;
    return typeof value === 'string' && typeof related === 'string' && value.length < related.length;
  }
  defaultMessage() {
    return '$property must be shorter then $constraint1. Given value: $value';
  }
}

class ShorterNames {
  @Allow()
  firstName?: string;
  @Validate(IsShortenThanConstraint, ['firstName'])
  lastName?: string;
}

const mySymbol = Symbol('mySymbol');
function IsSameType(property: unknown, validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      target: object.constructor,
      propertyName,
      options: validationOptions,
      constraints: [property],
      validator: {
        validate: (value: unknown, args: ValidationArguments) => typeof value === typeof args.constraints[0],
        defaultMessage: () => `$property must be of type ${typeof property}, like $constraint1`,
      },
    });
}

class SymbolConstraint {
  @IsSameType(mySymbol)
  property?: unknown;
}

// --- inherited-validation.spec.ts -------------------------------------------------------------

class Base {
  @Contains('hello')
  title!: string;
  @MinLength(5)
  name!: string;
}

class Derived extends Base {
  // Same property, same type (customValidation): the base's @MinLength is not inherited.
  @MaxLength(3)
  override name!: string;
  @IsString()
  text!: string;
}

// --- nested-validation.spec.ts ----------------------------------------------------------------

class Sub {
  @MinLength(5)
  name!: string;
}

class Nesting {
  @Contains('hello')
  title!: string;

  @ValidateNested()
  @IsDefined()
  @Type(() => Sub)
  sub!: Sub;

  @IsOptional()
  @ValidateNested()
  @Type(() => Sub)
  subs?: Sub[];

  @IsOptional()
  @ValidateNested()
  @Type(() => Sub)
  grid?: Sub[][];
}

class NestedSet {
  @ValidateNested()
  @Type(() => Sub)
  subs!: Set<Sub>;
}

class NestedMap {
  @ValidateNested()
  @Type(() => Sub)
  subs!: Map<string, Sub>;
}

// --- promise-validation.spec.ts ---------------------------------------------------------------

class WithPromise {
  @ValidatePromise()
  @IsString()
  title!: string;
}

// --- sync-validation.spec.ts (with validate(), asynchronous constraints run) -----------------

@ValidatorConstraint({ name: 'isShortenThanAsync', async: true })
class AsyncShort implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return Promise.resolve(typeof value === 'string' && value.length < 5);
  }
}

class AsyncMixed {
  @Validate(AsyncShort)
  @IsNotEmpty()
  name!: string;
  @IsString()
  alias!: string;
}

// --- validator-options.spec.ts, whitelist-validation.spec.ts ----------------------------------

class Unknowns {
  @IsString()
  name!: string;
  @ValidateNested()
  @Type(() => Object)
  anything!: object;
}

class Whitelisted {
  @IsString()
  title!: string;
  @Allow()
  views!: number;
  @ValidateNested()
  @Type(() => Sub)
  sub!: Sub;
}

// --- validation-options.spec.ts: messages -----------------------------------------------------

class Messages {
  @Contains('hello', { message: '$target#$property is not valid: $value must contain a $constraint1 word' })
  someProperty!: string;

  @MinLength(2, {
    message: (args: ValidationArguments) =>
      (args.value as string).length < 2
        ? '$value is too short, minimum length is $constraint1 characters $property'
        : '',
  })
  name!: string;

  @Max(100, { message: 'Maximum value is $constraint1, but actual is $value' })
  val!: number;

  @Equals(true, { message: 'Value must be $constraint1, but actual is $value' })
  flag!: boolean;
}

// --- validation-options.spec.ts: each over arrays, Sets and Maps ------------------------------

@ValidatorConstraint({ name: 'customContainsHelloConstraint' })
class ContainsHello implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return !Array.isArray(value) && String(value).includes('hello');
  }
}

@ValidatorConstraint({ name: 'customAsyncContainsHelloConstraint', async: true })
class AsyncContainsHello implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return Promise.resolve(!Array.isArray(value) && String(value).includes('hello'));
  }
}

@ValidatorConstraint({ name: 'customMixedContainsHelloConstraint', async: true })
class MixedContainsHello implements ValidatorConstraintInterface {
  validate(value: unknown) {
    const isValid = !(value instanceof Map) && String(value).includes('hello');
    return isValid ? isValid : Promise.resolve(isValid);
  }
}

class EachArray {
  @Contains('hello', { each: true })
  plain!: string[];
  @Validate(ContainsHello, { each: true })
  sync!: string[];
  @Validate(AsyncContainsHello, { each: true })
  async!: string[];
  @Validate(MixedContainsHello, { each: true })
  mixed!: string[];
}

class EachSet {
  @Contains('hello', { each: true })
  @Type(() => String)
  plain!: Set<string>;
  @Validate(MixedContainsHello, { each: true })
  @Type(() => String)
  mixed!: Set<string>;
}

class EachMap {
  @Contains('hello', { each: true })
  @Type(() => String)
  plain!: Map<string, string>;
  @Validate(AsyncContainsHello, { each: true })
  @Type(() => String)
  async!: Map<string, string>;
}

// --- validation-options.spec.ts: groups, always, nested groups, stopAtFirstError -------------

class Grouped {
  @Contains('hello', { groups: ['title-validation'] })
  title!: string;
  @Contains('bye', { groups: ['text-validation'] })
  text!: string;
}

class MultiGrouped {
  @Contains('hello', { groups: ['contains'] })
  @Matches(/.*stranger.*/, { groups: ['matches'] })
  title!: string;
}

class Always {
  @Contains('noOptions')
  plain!: string;
  @Contains('groupA', { groups: ['A'] })
  grouped!: string;
  @Contains('alwaysFalse', { always: false })
  never!: string;
  @Contains('alwaysTrue', { always: true })
  always!: string;
  @Contains('groupAlways', { always: true, groups: ['B'] })
  groupAlways!: string;
}

class GroupedChild {
  @IsDefined({ groups: ['child'] })
  name!: string;
  @IsDefined({ always: true })
  id!: string;
}

class GroupedParent {
  @IsDefined({ groups: ['parent'] })
  title!: string;
  @ValidateNested({ always: true })
  @Type(() => GroupedChild)
  child!: GroupedChild;
}

class StopSub {
  @IsDefined({ message: 'isDefined' })
  name!: string;
}

class StopAtFirst {
  @IsDefined({ message: 'isDefined' })
  @Contains('hello', { message: 'String is not valid. You string must contain a hello word' })
  sameProperty!: string;

  @ValidateNested()
  @IsArray()
  @Type(() => StopSub)
  nestedWithPrimitiveValue!: StopSub[];
}

class NotEmptyArray {
  @ArrayNotEmpty()
  tags!: string[];
}

const CASES: Case[] = [
  {
    covers:
      "conditional-validation › shouldn't validate a property when the condition is false; should validate when true; the object reaches the condition",
    dto: Conditional,
    options: lenient,
    events: [
      [{ title: '', kind: 'loose' }, 'valid'],
      [{ title: '', kind: 'strict' }, [err('title', { isNotEmpty: 'title should not be empty' })]],
    ],
  },
  {
    covers: 'conditional-validation › IsOptional: should validate a property when value is empty / supplied',
    dto: Conditional,
    options: lenient,
    events: [
      [{}, 'valid'],
      [{ note: null }, 'valid'],
      [{ note: 'x' }, [err('note', { equals: 'note must be equal to test' })]],
    ],
  },
  {
    covers: 'custom-decorators › decorator with inline validation (and its asynchronous variant)',
    dto: Names,
    events: [
      [{ firstName: 'hell no world' }, 'valid'],
      [
        { firstName: '', lastName: 'Kim' },
        [err('firstName', { isLongerThan: 'firstName must be longer then lastName. Given value: ' })],
      ],
      [
        { firstName: 'Li', lastName: 'Kim' },
        [err('firstName', { isLongerThan: 'firstName must be longer then lastName. Given value: Li' })],
      ],
    ],
  },
  {
    covers: 'custom-decorators › decorator with inline validation, the validator answering a promise',
    dto: AsyncNames,
    events: [
      [{ firstName: 'hell no world' }, 'valid'],
      [
        { firstName: 'Li', lastName: 'Kim' },
        [err('firstName', { isLongerThan: 'firstName must be longer then lastName. Given value: Li' })],
      ],
    ],
  },
  {
    covers: 'custom-decorators › decorator with separate validation constraint class',
    dto: ShorterNames,
    events: [
      [{ firstName: 'hell no world' }, 'valid'],
      [
        { firstName: 'Li', lastName: 'Kim' },
        [err('lastName', { isShortenThan: 'lastName must be shorter then firstName. Given value: Kim' })],
      ],
    ],
  },
  {
    covers: 'custom-decorators › decorator with symbol constraint ($constraint1 of a symbol is its description)',
    dto: SymbolConstraint,
    events: [[{}, [err('property', { customValidation: 'property must be of type symbol, like mySymbol' })]]],
  },
  {
    covers:
      "inherited-validation › should validate inherited properties (a subclass's rule replaces the base's of the same type)",
    dto: Derived,
    events: [
      [{ title: 'hello', name: 'abc', text: 't' }, 'valid'],
      [
        { title: 'helo', name: 'abcdef', text: 1 },
        [
          err('name', { maxLength: 'name must be shorter than or equal to 3 characters' }),
          err('text', { isString: 'text must be a string' }),
          err('title', { contains: 'title must contain a hello string' }),
        ],
      ],
    ],
  },
  {
    covers:
      'nested-validation › should not validate missing nested objects; should validate nested objects, arrays, arrays of arrays',
    dto: Nesting,
    events: [
      [
        { title: 'helo' },
        [
          err('title', { contains: 'title must contain a hello string' }),
          err('sub', { isDefined: 'sub should not be null or undefined' }),
        ],
      ],
      [
        {
          title: 'hello world',
          sub: { name: 'my' },
          subs: [{ name: 'my' }, { name: 'not-short' }],
          grid: [[{ name: 'sub' }]],
        },
        [
          err('sub.name', { minLength: 'name must be longer than or equal to 5 characters' }),
          err('subs.0.name', { minLength: 'name must be longer than or equal to 5 characters' }),
          err('grid.0.0.name', { minLength: 'name must be longer than or equal to 5 characters' }),
          err('grid.0', { isNestedObject: 'each value in grid must be a Sub object, not an array' }),
        ],
      ],
    ],
  },
  {
    covers:
      'nested-validation › should validate when nested is not object (nestedValidation on the decorated property)',
    dto: Nesting,
    events: [
      [
        { title: 'hello', sub: 'my', subs: ['x', 1] },
        [
          err('sub', { nestedValidation: 'nested property sub must be either object or array' }),
          err('subs.0', { nestedValidation: 'nested property subs must be either object or array' }),
          err('subs.1', { nestedValidation: 'nested property subs must be either object or array' }),
        ],
      ],
    ],
  },
  {
    covers: 'nested-validation › should validate nested set',
    dto: NestedSet,
    events: [
      [
        { subs: [{ name: 'my' }, { name: 'not-short' }] },
        [err('subs.0.name', { minLength: 'name must be longer than or equal to 5 characters' })],
      ],
    ],
  },
  {
    covers: 'nested-validation › should validate nested map (keys become path segments)',
    dto: NestedMap,
    events: [
      [
        { subs: { key1: { name: 'my' }, key2: { name: 'not-short' } } },
        [err('subs.key1.name', { minLength: 'name must be longer than or equal to 5 characters' })],
      ],
    ],
  },
  {
    covers: 'promise-validation › @ValidatePromise (the reference engine keeps such a DTO)',
    dto: WithPromise,
    events: [
      [{ title: 'x' }, 'valid'],
      [{ title: 1 }, [err('title', { isString: 'title must be a string' })]],
    ],
  },
  {
    covers: 'sync-validation › asynchronous constraints (validate() runs them, in order with the synchronous ones)',
    dto: AsyncMixed,
    events: [
      [{ name: 'abc', alias: 'a' }, 'valid'],
      [
        { name: 'abcdef', alias: 1 },
        [err('name', { isShortenThanAsync: '' }), err('alias', { isString: 'alias must be a string' })],
      ],
      [{ name: '', alias: 'a' }, [err('name', { isNotEmpty: 'name should not be empty' })]],
    ],
  },
  {
    covers: 'validator-options › forbidUnknownValues: an unknown object is an unknownValue',
    dto: Unknowns,
    events: [
      [
        { name: 'n', anything: { a: 1 } },
        [err('anything', { unknownValue: 'an unknown value was passed to the validate function' })],
      ],
    ],
  },
  {
    covers: 'validator-options › forbidUnknownValues false: no error on unknown objects',
    dto: Unknowns,
    options: { forbidUnknownValues: false, ...lenient },
    events: [[{ name: 'n', anything: { a: 1 } }, 'valid']],
  },
  {
    covers:
      'whitelist-validation › should strip non whitelisted properties, leave whitelisted ones (and @Allow) untouched',
    dto: Whitelisted,
    options: { whitelist: true, forbidNonWhitelisted: false },
    events: [[{ title: 't', views: 1, unallowed: true, sub: { name: 'long enough', extra: 1 } }, 'valid']],
  },
  {
    covers: 'whitelist-validation › should throw an error when forbidNonWhitelisted flag is set',
    dto: Whitelisted,
    events: [
      [
        { title: 't', views: 1, unallowed: true, sub: { name: 'long enough', extra: 1 } },
        [
          err('unallowed', { whitelistValidation: 'property unallowed should not exist' }),
          err('sub.extra', { whitelistValidation: 'property extra should not exist' }),
        ],
      ],
    ],
  },
  {
    covers:
      'validation-options › message: custom messages, $value (string, number, boolean), $constraint1, $target, $property, message functions',
    dto: Messages,
    events: [
      [
        { someProperty: 'hell no world', name: '', val: 101, flag: false },
        [
          err('someProperty', {
            contains: 'Messages#someProperty is not valid: hell no world must contain a hello word',
          }),
          err('name', { minLength: ' is too short, minimum length is 2 characters name' }),
          err('val', { max: 'Maximum value is 100, but actual is 101' }),
          err('flag', { equals: 'Value must be true, but actual is false' }),
        ],
      ],
    ],
  },
  {
    covers: 'validation-options › each › Array: built-in, synchronous, asynchronous and mixed constraint classes',
    dto: EachArray,
    events: [
      [{ plain: ['hello'], sync: ['hello'], async: ['hello you'], mixed: ['hello'] }, 'valid'],
      [
        {
          plain: ['hell no', 'hello'],
          sync: ['hello', 'helo'],
          async: ['helo', 'hello'],
          mixed: ['hello', 'helo world'],
        },
        [
          err('plain', { contains: 'each value in plain must contain a hello string' }),
          err('sync', { customContainsHelloConstraint: '' }),
          err('async', { customAsyncContainsHelloConstraint: '' }),
          err('mixed', { customMixedContainsHelloConstraint: '' }),
        ],
      ],
    ],
  },
  {
    covers: 'validation-options › each › Set',
    dto: EachSet,
    events: [
      [
        { plain: ['hello', 'hell no'], mixed: ['hello', 'bye'] },
        [
          err('plain', { contains: 'each value in plain must contain a hello string' }),
          err('mixed', { customMixedContainsHelloConstraint: '' }),
        ],
      ],
    ],
  },
  {
    covers: 'validation-options › each › Map',
    dto: EachMap,
    events: [
      [
        { plain: { k1: 'hello', k2: 'nope' }, async: { k1: 'hello' } },
        [err('plain', { contains: 'each value in plain must contain a hello string' })],
      ],
    ],
  },
  ...(
    [
      [['title-validation'], [err('title', { contains: 'title must contain a hello string' })]],
      [['text-validation'], [err('text', { contains: 'text must contain a bye string' })]],
      [
        ['title-validation', 'text-validation'],
        [
          err('title', { contains: 'title must contain a hello string' }),
          err('text', { contains: 'text must contain a bye string' }),
        ],
      ],
      [
        undefined,
        [
          err('title', { contains: 'title must contain a hello string' }),
          err('text', { contains: 'text must contain a bye string' }),
        ],
      ],
    ] as [string[] | undefined, FieldError[]][]
  ).map(([groups, noneValid]): Case => ({
    covers: `validation-options › groups: should validate only properties of the given group(s) ${JSON.stringify(groups)}`,
    dto: Grouped,
    options: { groups, ...lenient },
    events: [
      [{ title: 'hello world', text: 'bye world' }, 'valid'],
      [{ title: 'bye world', text: 'hello world' }, noneValid],
      [{ title: 'hello world', text: 'hello world' }],
      [{ title: 'bye world', text: 'bye world' }],
    ],
  })),
  ...[['contains'], ['matches'], ['contains', 'matches']].map((groups): Case => ({
    covers: `validation-options › multiple groups per property: ${groups.join(' & ')}`,
    dto: MultiGrouped,
    options: { groups },
    events: [
      [{ title: 'hello' }],
      [{ title: 'stranger' }],
      [{ title: 'hello stranger' }, 'valid'],
      [{ title: 'none' }],
    ],
  })),
  ...[undefined, ['A'], ['B'], ['C']].map((groups): Case => ({
    covers: `validation-options › ValidationOptions.always (decorators with and without groups, always true and false), groups ${JSON.stringify(groups)}`,
    dto: Always,
    options: { groups },
    events: [[{ plain: 'x', grouped: 'x', never: 'x', always: 'x', groupAlways: 'x' }]],
  })),
  ...[undefined, ['child'], ['parent']].map((groups): Case => ({
    covers: `validation-options › groups - nested: all children without groups, only the given group + always, groups ${JSON.stringify(groups)}`,
    dto: GroupedParent,
    options: { groups, ...lenient },
    events: [[{ child: {} }], [{ title: 't', child: { name: 'n', id: 'i' } }, 'valid']],
  })),
  ...[true, false].map((stopAtFirstError): Case => ({
    covers: `validation-options › should stop at first error (stopAtFirstError ${stopAtFirstError})`,
    dto: StopAtFirst,
    options: { stopAtFirstError },
    events: [
      [
        { nestedWithPrimitiveValue: 'invalid' },
        stopAtFirstError
          ? [
              err('sameProperty', { isDefined: 'isDefined' }),
              err('nestedWithPrimitiveValue', { isArray: 'nestedWithPrimitiveValue must be an array' }),
            ]
          : [
              err('sameProperty', {
                isDefined: 'isDefined',
                contains: 'String is not valid. You string must contain a hello word',
              }),
              err('nestedWithPrimitiveValue', {
                isArray: 'nestedWithPrimitiveValue must be an array',
                nestedValidation: 'nested property nestedWithPrimitiveValue must be either object or array',
              }),
            ],
      ],
    ],
  })),
  {
    covers: 'validation-options › groups, with the kernel defaults: a property of another group is not whitelisted',
    dto: Grouped,
    options: { groups: ['title-validation'] },
    events: [
      [
        { title: 'hello world', text: 'bye world' },
        [err('text', { whitelistValidation: 'property text should not exist' })],
      ],
    ],
  },
  {
    covers: 'validation-functions-and-decorators › ArrayNotEmpty',
    dto: NotEmptyArray,
    events: [
      [{ tags: ['a'] }, 'valid'],
      [{ tags: [] }, [err('tags', { arrayNotEmpty: 'tags should not be empty' })]],
    ],
  },
];

describe("compiled engine on class-validator's own cases", () => {
  for (const c of CASES) {
    it(c.covers, async () => {
      const pair = compileBoth(c.dto, c.options);
      for (const [event, expected] of c.events) {
        const reference: Outcome = await assertSameOutcome(pair, event);
        if (expected === 'valid') expect(reference.kind, JSON.stringify(reference)).to.equal('instance');
        else if (expected) expect(reference).to.deep.equal({ kind: 'invalid', errors: expected });
      }
    });
  }
});
