// The README's testing example, as written there but for the import paths.
import { expect } from 'chai';
import { createTestKernel } from '../../src/testing';
import { CreateOrderFunction } from '../../samples/order-service/CreateOrderFunction';
import { InMemoryOrderRepository, ORDER_REPOSITORY } from '../../samples/order-service/OrderRepository';

describe("the README's testing example", () => {
  it('accepts an order, and stores it when the instance stops', async () => {
    const orders = new InMemoryOrderRepository();
    const tk = createTestKernel(CreateOrderFunction, { overrides: [[ORDER_REPOSITORY, { useValue: orders }]] });
    const item = { sku: 'BOOK-1', quantity: 3, unitPrice: 19.99 };
    const res = await tk.invoke({ orderId: 'A-1', customerEmail: 'ada@example.com', items: [item] });
    expect(res.body).to.deep.equal({ orderId: 'A-1', itemCount: 3, total: 59.97, status: 'ACCEPTED' });
    expect(res.logs).to.include(`FC Invoke End RequestId: ${res.requestId}`);
    const bad = await tk.invoke({ orderId: 'A-2', customerEmail: 'ada@', items: [] });
    expect(bad.error?.errors?.map((e) => e.path)).to.deep.equal(['customerEmail', 'items']);
    await tk.preStop();
    expect([...orders.stored.keys()]).to.deep.equal(['A-1']);
    await tk.close();
  });
});
