/**
 * Finds many secrets in a text in one pass whose cost does not grow with their number (a native
 * search per secret costs a start on every line, and a comparison at every character that begins
 * one: with a credential set and its encoded forms, thirty or more). Every secret of at least 16
 * characters contains a 4-character group that starts at a multiple of 13 in the text, so only
 * those groups are looked up, in an index of every group of every secret, and a hit is confirmed
 * by comparing the whole secret. Shorter secrets, or ones beyond ASCII, are searched for one by one.
 */

/** Returns `text` with every occurrence of a secret replaced by `replacement` (overlapping ones merged). */
export type SecretReplacer = (text: string) => string;

const GRAM = 4;
/** The shortest secret found through the index (credentials are longer, and so are their forms). */
const INDEXED_LENGTH = 16;
/** Every occurrence of an indexed secret holds a group starting at a multiple of this. */
const STRIDE = INDEXED_LENGTH - GRAM + 1;
const FILTER_BITS = 16;

interface Occurrence {
  readonly secret: string;
  /** Where the group starts in the secret. */
  readonly offset: number;
}

/** The group starting at `i` as a number (7 bits a character), or -1 if one is beyond ASCII. */
function groupAt(text: string, i: number): number {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  const c = text.charCodeAt(i + 2);
  const d = text.charCodeAt(i + 3);
  if ((a | b | c | d) > 127) return -1;
  return a | (b << 7) | (c << 14) | (d << 21);
}

/** A slot of the filter, which rules out most groups without a Map lookup. */
const slotOf = (group: number) => Math.imul(group, 0x9e3779b1) >>> (32 - FILTER_BITS);

/** A replacer for `secrets` (each at least one character long). */
export function createSecretReplacer(secrets: readonly string[], replacement: string): SecretReplacer {
  const index = new Map<number, Occurrence[]>();
  const filter = new Uint8Array(1 << FILTER_BITS);
  const searched: string[] = [];
  for (const secret of secrets) {
    if (secret.length < INDEXED_LENGTH || !/^[\x00-\x7f]*$/.test(secret)) {
      searched.push(secret);
      continue;
    }
    for (let offset = 0; offset + GRAM <= secret.length; offset++) {
      const group = groupAt(secret, offset);
      const list = index.get(group);
      if (list) list.push({ secret, offset });
      else index.set(group, [{ secret, offset }]);
      filter[slotOf(group)] = 1;
    }
  }

  return (text) => {
    const spans = search(text, searched, scan(text));
    return spans === undefined ? text : replaceSpans(text, spans, replacement);
  };

  function scan(text: string): number[] | undefined {
    let spans: number[] | undefined;
    for (let i = 0; i + GRAM <= text.length; i += STRIDE) {
      const group = groupAt(text, i);
      if (group < 0 || filter[slotOf(group)] === 0) continue;
      const list = index.get(group);
      if (list === undefined) continue;
      for (const { secret, offset } of list) {
        const start = i - offset;
        if (start >= 0 && text.startsWith(secret, start)) (spans ??= []).push(start, start + secret.length);
      }
    }
    return spans;
  }
}

/** Adds the spans of every occurrence of each secret, searched for one by one. */
function search(text: string, secrets: readonly string[], spans: number[] | undefined): number[] | undefined {
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      (spans ??= []).push(at, at + secret.length);
    }
  }
  return spans;
}

/** Replaces the spans (`start, end` pairs, in any order), merging those that overlap. */
function replaceSpans(text: string, spans: number[], replacement: string): string {
  const order = Array.from({ length: spans.length / 2 }, (_, n) => n).sort((x, y) => spans[2 * x] - spans[2 * y]);
  let out = '';
  let copied = 0;
  let start = -1;
  let end = -1;
  for (const n of order) {
    const [from, to] = [spans[2 * n], spans[2 * n + 1]];
    if (from < end) {
      end = Math.max(end, to);
      continue;
    }
    if (start >= 0) out += text.slice(copied, start) + replacement;
    if (start >= 0) copied = end;
    start = from;
    end = to;
  }
  return out + text.slice(copied, start) + replacement + text.slice(end);
}
