import { expect } from 'chai';
import type { ValidationArguments } from 'class-validator';
import fc from 'fast-check';
import { replaceMessageTokens } from '../../../src/validation/compiled/messages';

// class-validator's own token replacement, read here only to compare against.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationUtils } = require('class-validator/cjs/validation/ValidationUtils') as {
  ValidationUtils: { replaceMessageSpecialTokens(message: unknown, args: ValidationArguments): string };
};

const tokens = fc.constantFrom(
  '$property',
  '$value',
  '$target',
  '$constraint1',
  '$constraint2',
  '$constraint10',
  '$&',
  '$$',
  "$'",
  ' ',
);
const text = fc.array(fc.oneof(tokens, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join(''));
const constraint = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
  fc.constant(Symbol('sym')),
  fc.constant(/re+/g),
  fc.constant(new Date(0)),
  fc.constant({
    toString() {
      throw new RangeError('no text');
    },
  }),
);
const args = fc.record({
  targetName: fc.oneof(fc.string({ maxLength: 5 }), fc.constant(undefined)),
  property: fc.oneof(text, fc.constantFrom('name', '0', '')),
  object: fc.constant({}),
  value: fc.oneof(
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant({ a: 1 }),
    fc.constant([1]),
  ),
  constraints: fc.oneof(fc.array(constraint, { maxLength: 11 }), fc.constant(undefined), fc.constant('not an array')),
}) as fc.Arbitrary<ValidationArguments>;

/** The text a replacement answers, or what it threw. */
function outcome(replace: () => string): string {
  try {
    return `text ${replace()}`;
  } catch (error) {
    return `threw ${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

describe('compiled message tokens', () => {
  it("replace $constraintN, $value, $property and $target exactly as class-validator's ValidationUtils", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.constant(''), fc.constant(undefined)), args, (message, a) => {
        expect(outcome(() => replaceMessageTokens(message as string, a))).to.equal(
          outcome(() => ValidationUtils.replaceMessageSpecialTokens(message, a)),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('fail as class-validator does on a message function that answers no string', () => {
    const a = { targetName: 'T', property: 'p', object: {}, value: 1, constraints: [1] } as ValidationArguments;
    for (const answer of [5, {}, null, '']) {
      const message = () => answer as string;
      expect(outcome(() => replaceMessageTokens(message, a))).to.equal(
        outcome(() => ValidationUtils.replaceMessageSpecialTokens(message, a)),
      );
    }
  });

  it('call a message function with the arguments, then replace the tokens it answers', () => {
    fc.assert(
      fc.property(text, args, (answer, a) => {
        const message = (given: ValidationArguments) => `${answer}|${given.property}`;
        expect(outcome(() => replaceMessageTokens(message, a))).to.equal(
          outcome(() => ValidationUtils.replaceMessageSpecialTokens(message, a)),
        );
      }),
      { numRuns: 500 },
    );
  });
});
