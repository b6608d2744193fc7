import { expect } from 'chai';
import { startRedisServer } from '../helpers/redisServer';
import { expectFcError, expectOk, freePort, invoke, killChildren, lifecycle, startCompiled } from './helpers';

const ORDER = {
  orderId: 'ord-1001',
  customerEmail: 'buyer@example.com',
  items: [
    { sku: 'MUG-01', quantity: 3, unitPrice: 19.99 },
    { sku: 'STICKER', quantity: 1, unitPrice: 0.1 },
  ],
};

describe('e2e: the order-service sample as a new user runs it', () => {
  afterEach(killChildren);

  it('serves orders, answers one delivered again without storing it twice, rejects an invalid one, flushes on SIGTERM and exits 0', async () => {
    const port = await freePort();
    const child = startCompiled('samples/order-service/main.js', { FC_CUSTOM_LISTEN_PORT: String(port) });
    // FC cannot reach a server bound to 127.0.0.1: the sample must listen on every interface.
    expect(await child.waitForLine(/^listening on /)).to.equal(`listening on 0.0.0.0:${port}`);

    const headers = { 'x-fc-function-name': 'create-order' };
    expectOk(await lifecycle(port, '/initialize', headers));
    await child.waitForLine(/\[INFO\] order repository ready$/);

    const accepted = await invoke(port, ORDER, headers);
    expect(expectOk(accepted).json()).to.deep.equal({
      orderId: 'ord-1001',
      itemCount: 4,
      total: 60.07,
      status: 'ACCEPTED',
    });
    // The caller sends it again: the same answer, and the order is stored once (flushed 2 below).
    const again = await invoke(port, ORDER, headers);
    expect(expectOk(again).body.equals(accepted.body)).to.equal(true);
    await child.waitForLine(/\[INFO\] idempotency: replayed the answer of request /);

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

  it('with REDIS_URL, two instances share one Redis: an order one accepted, the other answers alike', async () => {
    const redis = await startRedisServer();
    try {
      const ports = [await freePort(), await freePort()];
      const children = ports.map((port) =>
        startCompiled('samples/order-service/main.js', { FC_CUSTOM_LISTEN_PORT: String(port), REDIS_URL: redis.url }),
      );
      await Promise.all(children.map((child) => child.waitForLine(/^listening on /)));
      const headers = { 'x-fc-function-name': 'create-order', 'x-fc-request-id': 'req-shared-1' };
      const first = expectOk(await invoke(ports[0], ORDER, headers));
      const retry = expectOk(await invoke(ports[1], ORDER, { ...headers, 'x-fc-retry-count': '1' }));
      expect(retry.body.equals(first.body)).to.equal(true);
      await children[1].waitForLine(/\[INFO\] idempotency: replayed the answer of request req-shared-1 /);
      const other = await invoke(ports[1], { ...ORDER, couponCode: 'WELCOME10' }, headers);
      expectFcError(other, 'IdempotencyKeyMismatchError');
      children.forEach((child) => child.signal('SIGTERM'));
      await Promise.all(children.map((child) => child.exited));
    } finally {
      await redis.stop();
    }
  });
});
