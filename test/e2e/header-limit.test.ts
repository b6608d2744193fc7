import { expect } from 'chai';
import { Agent } from 'node:http';
import { Event, FcFunction, OnInvoke } from '../../src';
import { closeServers, expectFcError, expectOk, fcHeaders, httpCall, invoke, startServer } from './helpers';

function declareEcho() {
  @FcFunction({ name: 'echo' })
  class Echo {
    @OnInvoke()
    handle(@Event() text: string) {
      return text;
    }
  }
  return Echo;
}

describe('e2e: request headers over the server limit', () => {
  afterEach(closeServers);

  it("answers with FC's error shape instead of a bare 431, and keeps serving", async () => {
    const { port } = await startServer({ functions: [declareEcho()] });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A client on a kept-alive connection, served before and after the oversized request.
      expect(expectOk(await invoke(port, 'before', {}, agent)).text).to.equal('before');

      const oversized = await httpCall(port, {
        path: '/invoke',
        headers: fcHeaders({ 'content-type': 'application/octet-stream', 'x-padding': 'p'.repeat(20 * 1024) }),
        body: 'too big',
      });
      const body = expectFcError(oversized, 'BadRequestError');
      expect(body.errorMessage).to.equal('Bad request: request headers are larger than the server accepts');

      expect(expectOk(await invoke(port, 'after', {}, agent)).text).to.equal('after');
      expect(expectOk(await invoke(port, 'new connection')).text).to.equal('new connection');
    } finally {
      agent.destroy();
    }
  });

  it('still serves a request whose headers are just under the limit', async () => {
    const { port } = await startServer({ functions: [declareEcho()] });
    const answer = await invoke(port, 'fits', { 'x-padding': 'p'.repeat(12 * 1024) });
    expect(expectOk(answer).text).to.equal('fits');
  });
});
