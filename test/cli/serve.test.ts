import { expect } from 'chai';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ORDER_ENTRY, fixture, servingPort, spawnCli, startCli, stopClis } from './helpers';

describe('fc-kernel serve <entry>', () => {
  afterEach(stopClis);

  it("listens on 0.0.0.0 at the port FC's variables give, and says so with the functions' names", async () => {
    // Without the environment it would take 9000.
    const run = startCli(['serve', fixture('multi')], { env: { FC_CUSTOM_LISTEN_PORT: '0' } });
    const { address, port } = await servingPort(run);
    expect(address).to.equal('0.0.0.0');
    expect(port).to.be.greaterThan(0);
    expect(run.stdout()).to.match(/^echo, shout listening on 0\.0\.0\.0:\d+\n/);
    const res = await fetch(`http://127.0.0.1:${port}/invoke`, {
      method: 'POST',
      headers: { 'x-fc-function-name': 'shout', 'x-fc-request-id': 'serve-1' },
      body: 'quiet please',
    });
    expect(res.headers.get('x-fc-status')).to.equal('200');
    expect(await res.text()).to.equal('QUIET PLEASE');
    // Log and marker lines go to stdout, where FC collects them: the pipe may bring them after the answer.
    for (const asked = Date.now(); !run.stdout().includes('FC Invoke End RequestId: serve-1');) {
      if (Date.now() - asked > 5_000) expect.fail(`no End marker on stdout:\n${run.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    run.child.kill('SIGINT');
    expect(await run.exited).to.deep.equal({ code: 0, signal: null });
  });

  it('handles FC_CUSTOM_CONTAINER_EVENT as FC 2.0 non-web-server mode: the result, then exit', async () => {
    const event = JSON.stringify({
      orderId: 'A-7',
      customerEmail: 'ada@example.com',
      items: [{ sku: 'PEN-2', quantity: 3, unitPrice: 0.1 }],
    });
    const run = await spawnCli(['serve', ORDER_ENTRY], { env: { FC_CUSTOM_CONTAINER_EVENT: event } });
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).to.deep.equal({ orderId: 'A-7', itemCount: 3, total: 0.3, status: 'ACCEPTED' });
    expect(run.stdout).to.not.include('listening on');
  });

  it('a port already taken: exit 1 with the reason and the variable that sets the port, no stack', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    try {
      const { port } = holder.address() as AddressInfo;
      const run = await spawnCli(['serve', ORDER_ENTRY], { env: { FC_CUSTOM_LISTEN_PORT: String(port) } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.equal(
        `fc-kernel serve: port ${port} is in use (EADDRINUSE): another process listens on it. ` +
          'Set FC_CUSTOM_LISTEN_PORT to another port (else FC_SERVER_PORT is read, else 9000 is used; 0 picks a free one)\n',
      );
      expect(run.stdout).to.not.include('listening on');
    } finally {
      holder.close();
    }
  });
});
