import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import { serve } from '../../src';
import { CreateOrderFunction } from '../../samples/order-service/CreateOrderFunction';
import {
  expectFcError,
  expectOk,
  freePort,
  invoke,
  killChildren,
  lifecycle,
  startCompiled,
  waitForPort,
} from './helpers';

describe('e2e: the order-service sample as a new user runs it', () => {
  afterEach(killChildren);

  it('serves orders, rejects an invalid one, flushes on SIGTERM and exits 0', async () => {
    const port = await freePort();
    const child = startCompiled('samples/order-service/main.js', { FC_CUSTOM_LISTEN_PORT: String(port) });
    await waitForPort(port);

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
    expect(child.stdoutLines.some((l) => l.endsWith('[INFO] flushed 1 order(s)'))).to.equal(true);
  });

  it('listens on 0.0.0.0, as FC requires', async () => {
    const server = await serve({
      functions: [CreateOrderFunction],
      port: 0,
      handleSignals: false,
      logSink: () => undefined,
      env: {},
    });
    try {
      expect((server!.server.address() as AddressInfo).address).to.equal('0.0.0.0');
    } finally {
      await server!.close();
    }
  });
});
