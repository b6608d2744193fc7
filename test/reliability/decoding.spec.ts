import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VALIDATION_OPTIONS, type KernelResponse } from '../../src';
import { MAX_EVENT_DEPTH, MAX_EVENT_NODES } from '../../src/validation/boundedJson';
import { tally } from './capture';
import { FUZZ_FUNCTIONS } from './functions';
import {
  capturedKernel,
  dispatchChecked,
  expectFcError,
  fcHeaders,
  fixturePort,
  killFixtures,
  sendChecked,
  startFixture,
  type FcErrorBody,
  type HttpAnswer,
  type Fixture,
} from './harness';

const ORDER_HEAD = '"orderId":"o-1","customerEmail":"buyer@example.com"';
const VALID_ITEMS = '"items":[{"sku":"s","quantity":1,"unitPrice":1}]';
const VALID_ORDER = `{${ORDER_HEAD},${VALID_ITEMS}}`;
const { maxObjectKeys, maxEventNodes, maxArrayElements } = DEFAULT_VALIDATION_OPTIONS;

/** `count` members `"<prefix><i>":0`, comma-separated. */
function keys(count: number, prefix = 'k'): string {
  return Array.from({ length: count }, (_, i) => `"${prefix}${i}":0`).join(',');
}

/**
 * Members of an undeclared object holding exactly `nodes` nodes: objects `"o<i>":{...}` of 100
 * nodes each (their own key included), then one smaller.
 */
function spreadKeys(nodes: number): string {
  const objects = Array.from({ length: Math.floor(nodes / 100) }, (_, i) => `"o${i}":{${keys(99)}}`);
  const rest = nodes % 100;
  if (rest > 0) objects.push(`"o${objects.length}":{${keys(rest - 1)}}`);
  return objects.join(',');
}

/** `[item,item,...]` of `count` items, built as bytes (a 24 MB string would be built twice). */
function arrayOf(count: number, item: string): Buffer {
  const repeated = Buffer.alloc((item.length + 1) * count - 1, `${item},`);
  return Buffer.concat([Buffer.from('['), repeated, Buffer.from(']')]);
}

/** `count` levels of `[`, closed. */
function brackets(count: number): Buffer {
  return Buffer.concat([Buffer.alloc(count, '['), Buffer.alloc(count, ']')]);
}

/** An order whose `items` is `items`. */
function orderWithItems(items: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{${ORDER_HEAD},"items":`), items, Buffer.from('}')]);
}

/** The decided answer to one hostile body: its error type, and the constraint or message. */
interface Expected {
  errorType: 'EventDecodeError' | 'ValidationError';
  constraint?: string;
  path?: string;
  message?: RegExp;
}

function expectRefused(error: FcErrorBody, expected: Expected): void {
  expect(error.errorType, error.errorMessage).to.equal(expected.errorType);
  if (expected.message) expect(error.errorMessage).to.match(expected.message);
  if (expected.constraint) {
    expect(error.errors, error.errorMessage).to.have.length(1);
    expect(error.errors![0]!.constraints).to.have.property(expected.constraint);
    expect(error.errors![0]!.path).to.equal(expected.path ?? '');
  }
}

const TOO_DEEP = { errorType: 'EventDecodeError', message: /nested deeper than 256 levels/ } as const;
const TOO_BIG = { errorType: 'EventDecodeError', message: /more than 1000000 object keys and array elements/ } as const;

describe('hostile bodies at the decoder', function () {
  this.timeout(180_000);

  describe('sizes that stalled class-transformer, through dispatch', () => {
    const fuzz = capturedKernel('decoding kernel', { functions: FUZZ_FUNCTIONS });
    after(() => fuzz.close());

    async function answer(fn: string, body: Buffer | string): Promise<KernelResponse & { body: string }> {
      const answered = await dispatchChecked(
        fuzz.kernel,
        { method: 'POST', path: '/invoke', headers: fcHeaders({ 'x-fc-function-name': fn }), body },
        'decoding dispatch',
      );
      tally.inputsTried++;
      return { ...answered, body: String(answered.body) };
    }

    it('refuses 200,000 and 1,000,000 unknown keys in one DTO object at the first key past maxObjectKeys', async () => {
      // 19 s and over 170 s in class-transformer's duplicate-key removal before it was bounded.
      for (const count of [200_000, 1_000_000]) {
        const error = expectFcError(await answer('create-order', `{${ORDER_HEAD},${VALID_ITEMS},${keys(count)}}`));
        expectRefused(error, { errorType: 'ValidationError', constraint: 'maxObjectKeys' });
        expect(error.errors![0]!.constraints.maxObjectKeys).to.equal(
          `event has more than ${maxObjectKeys} keys, the most one object of a validated event may have (validation option maxObjectKeys)`,
        );
      }
      // The same in an undeclared nested object, named by its path.
      const nested = expectFcError(await answer('create-order', `{${ORDER_HEAD},"extra":{${keys(200_000)}}}`));
      expectRefused(nested, { errorType: 'ValidationError', constraint: 'maxObjectKeys', path: 'extra' });
    });

    it(`validates an object of exactly maxObjectKeys keys (${maxObjectKeys})`, async () => {
      // Three declared keys and the rest unknown: refused by the whitelist, not by the limit.
      const error = expectFcError(
        await answer('create-order', `{${ORDER_HEAD},${VALID_ITEMS},${keys(maxObjectKeys - 3)}}`),
      );
      expect(error.errors![0]!.constraints).to.have.property('whitelistValidation');
    });

    it(`refuses a DTO event past maxEventNodes (${maxEventNodes}) keys spread over small objects`, async () => {
      // The order's own 7 nodes, "extra", then the rest: one node too many.
      const over = `{${ORDER_HEAD},${VALID_ITEMS},"extra":{${spreadKeys(maxEventNodes - 7)}}}`;
      const error = expectFcError(await answer('create-order', over));
      expectRefused(error, { errorType: 'ValidationError', constraint: 'maxEventNodes', path: 'extra.o999' });
      expect(error.errors![0]!.constraints.maxEventNodes).to.equal(
        `extra.o999 takes the event past ${maxEventNodes} object keys and array elements, the most a validated event may hold (validation option maxEventNodes)`,
      );
      // At the limit exactly: decoded, then validated (and refused by the whitelist).
      const atLimit = `{${ORDER_HEAD},${VALID_ITEMS},"extra":{${spreadKeys(maxEventNodes - 8)}}}`;
      const validated = expectFcError(await answer('create-order', atLimit));
      expect(validated.errors![0]!.constraints).to.have.property('whitelistValidation');
    });

    it(`takes a plain JSON event of ${MAX_EVENT_NODES} nodes and refuses one more`, async () => {
      expect((await answer('echo-array', arrayOf(MAX_EVENT_NODES, '0'))).body).to.equal(String(MAX_EVENT_NODES));
      expectRefused(expectFcError(await answer('echo-array', arrayOf(MAX_EVENT_NODES + 1, '0'))), TOO_BIG);
      expectRefused(expectFcError(await answer('echo-json', arrayOf(MAX_EVENT_NODES / 2 + 1, '{"a":0}'))), TOO_BIG);
    });

    it('takes every real trigger payload and a batch of 10,000 Kafka records', async () => {
      const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fc-events');
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
        const event = readFileSync(join(dir, file));
        const echoed = await answer('echo-json', event);
        expect(echoed.statusCode, `${file}: ${echoed.body}`).to.equal(200);
        expect(JSON.parse(echoed.body)).to.deep.equal(JSON.parse(event.toString('utf8')));
      }
      const [record] = JSON.parse(readFileSync(join(dir, 'kafka-eventbridge.json'), 'utf8')) as string[];
      const batch = JSON.stringify(new Array<string>(10_000).fill(record!));
      expect((await answer('echo-array', batch)).body).to.equal('10000');
    });
  });

  describe('bodies that exhausted a 256 MB heap, against a served child', () => {
    let fixture: Fixture;
    let port: number;

    before(async () => {
      // FC's memorySize 512 leaves node about this much heap.
      fixture = startFixture('decodingServer', {}, ['--max-old-space-size=256']);
      port = await fixturePort(fixture);
    });
    after(() => killFixtures());

    /** Sends one body meant to exhaust the heap. */
    async function attack(fn: string, body: Buffer | string): Promise<HttpAnswer> {
      tally.faultsInjected++;
      tally.inputsTried++;
      return sendChecked(port, { headers: fcHeaders({ 'x-fc-function-name': fn }), body, source: 'decoding child' });
    }

    /** The child still serves: a valid order is accepted. */
    async function servesOrders(): Promise<void> {
      const ok = await sendChecked(port, {
        headers: fcHeaders({ 'x-fc-function-name': 'create-order' }),
        body: VALID_ORDER,
        source: 'decoding child',
      });
      expect(ok.statusCode, ok.body.toString()).to.equal(200);
      expect(fixture.child.exitCode).to.equal(null);
    }

    /** The attack was answered as `expected`, and the child lives on. */
    async function survived(answer: HttpAnswer, expected: Expected): Promise<void> {
      expectRefused(expectFcError(answer), expected);
      await servesOrders();
      tally.faultsSurvived++;
    }

    it('answers 15 million levels of [ (30 MB) with the depth limit, as every JSON event type', async () => {
      const deep = brackets(15_000_000);
      for (const fn of ['create-order', 'echo-json', 'echo-array']) await survived(await attack(fn, deep), TOO_DEEP);
      expect(MAX_EVENT_DEPTH).to.equal(256);
    });

    it('answers 8 million empty objects (24 MB) in a DTO array and as a plain JSON array', async () => {
      const empties = arrayOf(8_000_000, '{}');
      await survived(await attack('create-order', orderWithItems(empties)), {
        errorType: 'ValidationError',
        constraint: 'maxArrayElements',
        path: 'items',
      });
      for (const fn of ['echo-json', 'echo-array']) await survived(await attack(fn, empties), TOO_BIG);
      expect(maxArrayElements).to.equal(10_000);
    });

    it('answers 1,000,000 unknown keys (11 MB) while serving others', async function () {
      // Unbounded, this took class-transformer over 170 s, and every other request waited.
      this.timeout(60_000);
      const flood = attack('create-order', `{${ORDER_HEAD},${VALID_ITEMS},${keys(1_000_000)}}`);
      await servesOrders();
      await survived(await flood, { errorType: 'ValidationError', constraint: 'maxObjectKeys' });
    });

    it('takes the worst plain JSON event the node limit lets through (one-key objects, distinct keys)', async () => {
      // About 100 bytes of heap per node: the costliest shape for JSON.parse.
      const objects = Array.from({ length: MAX_EVENT_NODES / 2 }, (_, i) => `{"k${i}":0}`).join(',');
      const answered = await attack('echo-array', `[${objects}]`);
      expect(answered.statusCode, answered.body.toString()).to.equal(200);
      expect(answered.body.toString()).to.equal(String(MAX_EVENT_NODES / 2));
      await servesOrders();
      tally.faultsSurvived++;
    });
  });
});
