/*
 * fast-check generators of hostile event bodies. They build JSON *text*, not values, so that
 * number literals (`-0`, `5e-324`, `1e309`), escaped lone surrogates and `__proto__` keys reach
 * the kernel exactly as a caller would send them. The order oracle says, independently of
 * class-validator, whether an order must be accepted.
 */
import fc from 'fast-check';

/** Number literals at the edges of IEEE 754 and of the safe-integer range. */
export const EDGE_NUMBERS = [
  '1e308',
  '-1e308',
  '1.7976931348623157e308',
  '1e309',
  '-0',
  '0',
  '5e-324',
  '-5e-324',
  '9007199254740993',
  '-9007199254740993',
  '9007199254740992',
  '1',
  '1.5',
  '-1',
  '100',
];

/** Keys that pollute a prototype when code assigns them naively. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'polluted',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
  'length',
];

/** Strings as JSON text: arbitrary code points, lone surrogates escaped and raw, empty, NUL. */
export const jsonStringText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"\\ud800"', '"\\udfff"', '"a\\ud83d"', '"\\ude00b"', '"\\ud83d\\ude00"', '""', '"\\u0000"'),
  // A raw lone surrogate: not valid UTF-8, so it arrives as U+FFFD.
  fc.constantFrom('"\ud800"', '"x\udc00y"'),
);

export const jsonNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...EDGE_NUMBERS),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? '-0' : String(d))),
);

export const jsonKeyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_KEYS).map((k) => JSON.stringify(k)),
  jsonStringText,
);

const leafText = fc.oneof(jsonStringText, jsonNumberText, fc.constantFrom('true', 'false', 'null'));

/** Any JSON value as text, hostile keys and edge numbers included. */
export const jsonValueText: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>(
  (tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafText, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }).map((xs) => `[${xs.join(',')}]`),
    object: fc
      .array(fc.tuple(jsonKeyText, tie('value')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
  }),
).value;

/** Payloads that pollute `Object.prototype` if any code merges them into a plain object. */
const POLLUTERS = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '{"__proto__":[{"polluted":"yes"}],"constructor":{"prototype":{"polluted":"yes"}}}',
];

const WRAPPERS: ((inner: string) => string)[] = [
  (x) => `{"a":${x}}`,
  (x) => `[${x}]`,
  (x) => `{"__proto__":${x}}`,
  (x) => `{"constructor":${x}}`,
  (x) => `{"prototype":${x}}`,
  (x) => `{"orderId":"o-1","customerEmail":"buyer@example.com","items":[${x}]}`,
  (x) => `{"sku":${x},"quantity":1,"unitPrice":1}`,
  (x) => `{"shipmentId":"s","parcels":[{"label":"p","weightGrams":1,"contents":[${x}]}]}`,
];

/** A prototype-polluting payload wrapped at a random depth (0 to 40) in objects, arrays and DTOs. */
export const pollutionText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...POLLUTERS),
    fc.array(fc.integer({ min: 0, max: WRAPPERS.length - 1 }), { maxLength: 40 }),
    fc.boolean(),
  )
  .map(([payload, path, alsoAtTop]) => {
    let text = payload;
    for (const i of path) text = WRAPPERS[i]!(text);
    // The polluter's keys also beside the wrapped value, at the top.
    return alsoAtTop && text.startsWith('{') ? `{"__proto__":{"polluted":"top"},${text.slice(1)}` : text;
  });

/** `depth` levels of nesting built from `open`/`close` pairs chosen by `pattern`. */
export function nested(depth: number, pattern: 'array' | 'object' | 'mixed' | 'proto', inner = '1'): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    const kind = pattern === 'mixed' ? (i % 2 === 0 ? 'array' : 'object') : pattern;
    if (kind === 'array') {
      open.push('[');
      close.push(']');
    } else if (kind === 'object') {
      open.push('{"a":');
      close.push('}');
    } else {
      open.push('{"__proto__":');
      close.push('}');
    }
  }
  return open.join('') + inner + close.reverse().join('');
}

const VALID_EMAILS = ['buyer@example.com', 'a.b+c@shop.example.cn'];
const INVALID_EMAILS = ['', 'not-an-email', 'a@', '@example.com', 'a@b'];

/** Mostly the right thing, sometimes any JSON value at all. */
function mostly(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: jsonValueText });
}

/**
 * An object of `fields`, each sometimes absent, sometimes with an extra key (hostile names
 * included) before or after them.
 */
function objectOf(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  return fc
    .tuple(
      fc.tuple(...names.map((name) => fc.tuple(fields[name]!, fc.nat(15)))),
      fc.option(fc.tuple(jsonKeyText, jsonValueText, fc.boolean()), { freq: 4 }),
    )
    .map(([values, extra]) => {
      const parts: string[] = [];
      values.forEach(([text, omitRoll], i) => {
        if (omitRoll !== 0) parts.push(`${JSON.stringify(names[i])}:${text}`);
      });
      if (extra) {
        const entry = `${extra[0]}:${extra[1]}`;
        if (extra[2]) parts.unshift(entry);
        else parts.push(entry);
      }
      return `{${parts.join(',')}}`;
    });
}

function arrayOf(item: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return mostly(fc.array(item, { maxLength: 4 }).map((items) => `[${items.join(',')}]`));
}

const nonEmptyStringText = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map((s) => JSON.stringify(s));
const countText = fc.oneof(fc.constantFrom(...EDGE_NUMBERS), fc.integer({ min: -3, max: 1000 }).map(String));

const orderItemText = objectOf({
  sku: mostly(nonEmptyStringText),
  quantity: mostly(countText),
  unitPrice: mostly(fc.constantFrom(...EDGE_NUMBERS)),
});

/** The order sample's `CreateOrder`, with wrong types anywhere. */
export const orderText: fc.Arbitrary<string> = objectOf({
  orderId: mostly(nonEmptyStringText),
  customerEmail: mostly(fc.constantFrom(...VALID_EMAILS, ...INVALID_EMAILS).map((e) => JSON.stringify(e))),
  items: arrayOf(orderItemText),
  couponCode: mostly(nonEmptyStringText),
});

/** `Shipment`: parcels, each with an array of order items: two levels of nested DTO arrays. */
export const shipmentText: fc.Arbitrary<string> = objectOf({
  shipmentId: mostly(nonEmptyStringText),
  parcels: arrayOf(
    objectOf({ label: mostly(nonEmptyStringText), weightGrams: mostly(countText), contents: arrayOf(orderItemText) }),
  ),
});

/*
 * The oracle: what the pinned validation defaults must decide, written from the DTOs'
 * decorators without class-validator. Keys naming members of `Object.prototype` (`__proto__`,
 * `constructor`, `hasOwnProperty`, `toString`, ...) are dropped before validation (class-transformer
 * skips keys whose instance value is a function), so they are not unknown properties; every other
 * undeclared key is (`forbidNonWhitelisted`). A lone surrogate anywhere makes the event invalid
 * (except under the `__proto__` and `constructor` keys, which are removed first).
 */
type Rules = Record<string, { check: (value: unknown) => boolean; optional?: boolean }>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function matches(value: unknown, rules: Rules): boolean {
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(Object.prototype, key) && !Object.hasOwn(rules, key)) return false;
  }
  for (const [name, rule] of Object.entries(rules)) {
    const present = Object.hasOwn(value, name);
    const v = present ? value[name] : undefined;
    // IsOptional skips null and undefined.
    if (rule.optional && (v === undefined || v === null)) continue;
    if (!present || !rule.check(v)) return false;
  }
  return true;
}

const isString = (v: unknown) => typeof v === 'string';
const isNonEmptyString = (v: unknown) => typeof v === 'string' && v !== '';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const arrayWhere = (min: number, max: number, each: (v: unknown) => boolean) => (v: unknown) =>
  Array.isArray(v) && v.length >= min && v.length <= max && v.every(each);

const ORDER_ITEM: Rules = {
  sku: { check: isNonEmptyString },
  quantity: { check: (v) => isInt(v) && v >= 1 },
  unitPrice: { check: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 },
};
const isOrderItem = (v: unknown) => matches(v, ORDER_ITEM);

/**
 * Whether a string or property name anywhere in the event holds a lone surrogate (such an event
 * is rejected), skipping what sits under the dropped `__proto__` and `constructor` keys.
 */
function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !(value as unknown as { isWellFormed(): boolean }).isWellFormed();
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  return Object.entries(value).some(
    ([key, v]) => key !== '__proto__' && key !== 'constructor' && (holdsLoneSurrogate(key) || holdsLoneSurrogate(v)),
  );
}

/** The event as the kernel receives it: UTF-8 bytes, so a raw lone surrogate arrives as U+FFFD. */
export function asReceived(json: string): unknown {
  return JSON.parse(Buffer.from(json, 'utf8').toString('utf8'));
}

/** Whether `CreateOrder` must accept this parsed event. */
export function isValidOrder(value: unknown): boolean {
  if (holdsLoneSurrogate(value)) return false;
  return matches(value, {
    orderId: { check: isNonEmptyString },
    customerEmail: { check: (v) => typeof v === 'string' && VALID_EMAILS.includes(v) },
    items: { check: arrayWhere(1, 100, isOrderItem) },
    couponCode: { check: isString, optional: true },
  });
}

/** Whether `Shipment` must accept this parsed event. */
export function isValidShipment(value: unknown): boolean {
  const parcel: Rules = {
    label: { check: isString },
    weightGrams: { check: (v) => isInt(v) && v >= 0 },
    contents: { check: arrayWhere(0, Infinity, isOrderItem) },
  };
  if (holdsLoneSurrogate(value)) return false;
  return matches(value, {
    shipmentId: { check: isString },
    parcels: { check: arrayWhere(1, Infinity, (v) => matches(v, parcel)) },
  });
}
