import { expect } from 'chai';
import * as classValidator from 'class-validator';
import { CLASS_VALIDATOR_CONSTRAINTS } from '../../src/validation/synchronousConstraints';

describe("class-validator's own constraints, listed by name", () => {
  it('are exactly the constraint names the installed class-validator exports', () => {
    const exported = new Set(Object.values(classValidator).filter((value) => typeof value === 'string'));
    expect([...CLASS_VALIDATOR_CONSTRAINTS].sort()).to.deep.equal([...exported].sort());
  });
});
