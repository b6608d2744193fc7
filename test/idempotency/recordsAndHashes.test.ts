import { expect } from 'chai';
import fc from 'fast-check';
import { eventHash } from '../../src/idempotency/eventHash';
import type { IdempotencyRecord } from '../../src/idempotency';
import { decodeRecord, encodeRecord } from '../../src/idempotency/recordCodec';

const record: fc.Arbitrary<IdempotencyRecord> = fc.oneof(
  fc.record({
    status: fc.constant('in-progress' as const),
    eventHash: fc.string(),
    requestId: fc.string(),
    owner: fc.uuid(),
    expiresAt: fc.integer({ min: 0 }),
  }),
  fc.record(
    {
      status: fc.constant('completed' as const),
      eventHash: fc.string(),
      requestId: fc.string(),
      owner: fc.uuid(),
      expiresAt: fc.integer({ min: 0 }),
      body: fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
      contentType: fc.string(),
    },
    { requiredKeys: ['status', 'eventHash', 'requestId', 'owner', 'expiresAt', 'body'] },
  ),
);

/** `value` with the keys of every object in another order. */
function shuffledKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffledKeys(item, seed));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const rotated = keys.slice(seed % Math.max(keys.length, 1)).concat(keys.slice(0, seed % Math.max(keys.length, 1)));
  return Object.fromEntries(
    rotated.reverse().map((key) => [key, shuffledKeys((value as Record<string, unknown>)[key], seed)]),
  );
}

describe('idempotency records and event hashes', () => {
  it('a record comes back from its stored bytes as it was, any body bytes and any strings included', () => {
    fc.assert(
      fc.property(record, (original) => {
        const decoded = decodeRecord(encodeRecord(original));
        expect(decoded).to.deep.equal(original);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses bytes that are not a record', () => {
    expect(() => decodeRecord(Buffer.from('no newline'))).to.throw(TypeError, /no header line/);
    expect(() => decodeRecord(Buffer.from('{"s":"done"}\n'))).to.throw(TypeError, /wrong fields/);
    expect(() => decodeRecord(Buffer.from('null\n'))).to.throw(TypeError, /wrong fields/);
  });

  it('hashes an event the same whatever the order of its keys, and another event differently', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (event, seed) => {
        expect(eventHash(shuffledKeys(event, seed))).to.equal(eventHash(event));
      }),
      { numRuns: 300 },
    );
    expect(eventHash({ a: 1, b: [1, 2] })).to.not.equal(eventHash({ a: 1, b: [2, 1] }));
    expect(eventHash({ a: '1' })).to.not.equal(eventHash({ a: 1 }));
    expect(eventHash(undefined)).to.not.equal(eventHash({}));
    expect(eventHash(Buffer.from('raw'))).to.equal(eventHash('raw'));
  });
});
