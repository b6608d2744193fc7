import { expect } from 'chai';
import { Event, FcFunction, OnInvoke } from '../../src';
import { ApiGatewayEvent, ApiGatewayResponse, fixtures } from '../../src/events';
import { okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';
import { useDelivery } from './deliver';

describe('API Gateway', () => {
  describe('ApiGatewayEvent: the body decoded on request', () => {
    const deliver = useDelivery();

    async function requestOf(payload: object): Promise<ApiGatewayEvent> {
      const { received, statusCode } = await deliver(ApiGatewayEvent, payload);
      expect(statusCode).to.equal(200);
      return received as ApiGatewayEvent;
    }

    it('keeps the body as sent and decodes Base64 when isBase64Encoded', async () => {
      const request = await requestOf(fixtures.apiGateway());
      expect(request.body).to.equal('eyJza3UiOiJBLTEiLCJxdWFudGl0eSI6Mn0=');
      expect(request.decodedBody().equals(Buffer.from('{"sku":"A-1","quantity":2}'))).to.equal(true);
      expect(request.text()).to.equal('{"sku":"A-1","quantity":2}');
      expect(request.json()).to.deep.equal({ sku: 'A-1', quantity: 2 });
    });

    it('takes a plain body as UTF-8 text', async () => {
      const request = await requestOf(fixtures.apiGateway({ body: 'héllo', isBase64Encoded: false }));
      expect(request.text()).to.equal('héllo');
      expect(request.decodedBody().equals(Buffer.from('héllo', 'utf8'))).to.equal(true);
    });

    it('reads a request without a body as empty', async () => {
      const { body: _body, ...noBody } = fixtures.apiGateway({ httpMethod: 'GET' });
      const request = await requestOf(noBody);
      expect(request.decodedBody().length).to.equal(0);
      expect(request.text()).to.equal('');
    });

    it('json() throws an EventDecodeError on a body that is not JSON', async () => {
      const request = await requestOf(fixtures.apiGateway({ body: 'not json' }));
      expect(() => request.json())
        .to.throw(/not valid JSON/)
        .with.property('errorType', 'EventDecodeError');
    });
  });

  describe('ApiGatewayResponse', () => {
    const kernelOf = useTestKernels();

    it('json() sets the content type and serialises the value', () => {
      expect({ ...ApiGatewayResponse.json({ id: 'o-1' }, 201) }).to.deep.equal({
        isBase64Encoded: false,
        statusCode: 201,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"id":"o-1"}',
      });
    });

    it('text() and binary(), the latter Base64-encoded', () => {
      expect(ApiGatewayResponse.text('missing', 404)).to.include({ statusCode: 404, body: 'missing' });
      const png = ApiGatewayResponse.binary(Uint8Array.from([137, 80, 78, 71]), 'image/png');
      expect(png).to.include({
        statusCode: 200,
        isBase64Encoded: true,
        body: Buffer.from([137, 80, 78, 71]).toString('base64'),
      });
      expect(png.headers).to.deep.equal({ 'content-type': 'image/png' });
    });

    it('withStatus() and withHeader() return new responses and leave the original alone', () => {
      const base = ApiGatewayResponse.json({ ok: true });
      const created = base
        .withStatus(201)
        .withHeader('Location', '/orders/o-1')
        .withHeader('Content-Type', 'application/vnd.x+json');
      expect(created.statusCode).to.equal(201);
      expect(created.headers).to.deep.equal({ location: '/orders/o-1', 'content-type': 'application/vnd.x+json' });
      expect(base.statusCode).to.equal(200);
      expect(base.headers).to.deep.equal({ 'content-type': 'application/json; charset=utf-8' });
    });

    it('is what a handler returns: the kernel sends the shape API Gateway expects', async () => {
      @FcFunction({ name: 'orders-api' })
      class OrdersApi {
        @OnInvoke() handle(@Event() request: ApiGatewayEvent) {
          const line = request.json() as { sku: string };
          return ApiGatewayResponse.json({ accepted: line.sku, order: request.pathParameters.orderId }, 201);
        }
      }
      const tk = kernelOf([OrdersApi]);
      expect(okBody(await tk.invoke(fixtures.apiGateway()))).to.deep.equal({
        isBase64Encoded: false,
        statusCode: 201,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"accepted":"A-1","order":"o-1001"}',
      });
    });
  });
});
