import { expect } from 'chai';
import { ValidationError as ClassValidatorError } from 'class-validator';
import { flattenValidationErrors } from '../../src/validation/flattenErrors';

function node(property: string, constraints?: Record<string, string>, children: ClassValidatorError[] = []) {
  const error = new ClassValidatorError();
  error.property = property;
  error.constraints = constraints;
  error.children = children;
  error.value = 'secret value';
  error.target = { secret: 'target' };
  return error;
}

describe('flattenValidationErrors', () => {
  it('turns the tree into dotted paths, in document order, with only path and constraints', () => {
    const tree = [
      node('orderId', { isString: 'orderId must be a string' }),
      node('items', undefined, [
        node('0', undefined, [node('quantity', { min: 'quantity must not be less than 1', isInt: 'x' })]),
        node('1', { nested: 'bad item' }, [node('sku', { isString: 'sku must be a string' })]),
      ]),
    ];
    expect(flattenValidationErrors(tree)).to.deep.equal([
      { path: 'orderId', constraints: { isString: 'orderId must be a string' } },
      { path: 'items.0.quantity', constraints: { min: 'quantity must not be less than 1', isInt: 'x' } },
      { path: 'items.1', constraints: { nested: 'bad item' } },
      { path: 'items.1.sku', constraints: { isString: 'sku must be a string' } },
    ]);
  });

  it('gives the root path to an error without a property', () => {
    const root = node('', { unknownValue: 'an unknown value was passed to the validate function' });
    const undefinedProperty = node('x', { c: 'm' });
    (undefinedProperty as { property: unknown }).property = undefined;
    expect(flattenValidationErrors([root, undefinedProperty]).map((e) => e.path)).to.deep.equal(['', '']);
  });

  it('copies constraints, so changing the result leaves class-validator’s errors alone', () => {
    const error = node('a', { c: 'm' });
    flattenValidationErrors([error])[0]!.constraints.c = 'changed';
    expect(error.constraints).to.deep.equal({ c: 'm' });
  });

  it('handles a tree deeper than the call stack would allow', () => {
    let deepest = node('leaf', { c: 'deep' });
    for (let i = 0; i < 20_000; i++) deepest = node('n', undefined, [deepest]);
    const flat = flattenValidationErrors([deepest]);
    expect(flat).to.have.length(1);
    expect(flat[0]!.path.split('.')).to.have.length(20_001);
    expect(flat[0]!.path.endsWith('n.leaf')).to.equal(true);
  });
});
