import { expect } from 'chai';
import { request } from 'node:http';
import { FcFunction, OnInvoke, serve } from '../../src';
import type { FcHttpServer } from '../../src';
import { settle } from '../helpers/async';

@FcFunction({ name: 'served' })
class Served {
  @OnInvoke()
  handle(): string {
    return 'ok';
  }
}

const quiet = { functions: [Served], host: '127.0.0.1', handleSignals: false, logSink: () => undefined, env: {} };

describe('serve()', () => {
  const rejectionListeners = () => process.listenerCount('unhandledRejection');

  it('logs unhandled rejections while it serves, and stops listening for them once closed', async () => {
    const before = rejectionListeners();
    const server = (await serve({ ...quiet, port: 0 }))!;
    expect(rejectionListeners()).to.equal(before + 1);
    await server.close();
    await settle();
    expect(rejectionListeners()).to.equal(before);
  });

  it('owns the process unless told not to: signal and uncaught-exception handlers while it serves', async () => {
    const counts = () =>
      ['SIGTERM', 'SIGINT', 'uncaughtException'].map((event) => process.listenerCount(event as 'SIGTERM'));
    const before = counts();
    const notOwned = (await serve({ ...quiet, port: 0 }))!;
    expect(counts()).to.deep.equal(before);
    await notOwned.close();
    const owned = (await serve({ ...quiet, port: 0, handleSignals: true }))!;
    expect(counts()).to.deep.equal(before.map((n) => n + 1));
    await owned.close();
    await settle();
    expect(counts()).to.deep.equal(before);
  });

  it('rejects when its port is taken, leaving no listener behind', async () => {
    const first = (await serve({ ...quiet, port: 0 }))!;
    const before = rejectionListeners();
    let failure: unknown;
    await serve({ ...quiet, port: first.port }).catch((error: unknown) => (failure = error));
    expect((failure as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    // What to do, not only what happened: which setting chose the port.
    expect((failure as Error).message).to.equal(
      `port ${first.port} is in use (EADDRINUSE): another process listens on it. The port is serve()'s ` +
        '`port` option, else FC_CUSTOM_LISTEN_PORT, else FC_SERVER_PORT, else 9000 (0 picks a free one)',
    );
    expect(rejectionListeners()).to.equal(before);
    await first.close();
  });

  it('finishes draining at its deadline even while clients keep connecting', async () => {
    const server: FcHttpServer = (await serve({ ...quiet, port: 0, drainTimeoutMs: 300 }))!;
    const port = server.port;
    let keepSending = true;
    // Each answer during the drain closes its connection, so this client opens a new one each time.
    const client = (async () => {
      while (keepSending) {
        await new Promise<void>((resolve) => {
          const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/invoke', agent: false });
          req.on('response', (res) => res.resume().on('end', resolve));
          req.on('error', () => setImmediate(resolve));
          req.end('{}');
        });
      }
    })();
    await settle();
    let closedWhileClientRan = false;
    await server.close();
    closedWhileClientRan = keepSending;
    keepSending = false;
    await client;
    expect(closedWhileClientRan).to.equal(true);
  });
});
