import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { container, createKernel, type ErrorBody, type Kernel, type KernelResponse } from '../../src';
import type { OrderAccepted } from '../../samples/order-service/CreateOrder';
import { CreateOrderFunction } from '../../samples/order-service/CreateOrderFunction';
import {
  InMemoryOrderRepository,
  ORDER_REPOSITORY,
  type OrderRepository,
} from '../../samples/order-service/OrderRepository';
import { serveOptions } from '../../samples/order-service/serveOptions';
import { RedisIdempotencyStore } from '../../src/idempotency';
import { deliver } from '../../src/testing';
import { startRedisServer, type RedisServer } from '../helpers/redisServer';
import { useTestKernels } from '../helpers/testKernels';
import { invokeRequest } from './helpers';
import { SAMPLES_DIR } from './sampleFiles';

/** Remembers what the function did with its repository. */
class RecordingRepository implements OrderRepository {
  warmUps = 0;
  flushes = 0;
  readonly saved: OrderAccepted[] = [];

  async warmUp(): Promise<void> {
    this.warmUps++;
  }

  async save(order: OrderAccepted): Promise<void> {
    this.saved.push(order);
  }

  async flush(): Promise<number> {
    this.flushes++;
    return this.saved.length;
  }
}

interface Item {
  sku: string;
  quantity: number;
  unitPrice: number;
}

function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: 'A-1001',
    customerEmail: 'ada@example.com',
    items: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 10 }],
    ...overrides,
  };
}

function item(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sku: 'BOOK-1', quantity: 1, unitPrice: 10, ...overrides };
}

describe('samples/order-service in-process', () => {
  let kernel: Kernel;
  let repository: RecordingRepository;
  let lines: string[];

  beforeEach(() => {
    repository = new RecordingRepository();
    lines = [];
    // The testing story: a child container overrides the sample's default repository binding.
    const testContainer = container.createChildContainer();
    testContainer.register(ORDER_REPOSITORY, { useValue: repository });
    kernel = createKernel({
      functions: [CreateOrderFunction],
      container: testContainer,
      logSink: (line) => lines.push(line),
    });
  });

  afterEach(() => kernel.close());

  async function accepted(event: unknown): Promise<OrderAccepted> {
    const res = await kernel.dispatch(invokeRequest(event));
    expect(res.statusCode, String(res.body)).to.equal(200);
    expect(res.headers['x-fc-status']).to.equal('200');
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
    return JSON.parse(String(res.body)) as OrderAccepted;
  }

  function errorOf(res: KernelResponse): ErrorBody {
    expect(res.statusCode).to.equal(404);
    expect(res.headers['x-fc-status']).to.equal('404');
    return JSON.parse(String(res.body)) as ErrorBody;
  }

  describe('a valid order', () => {
    const cases: { name: string; items: Item[]; itemCount: number; total: number }[] = [
      {
        name: '3 × 19.99 + 1 × 0.1',
        items: [
          { sku: 'BOOK-1', quantity: 3, unitPrice: 19.99 },
          { sku: 'PEN-2', quantity: 1, unitPrice: 0.1 },
        ],
        itemCount: 4,
        total: 60.07,
      },
      {
        name: 'three items of 0.1',
        items: ['A', 'B', 'C'].map((sku) => ({ sku, quantity: 1, unitPrice: 0.1 })),
        itemCount: 3,
        total: 0.3,
      },
      { name: '3 × 0.1 in one line', items: [{ sku: 'A', quantity: 3, unitPrice: 0.1 }], itemCount: 3, total: 0.3 },
      { name: '7 × 1.15', items: [{ sku: 'A', quantity: 7, unitPrice: 1.15 }], itemCount: 7, total: 8.05 },
      { name: 'a free item', items: [{ sku: 'GIFT', quantity: 2, unitPrice: 0 }], itemCount: 2, total: 0 },
      {
        name: 'a price with more decimals',
        items: [{ sku: 'A', quantity: 1, unitPrice: 0.125 }],
        itemCount: 1,
        total: 0.13,
      },
    ];
    for (const c of cases) {
      it(`${c.name} → itemCount ${c.itemCount}, total ${c.total}`, async () => {
        expect(await accepted(order({ orderId: 'A-7', items: c.items }))).to.deep.equal({
          orderId: 'A-7',
          itemCount: c.itemCount,
          total: c.total,
          status: 'ACCEPTED',
        });
      });
    }

    it('totals any order of cent prices to the exact sum in cents', async () => {
      const anItem = fc.record({
        sku: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== ''),
        quantity: fc.integer({ min: 1, max: 1_000 }),
        cents: fc.integer({ min: 0, max: 1_000_000 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(anItem, { minLength: 1, maxLength: 100 }), async (drawn) => {
          const items = drawn.map((d) => ({ sku: d.sku, quantity: d.quantity, unitPrice: d.cents / 100 }));
          const cents = drawn.reduce((sum, d) => sum + d.quantity * d.cents, 0);
          const got = await accepted(order({ items }));
          expect(got.itemCount).to.equal(drawn.reduce((sum, d) => sum + d.quantity, 0));
          expect(got.total).to.equal(cents / 100);
        }),
        { numRuns: 60 },
      );
    });

    it('takes couponCode when it is a string, and does without it', async () => {
      expect((await accepted(order({ couponCode: 'WELCOME10' }))).status).to.equal('ACCEPTED');
      expect((await accepted(order())).status).to.equal('ACCEPTED');
      expect(repository.saved).to.have.length(2);
    });
  });

  it("answers the sample's event.json with the order accepted", async () => {
    const event: unknown = JSON.parse(readFileSync(join(SAMPLES_DIR, 'order-service/event.json'), 'utf8'));
    expect(await accepted(event)).to.include({ orderId: 'A-1001', status: 'ACCEPTED' });
  });

  describe('an order breaking a rule of CreateOrder', () => {
    const hundredAndOne = Array.from({ length: 101 }, (_, i) => item({ sku: `SKU-${i}` }));
    const cases: { name: string; event: Record<string, unknown>; path: string; constraint: string }[] = [
      { name: 'empty orderId', event: order({ orderId: '' }), path: 'orderId', constraint: 'isNotEmpty' },
      { name: 'orderId not a string', event: order({ orderId: 7 }), path: 'orderId', constraint: 'isString' },
      { name: 'bad email', event: order({ customerEmail: 'ada@' }), path: 'customerEmail', constraint: 'isEmail' },
      { name: 'no items', event: order({ items: [] }), path: 'items', constraint: 'arrayMinSize' },
      { name: '101 items', event: order({ items: hundredAndOne }), path: 'items', constraint: 'arrayMaxSize' },
      {
        name: 'empty sku',
        event: order({ items: [item({ sku: '' })] }),
        path: 'items.0.sku',
        constraint: 'isNotEmpty',
      },
      {
        name: 'quantity 0',
        event: order({ items: [item(), item({ quantity: 0 })] }),
        path: 'items.1.quantity',
        constraint: 'min',
      },
      {
        name: 'quantity 1.5',
        event: order({ items: [item({ quantity: 1.5 })] }),
        path: 'items.0.quantity',
        constraint: 'isInt',
      },
      {
        name: 'quantity as a string',
        event: order({ items: [item({ quantity: '2' })] }),
        path: 'items.0.quantity',
        constraint: 'isInt',
      },
      {
        name: 'unitPrice -1',
        event: order({ items: [item({ unitPrice: -1 })] }),
        path: 'items.0.unitPrice',
        constraint: 'min',
      },
      { name: 'couponCode not a string', event: order({ couponCode: 10 }), path: 'couponCode', constraint: 'isString' },
      { name: 'unknown property', event: order({ gift: true }), path: 'gift', constraint: 'whitelistValidation' },
      {
        name: 'unknown property of an item',
        event: order({ items: [item({ colour: 'red' })] }),
        path: 'items.0.colour',
        constraint: 'whitelistValidation',
      },
    ];
    for (const c of cases) {
      it(`${c.name} → ValidationError at ${c.path} (${c.constraint})`, async () => {
        const body = errorOf(await kernel.dispatch(invokeRequest(c.event)));
        expect(body.errorType).to.equal('ValidationError');
        expect(body.errors!.map((e) => e.path)).to.deep.equal([c.path]);
        expect(body.errors![0]!.constraints).to.have.property(c.constraint);
        expect(body.errorMessage).to.match(/^Event validation failed: /);
        expect(body.stackTrace).to.deep.equal([]);
        expect(repository.saved).to.deep.equal([]);
      });
    }

    it('reports every broken rule at once', async () => {
      const event = order({ orderId: '', customerEmail: 'x', items: [item({ quantity: 0, unitPrice: -1 })] });
      const body = errorOf(await kernel.dispatch(invokeRequest(event)));
      expect(body.errors!.map((e) => e.path)).to.have.members([
        'orderId',
        'customerEmail',
        'items.0.quantity',
        'items.0.unitPrice',
      ]);
    });

    it('is an EventDecodeError when the body is not JSON', async () => {
      const res = await kernel.dispatch({ ...invokeRequest(null), body: 'orderId=A-1' });
      expect(errorOf(res).errorType).to.equal('EventDecodeError');
    });
  });

  describe('lifecycle', () => {
    it('@OnInitialize warms the repository once; @OnPreStop flushes it', async () => {
      const init = await kernel.dispatch({
        method: 'POST',
        path: '/initialize',
        headers: { 'x-fc-request-id': 'i-1' },
      });
      expect(init.statusCode).to.equal(200);
      expect(repository.warmUps).to.equal(1);
      expect(lines).to.include('FC Initialize Start RequestId: i-1');
      expect(lines.some((l) => / i-1 \[INFO\] order repository ready$/.test(l))).to.equal(true);

      await accepted(order({ orderId: 'A-1' }));
      await accepted(order({ orderId: 'A-2' }));
      expect(repository.warmUps).to.equal(1);
      expect(repository.saved.map((o) => o.orderId)).to.deep.equal(['A-1', 'A-2']);
      expect(repository.flushes).to.equal(0);

      const stop = await kernel.dispatch({ method: 'GET', path: '/pre-stop', headers: { 'x-fc-request-id': 's-1' } });
      expect(stop.statusCode).to.equal(200);
      expect(repository.flushes).to.equal(1);
      expect(lines.some((l) => / s-1 \[INFO\] flushed 2 order\(s\)$/.test(l))).to.equal(true);

      // FC already called /pre-stop: shutting down does not flush twice.
      await kernel.preStop();
      expect(repository.flushes).to.equal(1);
    });

    it('initializes on the first /invoke when FC never called /initialize', async () => {
      await accepted(order());
      expect(repository.warmUps).to.equal(1);
      await kernel.preStop();
      expect(repository.flushes).to.equal(1);
    });
  });
});

describe('samples/order-service as main.ts serves it: idempotent on the order id', () => {
  const createTestKernel = useTestKernels();
  let redis: RedisServer;
  before(async () => (redis = await startRedisServer()));
  after(() => redis.stop());

  const stores = [
    { name: 'without REDIS_URL, on the memory store', env: () => ({}) },
    { name: 'with REDIS_URL, on Redis', env: () => ({ REDIS_URL: redis.url }) },
  ];
  for (const { name, env } of stores) {
    describe(name, () => {
      let repository: RecordingRepository;
      const made: unknown[] = [];
      const instance = () => {
        const { functions, ...options } = serveOptions(env());
        made.push(options.idempotency?.store);
        return createTestKernel(functions, { ...options, overrides: [[ORDER_REPOSITORY, { useValue: repository }]] });
      };
      beforeEach(() => (repository = new RecordingRepository()));
      afterEach(async () => {
        for (const store of made.splice(0)) if (store instanceof RedisIdempotencyStore) await store.close();
      });

      it('stores an order delivered twice once, and answers the second delivery with the same bytes', async () => {
        const tk = instance();
        const orderId = `A-${Date.now()}-${Math.random()}`;
        const first = await tk.invoke(order({ orderId }));
        const again = await tk.invoke(order({ orderId }));
        expect(first.ok).to.equal(true);
        expect(again.raw.equals(first.raw)).to.equal(true);
        expect(again.logs.some((line) => line.includes('idempotency: replayed the answer of request'))).to.equal(true);
        expect(repository.saved.map((saved) => saved.orderId)).to.deep.equal([orderId]);
      });

      it("refuses an order id already used for another order, and answers FC's retries alike", async () => {
        const tk = instance();
        const orderId = `B-${Date.now()}-${Math.random()}`;
        const delivery = deliver(order({ orderId }));
        const [first, retry] = [await delivery.attempt(tk), await delivery.attempt(tk)];
        expect(retry.raw.equals(first.raw)).to.equal(true);
        const other = await tk.invoke(order({ orderId, couponCode: 'WELCOME10' }));
        expect(other.error?.errorType).to.equal('IdempotencyKeyMismatchError');
        expect(repository.saved).to.have.length(1);
      });
    });
  }
});

describe('samples/order-service InMemoryOrderRepository', () => {
  const accepted = (orderId: string): OrderAccepted => ({ orderId, itemCount: 1, total: 1, status: 'ACCEPTED' });

  it('writes a full batch at once and the rest on flush', async () => {
    const repository = new InMemoryOrderRepository(100);
    for (let i = 0; i < 250; i++) await repository.save(accepted(`A-${i}`));
    expect(repository.stored.size).to.equal(200);
    expect(await repository.flush()).to.equal(50);
    expect(repository.stored.size).to.equal(250);
    expect(await repository.flush()).to.equal(0);
  });

  it('keeps the latest orders up to its capacity, however many arrive', async () => {
    const repository = new InMemoryOrderRepository(10, 50);
    for (let i = 0; i < 10_000; i++) await repository.save(accepted(`A-${i}`));
    await repository.flush();
    expect(repository.stored.size).to.equal(50);
    expect([...repository.stored.keys()].at(-1)).to.equal('A-9999');
    expect(repository.stored.has('A-9949')).to.equal(false);
  });
});
