import { expect } from 'chai';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { invokeHeaders, listeningPort, startSample, stopSample, type SampleProcess } from './helpers';

const ORDER_MAIN = 'samples/order-service/main.js';
const ORDER = {
  orderId: 'A-1001',
  customerEmail: 'ada@example.com',
  items: [
    { sku: 'BOOK-1', quantity: 3, unitPrice: 19.99 },
    { sku: 'PEN-2', quantity: 1, unitPrice: 0.1 },
  ],
};

/** Resolves once the server has stopped accepting connections: its shutdown has begun. */
async function untilRefused(port: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(false);
      });
      socket.once('error', () => done(true));
    });
    if (refused) return;
    // Spaced out: the server waits for connection attempts to stop before it closes its listener.
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe('samples as processes', () => {
  let sample: SampleProcess | undefined;
  afterEach(() => {
    stopSample(sample);
    sample = undefined;
  });

  describe('order-service in web-server mode', () => {
    async function startAndOrder(): Promise<SampleProcess> {
      sample = startSample(ORDER_MAIN, { FC_CUSTOM_LISTEN_PORT: '0' });
      const port = await listeningPort(sample);
      const res = await fetch(`http://127.0.0.1:${port}/invoke`, {
        method: 'POST',
        headers: invokeHeaders('process-1'),
        body: JSON.stringify(ORDER),
      });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ orderId: 'A-1001', itemCount: 4, total: 60.07, status: 'ACCEPTED' });
      return sample;
    }

    it('answers an order, then on SIGTERM runs @OnPreStop and exits 0', async () => {
      const running = await startAndOrder();
      running.child.kill('SIGTERM');
      expect(await running.exited).to.deep.equal({ code: 0, signal: null });
      expect(running.stdout()).to.include('[INFO] flushed 1 order(s)');
      expect(running.stdout()).to.match(/FC PreStop End RequestId: \S+\n/);
    });

    it('exits 0 when SIGINT arrives twice, as Ctrl-C under npm start delivers it, and drains first', async () => {
      const running = await startAndOrder();
      const port = await listeningPort(running);
      // An order in flight across both signals: its headers are in (the server said 100 Continue),
      // the rest of its body follows once the second signal has been sent.
      const body = Buffer.from(JSON.stringify({ ...ORDER, orderId: 'A-1002' }));
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/invoke',
        headers: { ...invokeHeaders('process-2'), expect: '100-continue', 'content-length': body.length },
      });
      const answered = new Promise<{ status: number; text: string }>((done, fail) => {
        req.once('response', (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.once('end', () => done({ status: res.statusCode!, text }));
        });
        req.once('error', fail);
      });
      req.flushHeaders();
      await once(req, 'continue');

      running.child.kill('SIGINT');
      await untilRefused(port);
      running.child.kill('SIGINT');
      req.end(body);

      expect(await answered).to.deep.include({ status: 200 });
      expect(await running.exited).to.deep.equal({ code: 0, signal: null });
      expect(running.stdout()).to.include('[INFO] flushed 2 order(s)');
      expect(running.stderr()).to.equal('');
    });
  });

  describe('order-service in non-web-server mode (FC_CUSTOM_CONTAINER_EVENT)', () => {
    it('writes the result as the last stdout line and exits 0', async () => {
      sample = startSample(ORDER_MAIN, { FC_CUSTOM_CONTAINER_EVENT: JSON.stringify(ORDER) });
      expect(await sample.exited).to.deep.equal({ code: 0, signal: null });
      const lines = sample.stdout().trimEnd().split('\n');
      expect(JSON.parse(lines.at(-1)!)).to.deep.equal({
        orderId: 'A-1001',
        itemCount: 4,
        total: 60.07,
        status: 'ACCEPTED',
      });
      expect(lines[0]).to.match(/^FC Initialize Start RequestId: /);
      expect(sample.stdout()).to.not.include('listening on');
    });

    it('writes the error body to stderr and exits 1 for an invalid order', async () => {
      sample = startSample(ORDER_MAIN, { FC_CUSTOM_CONTAINER_EVENT: JSON.stringify({ ...ORDER, items: [] }) });
      expect(await sample.exited).to.deep.equal({ code: 1, signal: null });
      const body = JSON.parse(sample.stderr()) as { errorType: string; errors: { path: string }[] };
      expect(body.errorType).to.equal('ValidationError');
      expect(body.errors.map((e) => e.path)).to.deep.equal(['items']);
    });
  });
});
