import 'reflect-metadata';
import Fastify from 'fastify';
import type { CreateOrder } from '../../../samples/order-service/CreateOrder';
import { FC_BODY_LIMIT, fcErrorBody, invokeEndLine, invokeStartLine, REQUEST_ID_HEADER } from '../shared/fcProtocol';
import { priceOrder } from '../shared/priceOrder';
import { toValidOrder } from '../shared/validateOrder';

/*
 * The order function as a Fastify app with class-validator: FC's octet-stream body parsed as
 * JSON by a content-type parser, the DTO transformed and validated in a `preValidation` hook,
 * the marker lines and `x-fc-status` in hooks, failures in FC's error shape from the error handler.
 */

declare module 'fastify' {
  interface FastifyRequest {
    order: CreateOrder;
  }
}

// Server timeouts off, as FC's own sample server has them: FC keeps connections open.
const app = Fastify({ bodyLimit: FC_BODY_LIMIT, connectionTimeout: 0, keepAliveTimeout: 0 });
app.decorateRequest('order', null as unknown as CreateOrder);

app.addContentTypeParser('application/octet-stream', { parseAs: 'string' }, (_req, body, done) => {
  try {
    done(null, JSON.parse(body as string));
  } catch (error) {
    done(error as Error, undefined);
  }
});

app.addHook('onSend', async (_request, reply) => {
  reply.header('x-fc-status', String(reply.statusCode));
});
app.setErrorHandler((error, _request, reply) => {
  reply.code(404).send(fcErrorBody(error));
});
app.setNotFoundHandler((request, reply) => {
  reply.code(404).send(fcErrorBody(new Error(`no route ${request.method} ${request.url}`)));
});

app.post('/initialize', async () => '');

app.post(
  '/invoke',
  {
    onRequest: async (request) => {
      console.log(invokeStartLine(request.headers[REQUEST_ID_HEADER]));
    },
    preValidation: async (request) => {
      request.order = await toValidOrder(request.body);
    },
    onResponse: async (request, reply) => {
      console.log(invokeEndLine(request.headers[REQUEST_ID_HEADER], reply.statusCode !== 200));
    },
  },
  async (request) => priceOrder(request.order),
);

app.listen({ port: Number(process.env.FC_CUSTOM_LISTEN_PORT ?? 9000), host: '0.0.0.0' });
