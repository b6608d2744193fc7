import 'reflect-metadata';
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { classValidatorEventValidator } from '../../../src/validation/ClassValidatorEventValidator';
import { compiledEventValidator } from '../../../src/validation/compiled';
import { resolveValidationOptions } from '../../../src/validation/options';
import { CreateOrder } from '../../../samples/order-service/CreateOrder';
import { outcomeOf, type Outcome } from './differential';

const validOrder = {
  orderId: 'o-1',
  customerEmail: 'buyer@example.com',
  items: [
    { sku: 'A', quantity: 2, unitPrice: 1.5 },
    { sku: 'B', quantity: 1, unitPrice: 3 },
  ],
  couponCode: 'SPRING',
};
const invalidOrder = {
  orderId: '',
  customerEmail: 'not-an-email',
  items: [{ sku: 'A', quantity: 0, unitPrice: -1 }, { sku: 7 }, 'x', [], null],
  couponCode: 3,
  extra: true,
};

/** The order sample compiled in a Node.js that refuses to generate code: its decision and outcomes. */
function compiledWithoutCodeGeneration(): { describe: unknown; outcomes: Outcome[] } {
  const dist = path.resolve(__dirname, '../../..');
  const script = `
    require('reflect-metadata');
    const { compiledEventValidator } = require(${JSON.stringify(path.join(dist, 'src/validation/compiled'))});
    const { resolveValidationOptions } = require(${JSON.stringify(path.join(dist, 'src/validation/options'))});
    const { CreateOrder } = require(${JSON.stringify(path.join(dist, 'samples/order-service/CreateOrder'))});
    const { outcomeOf } = require(${JSON.stringify(path.join(dist, 'test/validation/compiled/differential'))});
    const validate = compiledEventValidator.compile(CreateOrder, resolveValidationOptions());
    const events = ${JSON.stringify([validOrder, invalidOrder])};
    Promise.all(events.map((event) => outcomeOf(validate, event))).then((outcomes) =>
      process.stdout.write(JSON.stringify({ describe: validate.describe(), outcomes })),
    );
  `;
  const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], {
    cwd: path.resolve(dist, '..'),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { describe: unknown; outcomes: Outcome[] };
}

describe('generated validation', () => {
  it('writes every class of the order sample out: describe() names none interpreted', () => {
    const decision = compiledEventValidator.compile(CreateOrder, resolveValidationOptions()).describe();
    expect(decision.reason).to.equal('every class of CreateOrder is planned');
  });

  it('runs interpreted where code cannot be generated, says so, and answers as class-validator', async () => {
    const { describe: decision, outcomes } = compiledWithoutCodeGeneration();
    expect(decision).to.have.property('engine', 'compiled');
    expect((decision as { reason: string }).reason).to.match(
      /^every class of CreateOrder is planned; checks interpreted for OrderItem \(code cannot be generated here: .+\), CreateOrder \(code cannot be generated here: .+\)$/,
    );
    const reference = classValidatorEventValidator.compile(CreateOrder, resolveValidationOptions());
    const expected = await Promise.all(
      [validOrder, invalidOrder].map((event) => outcomeOf(reference, structuredClone(event))),
    );
    // Through JSON, as the child's outcomes came: the instance's fields, the same errors in the same order.
    expect(outcomes).to.deep.equal(JSON.parse(JSON.stringify(expected)));
    expect(outcomes[1].kind).to.equal('invalid');
  });
});
