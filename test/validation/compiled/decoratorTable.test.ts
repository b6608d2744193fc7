import 'reflect-metadata';
import { expect } from 'chai';
import { Type } from 'class-transformer';
import * as cv from 'class-validator';
import { assertSameOutcome, compileBoth } from './differential';
import { MetadataSandbox } from './metadataSandbox';

// class-validator's validation-functions-and-decorators.spec.ts checks each built-in decorator
// against values it accepts and values it refuses. Here each row puts one decorator on one
// property of a DTO and sends each value as an event: the reference engine must accept and
// refuse as listed, and the compiled engine must answer exactly as the reference does (same
// message, with each's prefix, under `each` too).

interface Row {
  decorator: string;
  make: (options?: cv.ValidationOptions) => PropertyDecorator;
  valid: unknown[];
  invalid: unknown[];
  /** The property's design type and a `@Type` for the value (a Date, say). */
  type?: () => unknown;
  /** A decorator of arrays: under each it would judge the elements, which the lists are not. */
  wholeOnly?: boolean;
}

const ROWS: Row[] = [
  { decorator: 'IsDefined', make: (o) => cv.IsDefined(o), valid: [0, '', false, 'x'], invalid: [null] },
  { decorator: 'Equals', make: (o) => cv.Equals('this', o), valid: ['this'], invalid: ['that', 1] },
  { decorator: 'NotEquals', make: (o) => cv.NotEquals('this', o), valid: ['that', 1], invalid: ['this'] },
  { decorator: 'IsEmpty', make: (o) => cv.IsEmpty(o), valid: ['', null], invalid: ['a', 0, false] },
  { decorator: 'IsNotEmpty', make: (o) => cv.IsNotEmpty(o), valid: ['a', 0, false, []], invalid: ['', null] },
  { decorator: 'IsIn', make: (o) => cv.IsIn(['foo', 'bar'], o), valid: ['foo'], invalid: ['baz', 1] },
  { decorator: 'IsNotIn', make: (o) => cv.IsNotIn(['foo', 'bar'], o), valid: ['baz'], invalid: ['foo'] },
  { decorator: 'IsBoolean', make: (o) => cv.IsBoolean(o), valid: [true, false], invalid: ['true', 1, null] },
  { decorator: 'IsDate', make: (o) => cv.IsDate(o), valid: ['2021-06-01', 0], invalid: [], type: () => Date },
  { decorator: 'IsDate (untransformed)', make: (o) => cv.IsDate(o), valid: [], invalid: ['2021-06-01', 5] },
  { decorator: 'IsString', make: (o) => cv.IsString(o), valid: ['', 'x'], invalid: [1, true, {}, null] },
  { decorator: 'IsNumber', make: (o) => cv.IsNumber({}, o), valid: [0, -3, 1.5], invalid: ['1', null, true] },
  {
    decorator: 'IsNumber (maxDecimalPlaces)',
    make: (o) => cv.IsNumber({ maxDecimalPlaces: 2 }, o),
    valid: [1.25, 3],
    invalid: [1.255],
  },
  { decorator: 'IsInt', make: (o) => cv.IsInt(o), valid: [0, -7, 1e3], invalid: [1.5, '2', null] },
  { decorator: 'IsArray', make: (o) => cv.IsArray(o), valid: [[], [1, 'a']], invalid: ['[]', {}, null] },
  { decorator: 'IsEnum', make: (o) => cv.IsEnum({ A: 'a', B: 'b' }, o), valid: ['a', 'b'], invalid: ['A', 'c'] },
  { decorator: 'IsDivisibleBy', make: (o) => cv.IsDivisibleBy(3, o), valid: [0, 9], invalid: [4, '9'] },
  { decorator: 'IsPositive', make: (o) => cv.IsPositive(o), valid: [0.1, 3], invalid: [0, -1, '3'] },
  { decorator: 'IsNegative', make: (o) => cv.IsNegative(o), valid: [-0.1], invalid: [0, 2] },
  { decorator: 'Min', make: (o) => cv.Min(10, o), valid: [10, 11.5], invalid: [9, '10'] },
  { decorator: 'Max', make: (o) => cv.Max(10, o), valid: [10, -2], invalid: [11] },
  {
    decorator: 'MinDate',
    make: (o) => cv.MinDate(new Date('2020-01-01'), o),
    valid: ['2021-01-01'],
    invalid: ['2019-01-01'],
    type: () => Date,
  },
  {
    decorator: 'MaxDate',
    make: (o) => cv.MaxDate(new Date('2020-01-01'), o),
    valid: ['2019-01-01'],
    invalid: ['2021-01-01'],
    type: () => Date,
  },
  { decorator: 'IsBooleanString', make: (o) => cv.IsBooleanString(o), valid: ['true', '0'], invalid: ['yes', true] },
  {
    decorator: 'IsNumberString',
    make: (o) => cv.IsNumberString(undefined, o),
    valid: ['12', '-1.5'],
    invalid: ['1a', 12],
  },
  { decorator: 'Contains', make: (o) => cv.Contains('ell', o), valid: ['hello'], invalid: ['help', 1] },
  { decorator: 'NotContains', make: (o) => cv.NotContains('ell', o), valid: ['help'], invalid: ['hello'] },
  { decorator: 'IsAlpha', make: (o) => cv.IsAlpha(undefined, o), valid: ['abc'], invalid: ['ab1', ''] },
  { decorator: 'IsAlphanumeric', make: (o) => cv.IsAlphanumeric(undefined, o), valid: ['ab1'], invalid: ['a-b'] },
  { decorator: 'IsDecimal', make: (o) => cv.IsDecimal(undefined, o), valid: ['1.5', '-3'], invalid: ['1.5.1', 'x'] },
  { decorator: 'IsAscii', make: (o) => cv.IsAscii(o), valid: ['abc!'], invalid: ['ábc'] },
  { decorator: 'IsBase64', make: (o) => cv.IsBase64(undefined, o), valid: ['aGVsbG8='], invalid: ['hello!'] },
  { decorator: 'IsByteLength', make: (o) => cv.IsByteLength(2, 4, o), valid: ['abc'], invalid: ['a', 'abcde'] },
  {
    decorator: 'IsCreditCard',
    make: (o) => cv.IsCreditCard(o),
    valid: ['4111111111111111'],
    invalid: ['4111111111111112'],
  },
  { decorator: 'IsCurrency', make: (o) => cv.IsCurrency(undefined, o), valid: ['$10.50', '10'], invalid: ['10.5.5'] },
  {
    decorator: 'IsEmail',
    make: (o) => cv.IsEmail(undefined, o),
    valid: ['buyer@example.com'],
    invalid: ['buyer@', 'a b@c.d', 5],
  },
  { decorator: 'IsFQDN', make: (o) => cv.IsFQDN(undefined, o), valid: ['example.com'], invalid: ['example', '-a.com'] },
  { decorator: 'IsFullWidth', make: (o) => cv.IsFullWidth(o), valid: ['ｆｕｌｌ'], invalid: ['half'] },
  { decorator: 'IsHalfWidth', make: (o) => cv.IsHalfWidth(o), valid: ['half'], invalid: ['ｆｕｌｌ'] },
  { decorator: 'IsHexColor', make: (o) => cv.IsHexColor(o), valid: ['#fff', 'a0a0a0'], invalid: ['#ggg'] },
  { decorator: 'IsHexadecimal', make: (o) => cv.IsHexadecimal(o), valid: ['deadBEEF'], invalid: ['xyz'] },
  { decorator: 'IsMACAddress', make: (o) => cv.IsMACAddress(o), valid: ['01:23:45:67:89:ab'], invalid: ['01:23:45'] },
  { decorator: 'IsIP', make: (o) => cv.IsIP(undefined, o), valid: ['10.0.0.1', '::1'], invalid: ['10.0.0.256'] },
  { decorator: 'IsPort', make: (o) => cv.IsPort(o), valid: ['8080'], invalid: ['70000', 80] },
  { decorator: 'IsISBN', make: (o) => cv.IsISBN(undefined, o), valid: ['9780306406157'], invalid: ['9780306406158'] },
  {
    decorator: 'IsISO8601',
    make: (o) => cv.IsISO8601(undefined, o),
    valid: ['2021-06-01T10:00:00Z'],
    invalid: ['June 1'],
  },
  {
    decorator: 'IsDateString',
    make: (o) => cv.IsDateString(undefined, o),
    valid: ['2021-06-01'],
    invalid: ['2021-13-01x'],
  },
  { decorator: 'IsJSON', make: (o) => cv.IsJSON(o), valid: ['{"a":1}'], invalid: ['{a:1}'] },
  {
    decorator: 'IsJWT',
    make: (o) => cv.IsJWT(o),
    valid: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    invalid: ['a.b'],
  },
  { decorator: 'IsObject', make: (o) => cv.IsObject(o), valid: [{}, { a: 1 }], invalid: [[], 'x', null] },
  {
    decorator: 'IsNotEmptyObject',
    make: (o) => cv.IsNotEmptyObject(undefined, o),
    valid: [{ a: 1 }],
    invalid: [{}, 'x'],
  },
  { decorator: 'IsLowercase', make: (o) => cv.IsLowercase(o), valid: ['abc'], invalid: ['aBc'] },
  { decorator: 'IsUppercase', make: (o) => cv.IsUppercase(o), valid: ['ABC'], invalid: ['AbC'] },
  { decorator: 'IsLatLong', make: (o) => cv.IsLatLong(o), valid: ['45.5,-73.5'], invalid: ['95,10'] },
  { decorator: 'IsLatitude', make: (o) => cv.IsLatitude(o), valid: ['45.5', 45.5], invalid: ['95'] },
  { decorator: 'IsLongitude', make: (o) => cv.IsLongitude(o), valid: ['-73.5'], invalid: ['190'] },
  {
    decorator: 'IsMobilePhone',
    make: (o) => cv.IsMobilePhone('en-US', undefined, o),
    valid: ['+12015550123'],
    invalid: ['123'],
  },
  { decorator: 'IsPhoneNumber', make: (o) => cv.IsPhoneNumber('US', o), valid: ['+1 201-555-0123'], invalid: ['12'] },
  { decorator: 'IsISO31661Alpha2', make: (o) => cv.IsISO31661Alpha2(o), valid: ['CN', 'de'], invalid: ['XX'] },
  { decorator: 'IsMongoId', make: (o) => cv.IsMongoId(o), valid: ['507f1f77bcf86cd799439011'], invalid: ['507f1f77'] },
  { decorator: 'IsMultibyte', make: (o) => cv.IsMultibyte(o), valid: ['中文'], invalid: ['abc'] },
  { decorator: 'IsSurrogatePair', make: (o) => cv.IsSurrogatePair(o), valid: ['𠮷野'], invalid: ['abc'] },
  {
    decorator: 'IsUrl',
    make: (o) => cv.IsUrl(undefined, o),
    valid: ['https://example.com/a?b=c'],
    invalid: ['example', 'http://'],
  },
  {
    decorator: 'IsUUID',
    make: (o) => cv.IsUUID('4', o),
    valid: ['550e8400-e29b-41d4-a716-446655440000'],
    invalid: ['550e8400'],
  },
  { decorator: 'Length', make: (o) => cv.Length(2, 3, o), valid: ['ab', 'abc'], invalid: ['a', 'abcd', 5] },
  { decorator: 'MinLength', make: (o) => cv.MinLength(2, o), valid: ['ab'], invalid: ['a'] },
  { decorator: 'MaxLength', make: (o) => cv.MaxLength(2, o), valid: ['ab'], invalid: ['abc'] },
  { decorator: 'Matches', make: (o) => cv.Matches(/^a+$/, o), valid: ['aaa'], invalid: ['ab'] },
  { decorator: 'IsMilitaryTime', make: (o) => cv.IsMilitaryTime(o), valid: ['23:59'], invalid: ['24:00'] },
  { decorator: 'IsTimeZone', make: (o) => cv.IsTimeZone(o), valid: ['Asia/Shanghai'], invalid: ['Mars/Base'] },
  {
    decorator: 'IsHash',
    make: (o) => cv.IsHash('md5', o),
    valid: ['d41d8cd98f00b204e9800998ecf8427e'],
    invalid: ['d41d'],
  },
  { decorator: 'IsISSN', make: (o) => cv.IsISSN(undefined, o), valid: ['0378-5955'], invalid: ['0378-5954'] },
  { decorator: 'IsSemVer', make: (o) => cv.IsSemVer(o), valid: ['1.2.3-beta.1'], invalid: ['1.2'] },
  {
    decorator: 'IsStrongPassword',
    make: (o) => cv.IsStrongPassword(undefined, o),
    valid: ['Aa1!aaaa'],
    invalid: ['password'],
  },
  {
    decorator: 'ArrayContains',
    make: (o) => cv.ArrayContains(['a'], o),
    valid: [['a', 'b']],
    invalid: [['b'], 'a'],
    wholeOnly: true,
  },
  {
    decorator: 'ArrayNotContains',
    make: (o) => cv.ArrayNotContains(['a'], o),
    valid: [['b']],
    invalid: [['a']],
    wholeOnly: true,
  },
  { decorator: 'ArrayNotEmpty', make: (o) => cv.ArrayNotEmpty(o), valid: [['a']], invalid: [[], 'a'], wholeOnly: true },
  { decorator: 'ArrayMinSize', make: (o) => cv.ArrayMinSize(2, o), valid: [[1, 2]], invalid: [[1]], wholeOnly: true },
  { decorator: 'ArrayMaxSize', make: (o) => cv.ArrayMaxSize(1, o), valid: [[1]], invalid: [[1, 2]], wholeOnly: true },
  {
    decorator: 'ArrayUnique',
    make: (o) => cv.ArrayUnique(undefined, o),
    valid: [[1, 2]],
    invalid: [[1, 1]],
    wholeOnly: true,
  },
];

describe('compiled engine on each built-in decorator', () => {
  const sandbox = new MetadataSandbox();
  after(() => sandbox.forget());

  for (const row of ROWS) {
    it(`${row.decorator}: accepts and refuses what class-validator does, alone and under each`, async () => {
      for (const each of row.wholeOnly ? [false] : [false, true]) {
        const dto = sandbox.track(class Row {});
        if (row.type) {
          Reflect.defineMetadata('design:type', each ? Array : row.type(), dto.prototype, 'value');
          Type(row.type as () => new () => unknown)(dto.prototype, 'value');
        }
        row.make(each ? { each: true } : undefined)(dto.prototype, 'value');
        const pair = compileBoth(dto);
        for (const [values, kind] of [
          [row.valid, 'instance'],
          [row.invalid, 'invalid'],
        ] as const) {
          for (const v of values) {
            // Under each, the values go as one-element arrays (a non-array is validated whole).
            const reference = await assertSameOutcome(pair, { value: each && v !== null ? [v] : v });
            expect(reference.kind, `${row.decorator}${each ? ' each' : ''} on ${JSON.stringify(v)}`).to.equal(kind);
          }
        }
      }
    });
  }
});
