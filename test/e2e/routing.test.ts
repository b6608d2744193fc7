import { expect } from 'chai';
import { Ctx, Event, FcFunction, OnInvoke, type FcContext } from '../../src';
import { closeServers, expectFcError, expectOk, httpCall, invoke, startServer } from './helpers';

function declareFunctions() {
  @FcFunction({ name: 'create-order' })
  class CreateOrder {
    @OnInvoke()
    handle(@Event() event: { id: string }, @Ctx() ctx: FcContext) {
      return { by: 'create-order', id: event.id, name: ctx.function.name };
    }
  }

  @FcFunction({ name: 'cancel-order' })
  class CancelOrder {
    @OnInvoke()
    handle(@Event() event: { id: string }, @Ctx() ctx: FcContext) {
      return { by: 'cancel-order', id: event.id, name: ctx.function.name };
    }
  }
  return { CreateOrder, CancelOrder };
}

describe('e2e: routing by x-fc-function-name', () => {
  afterEach(closeServers);

  it('sends each invocation to the function FC names', async () => {
    const { CreateOrder, CancelOrder } = declareFunctions();
    const { port } = await startServer({ functions: [CreateOrder, CancelOrder] });

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const name = i % 2 === 0 ? 'create-order' : 'cancel-order';
        return invoke(port, { id: `o-${i}` }, { 'x-fc-function-name': name });
      }),
    );
    answers.forEach((answer, i) => {
      const name = i % 2 === 0 ? 'create-order' : 'cancel-order';
      expect(expectOk(answer).json()).to.deep.equal({ by: name, id: `o-${i}`, name });
    });
  });

  it('answers FunctionNotFoundError without a name when it serves several functions', async () => {
    const { CreateOrder, CancelOrder } = declareFunctions();
    const { port } = await startServer({ functions: [CreateOrder, CancelOrder] });
    const body = expectFcError(await invoke(port, { id: 'x' }, { 'x-fc-function-name': '' }), 'FunctionNotFoundError');
    expect(body.errorMessage).to.equal(
      'No function name given (x-fc-function-name or FC_FUNCTION_NAME); this image serves: "create-order", "cancel-order"',
    );
  });

  it('falls back to FC_FUNCTION_NAME when the request names no function', async () => {
    const { CreateOrder, CancelOrder } = declareFunctions();
    const { port } = await startServer({
      functions: [CreateOrder, CancelOrder],
      env: { FC_FUNCTION_NAME: 'cancel-order' },
    });
    const answer = await invoke(port, { id: 'x' }, { 'x-fc-function-name': '' });
    expect(expectOk(answer).json()).to.include({ by: 'cancel-order' });
  });

  it('a single function answers whatever name FC sends', async () => {
    const { CreateOrder } = declareFunctions();
    const { port } = await startServer({ functions: [CreateOrder] });
    for (const name of ['create-order', 'deployed-under-another-name', '']) {
      const answer = await invoke(port, { id: 'x' }, { 'x-fc-function-name': name });
      expect(expectOk(answer).json()).to.deep.equal({ by: 'create-order', id: 'x', name });
    }
  });

  it('answers readiness probes (GET / and the configured health path) with 200, whatever the function', async () => {
    const { CreateOrder, CancelOrder } = declareFunctions();
    const lines: string[] = [];
    const { port } = await startServer({
      functions: [CreateOrder, CancelOrder],
      healthPath: '/healthz',
      logSink: (line) => lines.push(line),
    });
    for (const path of ['/', '/healthz']) {
      const answer = expectOk(await httpCall(port, { method: 'GET', path }));
      expect(answer.text).to.equal('');
    }
    expectFcError(await httpCall(port, { method: 'GET', path: '/ready' }), 'RouteNotFoundError');
    expect(lines.filter((l) => l.includes('[ERROR]'))).to.have.length(1);
  });
});
