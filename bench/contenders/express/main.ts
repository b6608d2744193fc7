import 'reflect-metadata';
import express, { type NextFunction, type Request, type Response } from 'express';
import { FC_BODY_LIMIT, fcErrorBody, invokeEndLine, invokeStartLine, REQUEST_ID_HEADER } from '../shared/fcProtocol';
import { priceOrder } from '../shared/priceOrder';
import { toValidOrder } from '../shared/validateOrder';

/*
 * FC's own pattern for a Node.js custom container, as in its official sample server
 * (github.com/devsapp/start-fc, custom-container/nodejs/src/code/server.js): an Express app with
 * `express.raw()` for the octet-stream body, `app.post('/initialize')` and `app.post('/invoke')`,
 * the marker lines written with console.log around the work, 404 on failure, server timeouts off.
 * The work is the order sample's, with class-transformer and class-validator as an Express app
 * uses them.
 */

const app = express();
app.use(express.raw({ limit: FC_BODY_LIMIT }));

app.post('/initialize', (req: Request, res: Response) => {
  res.set('x-fc-status', '200').send('');
});

app.post('/invoke', async (req: Request, res: Response) => {
  const requestId = req.headers[REQUEST_ID_HEADER];
  console.log(invokeStartLine(requestId));
  try {
    const order = await toValidOrder(JSON.parse((req.body as Buffer).toString('utf8')));
    res.set('x-fc-status', '200').json(priceOrder(order));
    console.log(invokeEndLine(requestId, false));
  } catch (error) {
    res.status(404).set('x-fc-status', '404').json(fcErrorBody(error));
    console.log(invokeEndLine(requestId, true));
  }
});

// A body over the limit, or any other failure before a route: FC's error shape, not Express's page.
app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
  res.status(404).set('x-fc-status', '404').json(fcErrorBody(error));
});

const server = app.listen(Number(process.env.FC_CUSTOM_LISTEN_PORT ?? 9000), '0.0.0.0');
server.timeout = 0;
server.keepAliveTimeout = 0;
