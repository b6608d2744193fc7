import fc from 'fast-check';

/** A JSON text with what it holds, measured while it was built (independently of the scanner). */
export interface Measured {
  text: string;
  depth: number;
  nodes: number;
  elements: number;
  /** Most keys of one object. */
  widest: number;
  /**
   * Whether it holds a `__proto__`/`constructor` key, a lone surrogate in a string or key, or a
   * key with an escape (which might spell `__proto__`: the scanner does not decode keys).
   */
  hostile: boolean;
}

const whitespace = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ');
/** Strings as JSON text: JSON.stringify's escapes, other escapes, surrogates paired and lone. */
const stringText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom(
    '"\\u00e9\\/\\b\\f\\n\\r\\t\\"\\\\"',
    '"\\ud83d\\ude00"',
    '"\\uD83D\\uDE00"',
    '"\\ud800"',
    '"a\\udfffb"',
  ),
  fc.constantFrom('"\\ud800\\ud800"', '"\\ud83d\\u0041"', '"\\ude00\\ud83d"', '"é✓"', '"\u2028"'),
);
const keyText = fc.oneof(stringText, fc.constantFrom('"__proto__"', '"constructor"', '"prototype"', '"k"'));
const leaf = fc.oneof(
  stringText,
  fc.constantFrom('0', '-0', '1.5e-3', '1E+400', '-12.0', 'true', 'false', 'null'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
);

/** Whether `text` is a JSON string literal whose value holds a lone surrogate. */
function holdsLoneSurrogate(text: string): boolean {
  if (!text.startsWith('"')) return false;
  return !(JSON.parse(text) as { isWellFormed(): boolean }).isWellFormed();
}

/** JSON texts of every shape (escapes, surrogates, prototype keys, whitespace), each measured. */
export const measured: fc.Arbitrary<Measured> = fc.letrec<{ value: Measured; array: Measured; object: Measured }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf.map((text) => ({ text, depth: 0, nodes: 0, elements: 0, widest: 0, hostile: holdsLoneSurrogate(text) })),
      tie('array'),
      tie('object'),
    ),
    array: fc.tuple(fc.array(tie('value'), { maxLength: 5 }), whitespace).map(([items, ws]) => ({
      text: `[${ws}${items.map((m) => m.text).join(`${ws},${ws}`)}${ws}]`,
      depth: 1 + Math.max(0, ...items.map((m) => m.depth)),
      nodes: items.length + sum(items, 'nodes'),
      elements: items.length + sum(items, 'elements'),
      widest: Math.max(0, ...items.map((m) => m.widest)),
      hostile: items.some((m) => m.hostile),
    })),
    object: fc
      .tuple(
        fc.uniqueArray(fc.tuple(keyText, tie('value')), { maxLength: 5, selector: ([k]) => JSON.parse(k) as string }),
        whitespace,
      )
      .map(([entries, ws]) => {
        const values = entries.map(([, v]) => v);
        const keys = entries.map(([k]) => k);
        return {
          text: `{${ws}${entries.map(([k, v]) => `${k}${ws}:${ws}${v.text}`).join(`${ws},`)}${ws}}`,
          depth: 1 + Math.max(0, ...values.map((m) => m.depth)),
          nodes: entries.length + sum(values, 'nodes'),
          elements: sum(values, 'elements'),
          widest: Math.max(entries.length, ...values.map((m) => m.widest)),
          hostile:
            values.some((m) => m.hostile) ||
            keys.some((k) => ['__proto__', 'constructor'].includes(JSON.parse(k) as string) || k.includes('\\')),
        };
      }),
  }),
).value;

function sum(items: Measured[], field: 'nodes' | 'elements'): number {
  return items.reduce((total, m) => total + m[field], 0);
}
