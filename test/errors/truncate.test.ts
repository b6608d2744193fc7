import { expect } from 'chai';
import fc from 'fast-check';
import { truncateUtf8 } from '../../src/errors/truncate';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The parts of a cut text: start, bytes cut, end. */
function partsOf(cut: string): { head: string; count: number; tail: string } {
  const match = /^([\s\S]*)…\((\d+) bytes cut\)…([\s\S]*)$/.exec(cut);
  expect(match, cut.slice(0, 80)).to.not.equal(null);
  return { head: match![1]!, count: Number(match![2]), tail: match![3]! };
}

describe('truncateUtf8', () => {
  it('leaves text within the limit as it is, counting bytes, not characters', () => {
    expect(truncateUtf8('short', 64)).to.equal('short');
    const emoji = '\u{1F600}'.repeat(16); // 64 bytes, 32 UTF-16 units
    expect(truncateUtf8(emoji, 64)).to.equal(emoji);
    expect(truncateUtf8(emoji, 63)).to.not.equal(emoji);
  });

  it('keeps the start and the end, marks how many bytes it cut, and stays within the limit', () => {
    const text = `start-${'x'.repeat(10_000)}-end`;
    const cut = truncateUtf8(text, 1_000);
    expect(bytes(cut)).to.be.at.most(1_000);
    const { head, count, tail } = partsOf(cut);
    expect(text.startsWith(head) && head.startsWith('start-')).to.equal(true);
    expect(text.endsWith(tail) && tail.endsWith('-end')).to.equal(true);
    expect(bytes(head) + count + bytes(tail)).to.equal(bytes(text));
    expect(bytes(tail)).to.be.below(bytes(head));
  });

  it('cuts between characters, never inside one', () => {
    for (const unit of ['é', '€', '\u{1F600}']) {
      const text = unit.repeat(5_000);
      const cut = truncateUtf8(text, 777);
      expect(bytes(cut)).to.be.at.most(777);
      // Well-formed: nothing became a replacement character.
      expect(Buffer.from(cut, 'utf8').toString('utf8')).to.equal(cut);
      const { head, tail } = partsOf(cut);
      expect(head.replaceAll(unit, '')).to.equal('');
      expect(tail.replaceAll(unit, '')).to.equal('');
    }
  });

  it('takes a lone surrogate as the 3 bytes it is written as', () => {
    const text = 'a\ud800\udc00\udc00b'.repeat(1_000);
    const cut = truncateUtf8(text, 500);
    expect(bytes(cut)).to.be.at.most(500);
    const { head, count, tail } = partsOf(cut);
    expect(text.startsWith(head) && text.endsWith(tail)).to.equal(true);
    expect(bytes(head) + count + bytes(tail)).to.equal(bytes(text));
  });

  it('holds for any text and limit: within the limit, a start and an end of the text, the rest counted', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), fc.integer({ min: 64, max: 1_200 }), (text, max) => {
        const cut = truncateUtf8(text, max);
        expect(bytes(cut)).to.be.at.most(max);
        if (bytes(text) <= max) {
          expect(cut).to.equal(text);
          return;
        }
        const { head, count, tail } = partsOf(cut);
        expect(text.startsWith(head)).to.equal(true);
        expect(text.endsWith(tail)).to.equal(true);
        expect(head.length + tail.length).to.be.at.most(text.length);
        expect(bytes(head) + count + bytes(tail)).to.equal(bytes(text));
      }),
      { numRuns: 100 },
    );
  });
});
