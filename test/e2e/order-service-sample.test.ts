import { expect } from 'chai';
import { expectFcError, expectOk, freePort, invoke, killChildren, lifecycle, startCompiled } from './helpers';

describe('e2e: the order-service sample as a new user runs it', () => {
  afterEach(killChildren);

  it('serves orders, rejects an invalid one, flushes on SIGTERM and exits 0', async () => {
    const port = await freePort();
    const child = startCompiled('samples/order-service/main.js', { FC_CUSTOM_LISTEN_PORT: String(port) });
    // FC cannot reach a server bound to 127.0.0.1: the sample must listen on every interface.
    expect(await child.waitForLine(/^listening on /)).to.equal(`listening on 0.0.0.0:${port}`);

    const headers = { 'x-fc-function-name': 'create-order' };
    expectOk(await lifecycle(port, '/initialize', headers));
    await child.waitForLine(/\[INFO\] order repository ready$/);

    const accepted = await invoke(
      port,
      {
        orderId: 'ord-1001',
        customerEmail: 'buyer@example.com',
        items: [
          { sku: 'MUG-01', quantity: 3, unitPrice: 19.99 },
          { sku: 'STICKER', quantity: 1, unitPrice: 0.1 },
        ],
      },
      headers,
    );
    expect(expectOk(accepted).json()).to.deep.equal({
      orderId: 'ord-1001',
      itemCount: 4,
      total: 60.07,
      status: 'ACCEPTED',
    });

    // Summed naively, 7 × 1.15 + 1 × 0.1 is 8.149999999999999.
    const rounded = await invoke(
      port,
      {
        orderId: 'ord-1002',
        customerEmail: 'buyer@example.com',
        items: [
          { sku: 'PEN', quantity: 7, unitPrice: 1.15 },
          { sku: 'STICKER', quantity: 1, unitPrice: 0.1 },
        ],
      },
      headers,
    );
    expect(expectOk(rounded).json()).to.deep.equal({
      orderId: 'ord-1002',
      itemCount: 8,
      total: 8.15,
      status: 'ACCEPTED',
    });

    const rejected = await invoke(
      port,
      { orderId: '', customerEmail: 'nobody', items: [{ sku: 'MUG-01', quantity: 0, unitPrice: 19.99 }] },
      headers,
    );
    const error = expectFcError(rejected, 'ValidationError');
    expect(error.errors!.map((e) => e.path)).to.deep.equal(['orderId', 'customerEmail', 'items.0.quantity']);

    child.signal('SIGTERM');
    const { code, signal } = await child.exited;
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    expect(child.stdoutLines.some((l) => l.endsWith('[INFO] flushed 2 order(s)'))).to.equal(true);
  });
});
