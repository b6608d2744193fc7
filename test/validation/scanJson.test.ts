import { expect } from 'chai';
import fc from 'fast-check';
import { scanJson, type JsonLimits } from '../../src/validation/scanJson';
import { jsonValueText } from '../reliability/arbitraries';
import { measured } from './measuredJson';

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
