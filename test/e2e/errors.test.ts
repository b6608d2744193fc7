import { expect } from 'chai';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsEmail, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Event, FcFunction, OnInitialize, OnInvoke, type FcHttpServer } from '../../src';
import {
  closeServers,
  expectFcError,
  expectOk,
  fcHeaders,
  httpCall,
  invoke,
  lifecycle,
  repeatChunks,
  startServer,
} from './helpers';

class LineItem {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class PlaceOrder {
  @IsString()
  orderId!: string;

  @IsEmail()
  email!: string;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LineItem)
  items!: LineItem[];
}

class OutOfStockError extends Error {
  override name = 'OutOfStockError';
}

const LIMIT = 64 * 1024;
const MB = 1024 * 1024;

/** Declared when the suite runs, so that no other test's metadata reset can remove them. */
function declareFunctions() {
  @FcFunction({ name: 'orders' })
  class Orders {
    @OnInvoke()
    place(@Event() order: PlaceOrder) {
      return { orderId: order.orderId, lines: order.items.length };
    }
  }

  @FcFunction({ name: 'hang' })
  class Hang {
    @OnInvoke()
    handle(@Event() mode: string) {
      return mode === 'hang' ? new Promise(() => undefined) : 'alive';
    }
  }

  @FcFunction({ name: 'stock' })
  class Stock {
    @OnInvoke()
    reserve(@Event() sku: string) {
      throwOutOfStock(sku);
    }
  }

  @FcFunction({ name: 'throws-string' })
  class ThrowsString {
    @OnInvoke()
    handle(@Event() text: string) {
      throw `cannot handle ${text}`;
    }
  }

  @FcFunction({ name: 'broken-init' })
  class BrokenInit {
    @OnInitialize()
    connect() {
      throw new Error('database unreachable');
    }

    @OnInvoke()
    handle() {
      return 'never';
    }
  }

  return [Orders, Hang, Stock, ThrowsString, BrokenInit];
}

function throwOutOfStock(sku: string): never {
  throw new OutOfStockError(`sku ${sku} is out of stock`);
}

describe('e2e: error answers over HTTP', () => {
  let server: FcHttpServer;
  let port: number;

  before(async () => {
    server = await startServer({ functions: declareFunctions(), bodyLimit: LIMIT });
    port = server.port;
  });
  after(closeServers);

  const to = (name: string, extra: Record<string, string> = {}) => ({ 'x-fc-function-name': name, ...extra });

  it('ValidationError lists every failed constraint at its dotted path', async () => {
    const answer = await invoke(
      port,
      {
        orderId: 7,
        email: 'not-an-email',
        items: [
          { sku: 'a', quantity: 1 },
          { sku: 'b', quantity: 0 },
        ],
      },
      to('orders'),
    );
    const body = expectFcError(answer, 'ValidationError');
    expect(body.errors).to.deep.equal([
      { path: 'orderId', constraints: { isString: 'orderId must be a string' } },
      { path: 'email', constraints: { isEmail: 'email must be an email' } },
      { path: 'items.1.quantity', constraints: { min: 'quantity must not be less than 1' } },
    ]);
    expect(body.errorMessage).to.equal(
      'Event validation failed: orderId: orderId must be a string; email: email must be an email; items.1.quantity: quantity must not be less than 1',
    );
    expect(body.stackTrace).to.deep.equal([]);
  });

  it('ValidationError for a property the DTO does not declare', async () => {
    const answer = await invoke(
      port,
      { orderId: 'o', email: 'a@b.co', items: [{ sku: 'a', quantity: 1, price: 3 }] },
      to('orders'),
    );
    const body = expectFcError(answer, 'ValidationError');
    expect(body.errors).to.deep.equal([
      { path: 'items.0.price', constraints: { whitelistValidation: 'property price should not exist' } },
    ]);
  });

  it('EventDecodeError for malformed JSON', async () => {
    const malformed = '{"orderId": "o", ';
    let parseMessage = '';
    try {
      JSON.parse(malformed);
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    const body = expectFcError(await invoke(port, malformed, to('orders')), 'EventDecodeError');
    expect(body.errorMessage).to.equal(`Event body is not valid JSON: ${parseMessage}`);
    expect(body.stackTrace).to.deep.equal([]);
  });

  it('EventDecodeError for an empty body', async () => {
    const body = expectFcError(await invoke(port, '', to('orders')), 'EventDecodeError');
    expect(body.errorMessage).to.equal('Event body is empty; expected JSON');
  });

  describe('PayloadTooLargeError', () => {
    const expectTooLarge = (answer: Awaited<ReturnType<typeof httpCall>>) => {
      const body = expectFcError(answer, 'PayloadTooLargeError');
      expect(body.errorMessage).to.equal(`Request body exceeds the limit of ${LIMIT} bytes`);
      expect(body.stackTrace).to.deep.equal([]);
    };
    const headers = fcHeaders({ 'x-fc-function-name': 'orders', 'content-type': 'application/octet-stream' });

    it('answers a 1 MB body announced by content-length', async () => {
      expectTooLarge(await httpCall(port, { path: '/invoke', headers, body: Buffer.alloc(MB, 0x61) }));
      expectOk(await invoke(port, { orderId: 'o', email: 'a@b.co', items: [{ sku: 'a', quantity: 1 }] }, to('orders')));
      expect(server.pending).to.equal(0);
    });

    it('answers a 1 MB chunked body without content-length', async () => {
      expectTooLarge(await httpCall(port, { path: '/invoke', headers, chunks: repeatChunks(16 * 1024, 64) }));
      expectOk(await invoke(port, { orderId: 'o', email: 'a@b.co', items: [{ sku: 'a', quantity: 1 }] }, to('orders')));
      expect(server.pending).to.equal(0);
    });

    it('logs one [ERROR] line under the request id, as dispatch does', async () => {
      const lines: string[] = [];
      const logged = await startServer({
        functions: declareFunctions(),
        bodyLimit: LIMIT,
        logSink: (l) => lines.push(l),
      });
      const tooLarge = fcHeaders({ ...headers, 'x-fc-request-id': 'big-1' });
      expectTooLarge(await httpCall(logged.port, { path: '/invoke', headers: tooLarge, body: Buffer.alloc(MB, 0x61) }));
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/ big-1 \[ERROR\] PayloadTooLargeError: Request body exceeds the limit of \d+ bytes$/);
    });

    it('answers a chunked body as soon as it passes the limit, without reading it to its end', async () => {
      let sent = 0;
      const endless = function* () {
        const chunk = Buffer.alloc(16 * 1024, 0x62);
        // Bounded so that a server which buffers everything fails the test instead of hanging it.
        while (sent < 256 * MB) {
          sent += chunk.length;
          yield chunk;
        }
      };
      expectTooLarge(await httpCall(port, { path: '/invoke', headers, chunks: endless() }));
      expect(sent).to.be.below(256 * MB);
      expectOk(await invoke(port, 'still here', to('hang')));
    });
  });

  it('InitializationError when the initializer throws', async () => {
    const body = expectFcError(await lifecycle(port, '/initialize', to('broken-init')), 'InitializationError');
    expect(body.errorMessage).to.equal('Initialization of function "broken-init" failed: database unreachable');
    expect(body.stackTrace.join('\n')).to.include('BrokenInit.connect');
    expectFcError(await invoke(port, '{}', to('broken-init')), 'InitializationError');
  });

  it('FunctionNotFoundError for a name no function has', async () => {
    const body = expectFcError(await invoke(port, '{}', to('nope')), 'FunctionNotFoundError');
    expect(body.errorMessage).to.equal(
      'No function named "nope"; this image serves: "orders", "hang", "stock", "throws-string", "broken-init"',
    );
  });

  for (const [method, path] of [
    ['GET', '/healthz'],
    ['GET', '/invoke'],
    ['POST', '/foo'],
    ['DELETE', '/pre-stop'],
  ] as const) {
    it(`RouteNotFoundError for ${method} ${path}`, async () => {
      const answer = await httpCall(port, { method, path, headers: fcHeaders(to('orders')) });
      const body = expectFcError(answer, 'RouteNotFoundError');
      expect(body.errorMessage).to.equal(
        `No route for ${method} ${path}: expected POST /invoke, POST /initialize, GET|POST /pre-stop or GET|POST /pre-freeze`,
      );
    });
  }

  it('TimeoutError after x-fc-function-timeout, and the instance serves on', async () => {
    const answer = await invoke(port, 'hang', to('hang', { 'x-fc-function-timeout': '0.2' }));
    const body = expectFcError(answer, 'TimeoutError');
    expect(body.errorMessage).to.equal('Function timed out after 0.2 seconds');
    expect(server.pending).to.equal(0);
    const next = expectOk(await invoke(port, 'again', to('hang', { 'x-fc-function-timeout': '0.2' })));
    expect(next.text).to.equal('alive');
  });

  it("a user's Error subclass keeps its name, message and stack", async () => {
    const body = expectFcError(await invoke(port, 'sku-1', to('stock')), 'OutOfStockError');
    expect(body.errorMessage).to.equal('sku sku-1 is out of stock');
    expect(body.stackTrace[0]).to.match(/^at throwOutOfStock /);
    expect(body.stackTrace.join('\n')).to.include('Stock.reserve');
  });

  it('a thrown non-Error value becomes its String() with type Error', async () => {
    const body = expectFcError(await invoke(port, 'this', to('throws-string')), 'Error');
    expect(body).to.deep.equal({ errorMessage: 'cannot handle this', errorType: 'Error', stackTrace: [] });
  });

  it('answers success with status 200 and x-fc-status 200', async () => {
    const answer = expectOk(
      await invoke(port, { orderId: 'o-1', email: 'a@b.co', items: [{ sku: 'a', quantity: 2 }] }, to('orders')),
    );
    expect(answer.json()).to.deep.equal({ orderId: 'o-1', lines: 1 });
    expect(answer.headers['content-type']).to.match(/^application\/json\b/);
  });
});
