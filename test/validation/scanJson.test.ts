import { expect } from 'chai';
import fc from 'fast-check';
import { scanJson, type JsonLimits } from '../../src/validation/scanJson';
import { jsonValueText } from '../reliability/arbitraries';

/** A JSON text with what it holds, measured while it was built (independently of the scanner). */
interface Measured {
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

const measured: fc.Arbitrary<Measured> = fc.letrec<{ value: Measured; array: Measured; object: Measured }>((tie) => ({
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
})).value;

function sum(items: Measured[], field: 'nodes' | 'elements'): number {
  return items.reduce((total, m) => total + m[field], 0);
}

/** Whether JSON.parse takes the bytes as the decoder hands them to it (after a byte order mark). */
function parses(bytes: Buffer): boolean {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    JSON.parse(bytes.toString('utf8', start));
    return true;
  } catch {
    return false;
  }
}

/** Characters JSON is made of, and a few it is not, for texts that are almost JSON. */
const JSONISH = [...'{}[]":,\\/ \t\n\r0123456789-+.eEtrufalsnbxU', 'u', 'd', 'D', 'a', 'é', '\u0000', '\u007f'];
const almostJson = fc.oneof(
  fc.string({ unit: fc.constantFrom(...JSONISH), maxLength: 30 }),
  fc
    .tuple(jsonValueText, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...JSONISH), fc.boolean()), { maxLength: 3 }))
    .map(([text, edits]) => {
      let out = text;
      for (const [at, c, insert] of edits) {
        const i = at % (out.length + 1);
        out = out.slice(0, i) + c + out.slice(insert ? i : i + 1);
      }
      return out;
    }),
);

const UNBOUNDED: JsonLimits = {
  maxDepth: Infinity,
  maxNodes: Infinity,
  maxObjectKeys: Infinity,
  maxArrayElements: Infinity,
};

describe('scanJson', () => {
  it('measures the depth and nodes of any JSON text exactly, and says when it needs hardening', () => {
    fc.assert(
      fc.property(measured, fc.boolean(), (m, bom) => {
        const bytes = Buffer.from((bom ? '\uFEFF' : '') + m.text);
        const scan = scanJson(bytes);
        expect(scan, m.text).to.deep.equal({
          ok: true,
          start: bom ? 3 : 0,
          depth: m.depth,
          nodes: m.nodes,
          needsHardening: m.hostile,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly what JSON.parse accepts: almost-JSON text', () => {
    fc.assert(
      fc.property(almostJson, (text) => {
        const bytes = Buffer.from(text);
        expect(scanJson(bytes).ok, JSON.stringify(text)).to.equal(parses(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts exactly what JSON.parse accepts: random bytes, invalid UTF-8 included', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.tuple(jsonValueText, fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.nat()).map(([text, junk, at]) => {
        const b = Buffer.from(text);
        const i = at % (b.length + 1);
        return Buffer.concat([b.subarray(0, i), junk, b.subarray(i)]);
      }),
    );
    fc.assert(
      fc.property(bytes, (raw) => {
        const b = Buffer.from(raw);
        expect(scanJson(b).ok, b.toString('hex')).to.equal(parses(b));
      }),
      { numRuns: 5000 },
    );
  });

  it('stops at a limit exactly when the text goes past it, with the path to where it did', () => {
    const limits = fc.record({
      maxDepth: fc.integer({ min: 0, max: 4 }),
      maxNodes: fc.integer({ min: 0, max: 12 }),
      maxObjectKeys: fc.integer({ min: 0, max: 4 }),
      maxArrayElements: fc.integer({ min: 0, max: 8 }),
    });
    fc.assert(
      fc.property(measured, limits, (m, limit) => {
        const scan = scanJson(Buffer.from(m.text), limit);
        const within =
          m.depth <= limit.maxDepth &&
          m.nodes <= limit.maxNodes &&
          m.widest <= limit.maxObjectKeys &&
          m.elements <= limit.maxArrayElements;
        expect(scan.ok, m.text).to.equal(within);
        if (scan.ok) return;
        expect(scan.problem).to.equal('limit');
        if (scan.problem !== 'limit') return;
        // The path leads to an array or object of the parsed value.
        let node: unknown = JSON.parse(m.text);
        for (const segment of scan.path) node = (node as Record<string | number, unknown>)[segment];
        if (scan.limit === 'maxArrayElements') expect(node).to.be.an('array');
        else if (scan.limit === 'maxObjectKeys')
          expect(Object.keys(node as object).length).to.be.above(limit.maxObjectKeys);
        else if (scan.limit === 'maxDepth') expect(scan.path).to.deep.equal([]);
        else expect(node).to.be.an(Array.isArray(node) ? 'array' : 'object');
      }),
      { numRuns: 2000 },
    );
  });

  it('reports where the text stops being JSON', () => {
    expect(scanJson(Buffer.from('{"a":1,}'))).to.deep.include({ ok: false, problem: 'syntax', at: 7 });
    expect(scanJson(Buffer.from('[1, 2'))).to.deep.include({ problem: 'syntax', at: 5 });
    expect(scanJson(Buffer.from('"\\ux"'))).to.deep.include({ problem: 'syntax', at: 3 });
    expect(scanJson(Buffer.from('01'))).to.deep.include({ problem: 'syntax', at: 1 });
    expect(scanJson(Buffer.from(' \n\t'))).to.deep.equal({ ok: false, problem: 'empty' });
    expect(scanJson(Buffer.from([0xef, 0xbb, 0xbf]))).to.deep.equal({ ok: false, problem: 'empty' });
  });

  it('names the array or object that went over by its keys and indexes, escapes decoded', () => {
    const text = '{"a":[0,{"b\\u00e9":[1,2,3]}]}';
    expect(scanJson(Buffer.from(text), { ...UNBOUNDED, maxArrayElements: 4 })).to.deep.equal({
      ok: false,
      problem: 'limit',
      limit: 'maxArrayElements',
      path: ['a', 1, 'bé'],
    });
    expect(scanJson(Buffer.from(text), { ...UNBOUNDED, maxNodes: 3 })).to.deep.include({ path: ['a', 1] });
    expect(scanJson(Buffer.from(text), { ...UNBOUNDED, maxDepth: 2 })).to.deep.include({ limit: 'maxDepth' });
  });

  it('stops at the limit without reading further: 15 million levels of [ are refused at level 257', () => {
    const deep = Buffer.alloc(15_000_000, '[');
    expect(scanJson(deep, { ...UNBOUNDED, maxDepth: 256 })).to.deep.equal({
      ok: false,
      problem: 'limit',
      limit: 'maxDepth',
      path: [],
    });
  });
});
