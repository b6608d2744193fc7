import { expect } from 'chai';
import { createTestKernel, type TestKernel } from 'fc-kernel/testing';
import type { Quote } from '../src/quote/Order';
import { Pricing } from '../src/quote/Pricing';
import { QuoteFunction } from '../src/quote/QuoteFunction';

const order = {
  orderId: 'A-1',
  customerEmail: 'ada@example.com',
  lines: [
    { sku: 'BOOK-1', quantity: 2, unitPrice: 19.99 },
    { sku: 'PEN-2', quantity: 3, unitPrice: 0.1 },
  ],
};

describe('my-function', () => {
  let tk: TestKernel;
  afterEach(() => tk.close());

  it('quotes a valid order, after initializing once', async () => {
    tk = createTestKernel(QuoteFunction);
    const init = await tk.initialize();
    expect(init.ok).to.equal(true);
    const res = await tk.invoke<Quote>(order);
    expect(res.ok, JSON.stringify(res.error)).to.equal(true);
    expect(res.body).to.deep.equal({ orderId: 'A-1', itemCount: 5, total: 40.28 });
    expect(res.logs).to.include(`FC Invoke End RequestId: ${res.requestId}`);
  });

  it('refuses an invalid order with every broken rule, before the handler runs', async () => {
    tk = createTestKernel(QuoteFunction);
    const res = await tk.invoke({
      orderId: 'A-2',
      customerEmail: 'ada@',
      lines: [{ sku: 'BOOK-1', quantity: 0, unitPrice: 19.99 }],
      coupon: 'FREE',
    });
    expect(res.ok).to.equal(false);
    expect(res.xFcStatus).to.equal(404);
    expect(res.error?.errorType).to.equal('ValidationError');
    expect(res.error?.errors?.map((e) => e.path)).to.have.members(['coupon', 'customerEmail', 'lines.0.quantity']);
  });

  it('prices with the Pricing a test provides', async () => {
    class FlatPricing extends Pricing {
      override total(): number {
        return 9.99;
      }
    }
    tk = createTestKernel(QuoteFunction, { overrides: [[Pricing, { useValue: new FlatPricing() }]] });
    const res = await tk.invoke<Quote>(order);
    expect(res.body).to.deep.equal({ orderId: 'A-1', itemCount: 5, total: 9.99 });
  });
});
