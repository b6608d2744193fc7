import { expect } from 'chai';
import fc from 'fast-check';
import {
  compileJsonDecoder,
  MAX_EVENT_DEPTH,
  MAX_EVENT_NODES,
  type JsonEventShape,
} from '../../src/validation/boundedJson';
import { longestBoundedText, mayNeedHardening } from '../../src/validation/jsonBounds';
import { scanJson, type JsonLimits } from '../../src/validation/scanJson';
import { measured } from './measuredJson';

/** Limits small enough for generated texts to lie on both sides of the bound. */
const smallLimits = fc.record({
  maxDepth: fc.integer({ min: 0, max: 5 }),
  maxNodes: fc.integer({ min: 0, max: 12 }),
  maxObjectKeys: fc.integer({ min: 0, max: 4 }),
  maxArrayElements: fc.integer({ min: 0, max: 8 }),
});

/** The densest texts of each kind: nested brackets, flat arrays of digits, objects of empty keys. */
const dense = fc.oneof(
  fc.integer({ min: 1, max: 8 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1, max: 8 }).map((d) => '{"":'.repeat(d - 1) + '{}' + '}'.repeat(d - 1)),
  fc.integer({ min: 0, max: 12 }).map((k) => `[${Array.from({ length: k }, () => '0').join(',')}]`),
  fc.integer({ min: 0, max: 6 }).map((k) => `{${Array.from({ length: k }, () => '"":0').join(',')}}`),
  fc.integer({ min: 0, max: 6 }).map((k) => `[${Array.from({ length: k }, () => '[]').join(',')}]`),
);

/** Small texts with what hardening removes or refuses, and with its words where they are harmless. */
const hostile = fc
  .array(
    fc.tuple(
      fc.constantFrom('"__proto__"', '"constructor"', '"\\u005f_proto__"', '"k"', '"constructor "'),
      fc.constantFrom('1', '"constructor"', '"__proto__"', '"\\ud800"', '{"constructor":{}}', '[]', '"\\\\"'),
    ),
    { maxLength: 3 },
  )
  .map((members) => `{${members.map(([k, v]) => `${k}:${v}`).join(',')}}`);

function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (error) {
    const e = error as Error & { errors?: unknown };
    return { thrown: e.constructor.name, message: e.message, errors: e.errors };
  }
}

describe('jsonBounds', () => {
  it('a text no longer than longestBoundedText that JSON.parse accepts is within every limit', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          measured.map((m) => m.text),
          dense,
        ),
        smallLimits,
        (text, limits) => {
          const bytes = Buffer.from(text);
          if (bytes.length > longestBoundedText(limits)) return;
          expect(scanJson(bytes, limits), text).to.deep.include({ ok: true });
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('is tight: one byte more and a text can go over each limit', () => {
    const over = (limits: JsonLimits) => longestBoundedText(limits) + 1;
    const none = { maxDepth: Infinity, maxNodes: Infinity, maxObjectKeys: Infinity, maxArrayElements: Infinity };
    const depth = '['.repeat(4) + ']'.repeat(4);
    expect(depth.length).to.equal(over({ ...none, maxDepth: 3 }));
    expect(scanJson(Buffer.from(depth), { ...none, maxDepth: 3 }).ok).to.equal(false);
    const elements = '[0,0,0,0]';
    expect(elements.length).to.equal(over({ ...none, maxArrayElements: 3 }));
    expect(scanJson(Buffer.from(elements), { ...none, maxArrayElements: 3 }).ok).to.equal(false);
    expect(scanJson(Buffer.from(elements), { ...none, maxNodes: 3 }).ok).to.equal(false);
    // JSON.parse takes a repeated key; the scan counts each member.
    const keys = '{"":0,"":0}';
    expect(keys.length).to.equal(over({ ...none, maxObjectKeys: 1 }));
    expect(scanJson(Buffer.from(keys), { ...none, maxObjectKeys: 1 }).ok).to.equal(false);
  });

  it('mayNeedHardening holds whenever the scan finds something to harden', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          measured.map((m) => m.text),
          hostile,
        ),
        (text) => {
          const scan = scanJson(Buffer.from(text));
          if (scan.ok && scan.needsHardening) expect(mayNeedHardening(text), text).to.equal(true);
          if (!mayNeedHardening(text)) expect(scan).to.deep.include({ ok: true, needsHardening: false });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('decodes a short body as it decodes the same body scanned: the same value or the same error', () => {
    const validated = fc.option(
      // Small limits put the bound among the generated texts; the defaults put most of them under it.
      fc.record({
        maxEventNodes: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(100_000)),
        maxObjectKeys: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(1_000)),
        maxArrayElements: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constant(10_000)),
      }),
      { nil: undefined },
    );
    const shape = fc.constantFrom<JsonEventShape>('any', 'array', 'object');
    // Some cut short: a text that does not parse may still go over a limit before it ends.
    const body = fc
      .tuple(
        fc.oneof(
          measured.map((m) => m.text),
          dense,
          hostile,
        ),
        fc.boolean(),
        fc.option(fc.nat()),
      )
      .map(([text, bom, cut]) =>
        Buffer.concat([
          Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []),
          Buffer.from(cut === null ? text : text.slice(0, cut % (text.length + 1))),
        ]),
      );
    fc.assert(
      fc.property(body, shape, validated, (bytes, kind, limits) => {
        const decode = compileJsonDecoder(kind, limits);
        const decoded = outcome(() => decode(bytes));
        const parsed = outcome(() => JSON.parse(bytes.toString('utf8', bytes[0] === 0xef ? 3 : 0))) as {
          message?: string;
        };
        if (parsed.message !== undefined) {
          // Not JSON: the scan's verdict, a limit met before the error, or JSON.parse's message.
          const scan = scanJson(bytes, {
            maxDepth: MAX_EVENT_DEPTH,
            maxNodes: Math.min(MAX_EVENT_NODES, limits?.maxEventNodes ?? Infinity),
            maxObjectKeys: limits?.maxObjectKeys ?? Infinity,
            maxArrayElements: limits?.maxArrayElements ?? Infinity,
          });
          const { message } = decoded as { message: string };
          if (!scan.ok && scan.problem === 'limit') expect(message).to.not.match(/not valid JSON/);
          else if (!scan.ok && scan.problem === 'empty') expect(message).to.equal('Event body is empty; expected JSON');
          else expect(message).to.equal(`Event body is not valid JSON: ${parsed.message}`);
          return;
        }
        // Trailing whitespace changes nothing JSON holds and takes the body past any bound.
        const scanned = Buffer.concat([bytes, Buffer.alloc(600, 0x20)]);
        expect(decoded, bytes.toString()).to.deep.equal(outcome(() => decode(scanned)));
      }),
      { numRuns: 5000 },
    );
  });
});
