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
