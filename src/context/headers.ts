/** Request headers as `node:http` gives them: lower-case names. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** FC's credential headers: never logged, echoed or handed to `@Headers()`. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'x-fc-access-key-id',
  'x-fc-access-key-secret',
  'x-fc-security-token',
]);

/** The first value of a header, or `''`. */
export function headerValue(headers: RequestHeaders, name: string): string {
  const value = headers[name];
  if (value === undefined) return '';
  return Array.isArray(value) ? (value[0] ?? '') : value;
}

/** A decimal number of FC's: `3`, `2.5`, `.5`; no sign, exponent, hex, `Infinity` or spaces inside. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The same, in seconds: `3`, `2.5`, or with the unit, `3s`. */
const SECONDS = /^(?:\d+(?:\.\d*)?|\.\d+)s?$/;

/**
 * A reader of a numeric header: its first valid value. A repeated header reaches the kernel
 * joined as `1, 1` (node joins them with `, `): its values are tried in order, each trimmed.
 * FC sends the same values with every request of a function, so each reader keeps its last
 * reading.
 */
function numericHeader(
  syntax: RegExp,
  positive: boolean,
): (headers: RequestHeaders, name: string) => number | undefined {
  let lastText = '';
  let lastValue: number | undefined;
  return (headers, name) => {
    const value = headerValue(headers, name);
    if (value === '') return undefined;
    if (value === lastText) return lastValue;
    lastText = value;
    lastValue = undefined;
    for (const item of value.split(',')) {
      const text = item.trim();
      if (!syntax.test(text)) continue;
      const n = parseFloat(text);
      if (positive ? n > 0 : n >= 0) {
        lastValue = n;
        break;
      }
    }
    return lastValue;
  };
}

/**
 * A count or size FC sends (`x-fc-function-memory`, `x-fc-retry-count`): the first value that is
 * a non-negative decimal, else `undefined`.
 */
export const headerNumber = numericHeader(DECIMAL, false);

/**
 * A duration FC sends in seconds (`x-fc-function-timeout`, `x-fc-initialization-timeout`): the
 * first value that is a positive decimal, with or without the unit `s` (`3`, `2.5`, `3s`), else
 * `undefined`. Invalid, and skipped: `0`, negative numbers, other units (`3ms`), exponents,
 * `Infinity`, anything else that is not a plain decimal.
 */
export const headerSeconds = numericHeader(SECONDS, true);

/** The headers without FC's credentials. */
export function publicHeaders(headers: RequestHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined && !SECRET_HEADERS.has(name)) out[name] = value;
  }
  return out;
}

/** Lower-case header names, for callers of `dispatch` that are not `node:http`. */
export function normalizeHeaders(headers: RequestHeaders | undefined): RequestHeaders {
  if (!headers) return {};
  let lower = true;
  for (const name of Object.keys(headers)) {
    if (name !== name.toLowerCase()) {
      lower = false;
      break;
    }
  }
  if (lower) return headers;
  const out: RequestHeaders = {};
  for (const name of Object.keys(headers)) out[name.toLowerCase()] = headers[name];
  return out;
}
