import { expect } from 'chai';
import { Ctx, FcContext, FcFunction, Headers, OnInvoke } from '../../src';
import { createTestKernel, type TestKernel } from '../../src/testing';

@FcFunction({ name: 'kit-raw' })
class RawFunction {
  @OnInvoke()
  handle(@Ctx() ctx: FcContext, @Headers() headers: Record<string, string>) {
    ctx.logger.info('raw call');
    return { requestId: ctx.requestId, sent: Object.keys(headers).sort() };
  }
}

describe('fc-kernel/testing: dispatch', () => {
  let tk: TestKernel | undefined;
  afterEach(() => tk?.close());

  it('sends the request as given, adding no header', async () => {
    tk = createTestKernel(RawFunction);
    const res = await tk.dispatch<{ requestId: string; sent: string[] }>({
      method: 'POST',
      path: '/invoke',
      headers: { 'x-fc-request-id': 'raw-1', 'x-tenant': 'a' },
      body: '{}',
    });
    expect(res.ok).to.equal(true);
    expect(res.body).to.deep.equal({ requestId: 'raw-1', sent: ['x-fc-request-id', 'x-tenant'] });
    expect(res.requestId).to.equal('raw-1');
  });

  it("captures the call's lines, markers included", async () => {
    tk = createTestKernel(RawFunction);
    const res = await tk.dispatch({ method: 'POST', path: '/invoke', headers: { 'x-fc-request-id': 'raw-2' } });
    expect(res.logs[0]).to.equal('FC Invoke Start RequestId: raw-2');
    expect(res.logs[1]).to.match(/ raw-2 \[INFO\] raw call$/);
    expect(res.logs).to.have.length(3);
    expect(tk.logs).to.deep.equal(res.logs);
  });

  it("answers a route FC never calls with FC's error shape, and an empty request id without the header", async () => {
    tk = createTestKernel(RawFunction);
    const res = await tk.dispatch({ method: 'DELETE', path: '/pre-stop' });
    expect(res.statusCode).to.equal(404);
    expect(res.xFcStatus).to.equal(404);
    expect(res.error?.errorType).to.equal('RouteNotFoundError');
    expect(res.requestId).to.equal('');
  });
});
