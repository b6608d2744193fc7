import { expect } from 'chai';
import { format, inspect } from 'node:util';
import { formatArguments } from '../../src/logging/formatArguments';

/** Values whose every inspection throws. */
function unprintables(): [string, unknown][] {
  const badStack = new Error('stack refused');
  Object.defineProperty(badStack, 'stack', {
    get() {
      throw new Error('stack getter');
    },
  });
  const trap = () => {
    throw new Error('trap');
  };
  return [
    ['a throwing util.inspect.custom', { [inspect.custom]: trap }],
    ['a throwing stack getter', badStack],
    ['a Proxy whose every trap throws', new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap })],
    [
      'an object whose toString and Symbol.toStringTag throw',
      {
        toString: trap,
        get [Symbol.toStringTag]() {
          return trap();
        },
      },
    ],
  ];
}

describe('formatArguments', () => {
  it('formats as console.log does', () => {
    const args = ['%s has %d items', 'cart', 3, { total: 9.5 }, [1, 2]];
    expect(formatArguments(args)).to.equal(format(...args));
  });

  it('does not cut strings at util.inspect’s 10,000 characters', () => {
    const long = 'x'.repeat(20_000) + 'END';
    expect(formatArguments([{ long }])).to.contain('END');
    expect(formatArguments(['%o', [long]])).to.contain('END');
    expect(format({ long })).to.not.contain('END');
  });

  for (const [label, value] of unprintables()) {
    it(`never throws for ${label}, wherever it is`, () => {
      for (const args of [
        [value],
        ['before', value, 'after'],
        ['%s and %o', value, value],
        [[value]],
        [{ inner: value }],
      ]) {
        let text = '';
        expect(() => (text = formatArguments(args))).to.not.throw();
        expect(text).to.be.a('string');
      }
      expect(formatArguments(['before', value, 'after'])).to.match(/^before .+ after$/);
    });
  }

  it('shows what it can of a value that cannot be inspected', () => {
    const error = unprintables()[1]![1];
    expect(formatArguments(['failed:', error])).to.equal('failed: [unprintable object: stack refused]');
  });
});
