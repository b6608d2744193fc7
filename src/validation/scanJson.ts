/**
 * Bounds a JSON scan stops at; `Infinity` for none. Nodes are object members and array
 * elements (the root value is not one).
 */
export interface JsonLimits {
  /** Deepest nesting of arrays and objects; the root container is level 1. */
  readonly maxDepth: number;
  /** Object members and array elements, all together. */
  readonly maxNodes: number;
  /** Members of any one object. */
  readonly maxObjectKeys: number;
  /** Array elements, all arrays together. */
  readonly maxArrayElements: number;
}

export type JsonLimit = keyof JsonLimits;

/** One step of a path into a JSON value: an object key or an array index. */
export type JsonPathSegment = string | number;

/** What one scan of a JSON text found. */
export type JsonScan =
  | {
      readonly ok: true;
      /** Where the JSON text starts: after a UTF-8 byte order mark, if any. */
      readonly start: number;
      readonly depth: number;
      readonly nodes: number;
      /**
       * Whether the parsed value may hold what a validated event must not: an own `__proto__` or
       * `constructor` key, or a string or key with a lone surrogate. False only when it cannot.
       */
      readonly needsHardening: boolean;
    }
  | { readonly ok: false; readonly problem: 'empty' }
  /**
   * `at` is the byte offset of the first byte no JSON text can have there (the length: the end);
   * `start` as for a success.
   */
  | { readonly ok: false; readonly problem: 'syntax'; readonly start: number; readonly at: number }
  /** `path` leads to the array or object that went over `limit` (to the root, for `maxDepth`: none). */
  | { readonly ok: false; readonly problem: 'limit'; readonly limit: JsonLimit; readonly path: JsonPathSegment[] };

const UNBOUNDED: JsonLimits = Object.freeze({
  maxDepth: Infinity,
  maxNodes: Infinity,
  maxObjectKeys: Infinity,
  maxArrayElements: Infinity,
});

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** 1 for the bytes JSON calls whitespace. */
const SPACE = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09]) SPACE[c] = 1;

/** 1 for the bytes a string holds as they are: not a quote, a backslash or a control character. */
const PLAIN_IN_STRING = new Uint8Array(256).fill(1, 0x20);
PLAIN_IN_STRING[QUOTE] = 0;
PLAIN_IN_STRING[BACKSLASH] = 0;

/** What the scanner expects next. */
const VALUE = 0;
const MEMBER = 1;
const ELEMENT = 2;
const AFTER_VALUE = 3;

const OBJECT = 1;
const ARRAY = 2;

/*
 * The open containers, by depth - 1: kind, members so far, and the byte range of the current
 * key. Only read to build a path when a limit is hit. Shared by every scan: a scan runs to its
 * end synchronously, so no two overlap.
 */
const kinds: number[] = [];
const counts: number[] = [];
const keyStarts: number[] = [];
const keyEnds: number[] = [];

/** Set by `scanString`: where it failed, whether the string had an escape or a lone surrogate. */
let failedAt = 0;
let escaped = false;
let loneSurrogate = false;

/**
 * Checks that `bytes` are one JSON text (RFC 8259, as `JSON.parse` reads the UTF-8 decoding of
 * them, after an optional byte order mark) in one linear pass that builds nothing, and measures
 * it: nesting depth, nodes, and whether it may need hardening before validation. Stops at the
 * first problem in document order, a limit hit or a syntax error, so that whatever a later
 * `JSON.parse` builds is within `limits`. Invalid UTF-8 inside a string is accepted, as the
 * decoder turns it into U+FFFD; outside a string no byte over 0x7f is JSON.
 */
export function scanJson(bytes: Uint8Array, limits: JsonLimits = UNBOUNDED): JsonScan {
  const n = bytes.length;
  const start = jsonTextStart(bytes);
  let i = skipSpace(bytes, start, n);
  if (i === n) return { ok: false, problem: 'empty' };
  const { maxDepth, maxNodes, maxObjectKeys, maxArrayElements } = limits;
  let depth = 0;
  let deepest = 0;
  let nodes = 0;
  let elements = 0;
  let hardening = false;
  loneSurrogate = false;
  let state = VALUE;
  for (;;) {
    switch (state) {
      case VALUE: {
        if (i >= n) return syntax(start, n);
        const c = bytes[i];
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (depth === maxDepth) return { ok: false, problem: 'limit', limit: 'maxDepth', path: [] };
          kinds[depth] = c === OPEN_OBJECT ? OBJECT : ARRAY;
          counts[depth] = 0;
          if (++depth > deepest) deepest = depth;
          i = skipSpace(bytes, i + 1, n);
          if (i < n && bytes[i] === (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
            depth--;
            i++;
            state = AFTER_VALUE;
          } else {
            state = c === OPEN_OBJECT ? MEMBER : ELEMENT;
          }
          continue;
        }
        if (c === QUOTE) i = scanString(bytes, i, n);
        else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) i = scanNumber(bytes, i, n);
        else if (c === 0x74) i = scanWord(bytes, i, n, TRUE);
        else if (c === 0x66) i = scanWord(bytes, i, n, FALSE);
        else if (c === 0x6e) i = scanWord(bytes, i, n, NULL);
        else return syntax(start, i);
        if (i < 0) return syntax(start, failedAt);
        state = AFTER_VALUE;
        continue;
      }
      case MEMBER: {
        if (i >= n || bytes[i] !== QUOTE) return syntax(start, i);
        const top = depth - 1;
        const count = ++counts[top];
        if (count > maxObjectKeys) return limit('maxObjectKeys', bytes, top);
        if (++nodes > maxNodes) return limit('maxNodes', bytes, top);
        const keyStart = i;
        escaped = false;
        i = scanString(bytes, i, n);
        if (i < 0) return syntax(start, failedAt);
        keyStarts[top] = keyStart;
        keyEnds[top] = i;
        // JSON.parse makes these own properties; an escaped key may spell one of them.
        if (escaped || isPrototypeKey(bytes, keyStart, i)) hardening = true;
        i = skipSpace(bytes, i, n);
        if (i >= n || bytes[i] !== COLON) return syntax(start, i);
        i = skipSpace(bytes, i + 1, n);
        state = VALUE;
        continue;
      }
      case ELEMENT: {
        const top = depth - 1;
        counts[top]++;
        if (++elements > maxArrayElements) return limit('maxArrayElements', bytes, top);
        if (++nodes > maxNodes) return limit('maxNodes', bytes, top);
        state = VALUE;
        continue;
      }
      case AFTER_VALUE: {
        i = skipSpace(bytes, i, n);
        if (depth === 0) {
          if (i !== n) return syntax(start, i);
          return { ok: true, start, depth: deepest, nodes, needsHardening: hardening || loneSurrogate };
        }
        if (i >= n) return syntax(start, n);
        const c = bytes[i];
        const inObject = kinds[depth - 1] === OBJECT;
        if (c === COMMA) {
          i = skipSpace(bytes, i + 1, n);
          state = inObject ? MEMBER : ELEMENT;
        } else if (c === (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          depth--;
          i++;
        } else {
          return syntax(start, i);
        }
        continue;
      }
    }
  }
}

/** Where the JSON text of `bytes` starts: after a UTF-8 byte order mark, if there is one. */
export function jsonTextStart(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

function skipSpace(bytes: Uint8Array, i: number, n: number): number {
  while (i < n && SPACE[bytes[i]] === 1) i++;
  return i;
}

/** Scans the string whose opening quote is at `i`: the index after its closing quote, or -1. */
function scanString(bytes: Uint8Array, i: number, n: number): number {
  i++;
  for (;;) {
    while (i < n && PLAIN_IN_STRING[bytes[i]] === 1) i++;
    if (i >= n) return fail(n);
    const c = bytes[i];
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return fail(i);
    escaped = true;
    const e = i + 1 < n ? bytes[i + 1] : -1;
    if (e === 0x75) {
      const unit = hex4(bytes, i + 2, n);
      if (unit < 0) return -1;
      if (unit >= 0xd800 && unit <= 0xdfff) {
        // A high surrogate escape directly followed by a low one is one character; any other
        // surrogate escape decodes to a lone surrogate.
        if (unit <= 0xdbff && bytes[i + 6] === BACKSLASH && bytes[i + 7] === 0x75) {
          const low = hex4(bytes, i + 8, n);
          if (low >= 0xdc00 && low <= 0xdfff) {
            i += 12;
            continue;
          }
        }
        loneSurrogate = true;
      }
      i += 6;
    } else if (
      e === QUOTE ||
      e === BACKSLASH ||
      e === 0x2f ||
      e === 0x62 ||
      e === 0x66 ||
      e === 0x6e ||
      e === 0x72 ||
      e === 0x74
    ) {
      i += 2;
    } else {
      return fail(i + 1);
    }
  }
}

/** The code unit of the four hex digits at `i`, or -1 (with `failedAt` on the first bad byte). */
function hex4(bytes: Uint8Array, i: number, n: number): number {
  let unit = 0;
  for (let k = i; k < i + 4; k++) {
    if (k >= n) return fail(n);
    const c = bytes[k];
    const digit =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) return fail(k);
    unit = unit * 16 + digit;
  }
  return unit;
}

/** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `i`: the index after it, or -1. */
function scanNumber(bytes: Uint8Array, i: number, n: number): number {
  if (bytes[i] === 0x2d) i++;
  if (i >= n) return fail(n);
  if (bytes[i] === 0x30) i++;
  else if (isDigit(bytes[i])) i = skipDigits(bytes, i + 1, n);
  else return fail(i);
  if (i < n && bytes[i] === 0x2e) {
    i++;
    if (i >= n || !isDigit(bytes[i])) return fail(i);
    i = skipDigits(bytes, i + 1, n);
  }
  if (i < n && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    if (i < n && (bytes[i] === 0x2b || bytes[i] === 0x2d)) i++;
    if (i >= n || !isDigit(bytes[i])) return fail(i);
    i = skipDigits(bytes, i + 1, n);
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function skipDigits(bytes: Uint8Array, i: number, n: number): number {
  while (i < n && isDigit(bytes[i])) i++;
  return i;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function scanWord(bytes: Uint8Array, i: number, n: number, word: Uint8Array): number {
  for (let k = 0; k < word.length; k++) {
    if (i + k >= n || bytes[i + k] !== word[k]) return fail(i + k);
  }
  return i + word.length;
}

const PROTO_KEY = Buffer.from('"__proto__"');
const CONSTRUCTOR_KEY = Buffer.from('"constructor"');

/** Whether the unescaped key at `start..end` (quotes included) is `__proto__` or `constructor`. */
function isPrototypeKey(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  const key = length === PROTO_KEY.length ? PROTO_KEY : length === CONSTRUCTOR_KEY.length ? CONSTRUCTOR_KEY : undefined;
  if (key === undefined) return false;
  for (let k = 1; k < length - 1; k++) if (bytes[start + k] !== key[k]) return false;
  return true;
}

function fail(at: number): -1 {
  failedAt = at;
  return -1;
}

function syntax(start: number, at: number): JsonScan {
  return { ok: false, problem: 'syntax', start, at };
}

/** The limit problem at the container at depth `top + 1`, with the path that leads to it. */
function limit(which: JsonLimit, bytes: Uint8Array, top: number): JsonScan {
  const path: JsonPathSegment[] = [];
  for (let d = 0; d < top; d++) {
    path.push(
      kinds[d] === ARRAY
        ? counts[d] - 1
        : (JSON.parse(
            Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', keyStarts[d], keyEnds[d]),
          ) as string),
    );
  }
  return { ok: false, problem: 'limit', limit: which, path };
}
