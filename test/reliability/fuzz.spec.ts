import { expect } from 'chai';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from 'node:http';
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_VALIDATION_OPTIONS,
  Event,
  FcFunction,
  OnInvoke,
  type FcHttpServer,
} from '../../src';
import { CreateOrder } from '../../samples/order-service/CreateOrder';
import { MAX_BODY_FIELD_ERRORS } from '../../src/errors/errorBody';
import { MAX_EVENT_DEPTH } from '../../src/validation/boundedJson';
import {
  asReceived,
  isValidOrder,
  isValidShipment,
  jsonStringText,
  jsonValueText,
  nested,
  orderText,
  pollutionText,
  shipmentText,
} from './arbitraries';
import { tally } from './capture';
import { FUZZ_FUNCTION_NAMES, FUZZ_FUNCTIONS } from './functions';
import {
  capturedKernel,
  dispatchChecked,
  expectFcAnswer,
  expectFcError,
  expectNoPollution,
  fcHeaders,
  keepAliveAgent,
  listen,
  parseRawAnswer,
  prototypeSnapshot,
  rawConnect,
  readUntilClosed,
  sendChecked,
} from './harness';

/** What a fuzz target answers. */
interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
type Target = (fn: string, body: Buffer | string, headers?: Record<string, string>) => Promise<Answer>;

const ORDER_HEAD = '"orderId":"o-1","customerEmail":"buyer@example.com"';

/**
 * Inputs fuzzing found, kept as fixed cases: what, which function, the body, and the decided
 * answer (200, or the error type).
 */
const FOUND_BY_FUZZING: [string, string, string, number | string][] = [
  [
    'a constructor key inside an undeclared nested object',
    'create-order',
    '{"customerEmail":[[{"constructor":"x"}]]}',
    'ValidationError',
  ],
  [
    'a constructor key where a number is declared',
    'create-order',
    `{${ORDER_HEAD},"items":[{"sku":"s","quantity":1,"unitPrice":{"constructor":"x"}}]}`,
    'ValidationError',
  ],
  [
    'a constructor key two DTO levels down',
    'ship',
    '{"shipmentId":"s","parcels":[{"label":"p","weightGrams":1,"contents":[{"then":{"constructor":true}}]}]}',
    'ValidationError',
  ],
  [
    'constructor keys beside valid fields (dropped, as class-transformer drops them on DTOs)',
    'create-order',
    `{${ORDER_HEAD},"constructor":"x","items":[{"sku":"s","quantity":1,"unitPrice":1,"constructor":{"prototype":{"polluted":1}}}]}`,
    200,
  ],
  [
    'keys naming Object.prototype members (dropped by class-transformer, never on the instance)',
    'create-order',
    `{${ORDER_HEAD},"hasOwnProperty":"x","toString":1,"items":[{"sku":"s","quantity":1,"unitPrice":1,"__defineGetter__":1}]}`,
    200,
  ],
  [
    'an isPrototypeOf key two DTO levels down',
    'ship',
    '{"shipmentId":"s","parcels":[{"label":"p","weightGrams":1,"contents":[],"isPrototypeOf":{}}]}',
    200,
  ],
  ['an array where an order item is expected', 'create-order', `{${ORDER_HEAD},"items":[[]]}`, 'ValidationError'],
  [
    'an array of valid items where an order item is expected',
    'create-order',
    `{${ORDER_HEAD},"items":[[{"sku":"s","quantity":1,"unitPrice":1}]]}`,
    'ValidationError',
  ],
  ['an array where a parcel is expected', 'ship', '{"shipmentId":"s","parcels":[[]]}', 'ValidationError'],
  [
    'one order item where an array of them is declared',
    'ship',
    '{"shipmentId":"s","parcels":[{"label":"p","weightGrams":1,"contents":{"sku":"s","quantity":1,"unitPrice":1}}]}',
    'ValidationError',
  ],
  ['a lone surrogate where an email is declared', 'create-order', '{"customerEmail":"\\ud800"}', 'ValidationError'],
  [
    'a lone surrogate in a nested string',
    'create-order',
    `{${ORDER_HEAD},"items":[{"sku":"a\\udc00b","quantity":1,"unitPrice":1}]}`,
    'ValidationError',
  ],
  ['a lone surrogate in a property name', 'ship', '{"shipmentId":"s","parcels":[{"\\ud83d":1}]}', 'ValidationError'],
  [
    'a surrogate pair (well-formed) in a nested string',
    'create-order',
    `{${ORDER_HEAD},"items":[{"sku":"\\ud83d\\ude00","quantity":1,"unitPrice":1}]}`,
    200,
  ],
];

const JSON_FUNCTIONS = ['create-order', 'ship', 'echo-json', 'echo-array', 'sleepy'];
const functionName = fc.constantFrom(...FUZZ_FUNCTION_NAMES);

/** The order DTO with unknown properties stripped rather than forbidden, showing what it received. */
@FcFunction({ name: 'lenient-order', validation: { forbidNonWhitelisted: false } })
class LenientOrderFunction {
  @OnInvoke()
  keys(@Event() order: CreateOrder): { own: string[]; shadowed: boolean } {
    return {
      own: Object.keys(order).sort(),
      shadowed: typeof order.hasOwnProperty !== 'function' || typeof order.isPrototypeOf !== 'function',
    };
  }
}

describe('fuzzing the decoder, validation and kernel', function () {
  this.timeout(120_000);
  const fuzz = capturedKernel('fuzz kernel', { functions: FUZZ_FUNCTIONS });
  const pristine = prototypeSnapshot();
  let server: FcHttpServer;
  let agent: Agent;

  before(async () => {
    server = await listen(fuzz.kernel);
    agent = keepAliveAgent(8);
  });

  after(async () => {
    agent.destroy();
    await server.close();
  });

  /** Every run: one more input, and no built-in prototype touched. */
  function tried(): void {
    tally.inputsTried++;
    expectNoPollution(pristine);
  }

  const viaDispatch: Target = async (fn, body, headers = {}) => {
    const answer = await dispatchChecked(
      fuzz.kernel,
      { method: 'POST', path: '/invoke', headers: fcHeaders({ 'x-fc-function-name': fn, ...headers }), body },
      'fuzz dispatch',
    );
    return { ...answer, body: String(answer.body) };
  };

  const viaHttp: Target = async (fn, body, headers = {}) => {
    const answer = await sendChecked(server.port, {
      headers: fcHeaders({ 'x-fc-function-name': fn, 'content-type': 'application/octet-stream', ...headers }),
      body,
      agent,
      source: 'fuzz http',
    });
    return { statusCode: answer.statusCode, headers: answer.headers, body: answer.body.toString('utf8') };
  };

  const targets: [string, Target, number][] = [
    ['dispatch', viaDispatch, 300],
    ['the HTTP server', viaHttp, 100],
  ];

  for (const [label, target, runs] of targets) {
    describe(`through ${label}`, () => {
      it('answers random bytes with a result or an FC error', async () => {
        await fc.assert(
          fc.asyncProperty(functionName, fc.uint8Array({ maxLength: 2048 }), async (fn, bytes) => {
            const answer = await target(fn, Buffer.from(bytes));
            if (fn === 'echo-bytes') expect(answer.statusCode).to.equal(200);
            tried();
          }),
          { numRuns: runs },
        );
      });

      it('answers random and hostile JSON (edge numbers, lone surrogates, hostile keys)', async () => {
        const text = fc.oneof(jsonValueText, fc.json(), jsonStringText);
        await fc.assert(
          fc.asyncProperty(functionName, text, async (fn, json) => {
            const answer = await target(fn, json);
            const sent = asReceived(json);
            if (fn === 'echo-json') {
              expect(answer.statusCode).to.equal(200);
              // An object comes back as it went in (JSON.stringify turns -0 into 0, 1e309 into
              // null); a string or number is answered as text.
              if (sent !== null && typeof sent === 'object') {
                expect(JSON.parse(answer.body)).to.deep.equal(JSON.parse(JSON.stringify(sent)));
              }
            }
            tried();
          }),
          { numRuns: runs },
        );
      });

      it('never lets __proto__ or constructor.prototype reach a prototype, at any depth', async () => {
        await fc.assert(
          fc.asyncProperty(functionName, pollutionText, async (fn, json) => {
            await target(fn, json);
            tried();
          }),
          { numRuns: runs },
        );
      });

      it('accepts exactly the valid orders, whatever the wrong types and where', async () => {
        await fc.assert(
          fc.asyncProperty(orderText, async (json) => {
            const answer = await target('create-order', json);
            const event = asReceived(json) as { orderId: string; items: { quantity: number }[] };
            if (isValidOrder(event)) {
              expect(answer.statusCode, answer.body).to.equal(200);
              const accepted = JSON.parse(answer.body) as { orderId: string; itemCount: number; status: string };
              expect(accepted.orderId).to.equal(event.orderId);
              expect(accepted.status).to.equal('ACCEPTED');
            } else {
              expect(expectFcError(answer).errorType, answer.body).to.equal('ValidationError');
            }
            tried();
          }),
          { numRuns: runs * 2 },
        );
      });

      it('accepts exactly the valid shipments (two levels of nested DTO arrays)', async () => {
        await fc.assert(
          fc.asyncProperty(shipmentText, async (json) => {
            const answer = await target('ship', json);
            const event = asReceived(json) as { shipmentId: string; parcels: unknown[] };
            if (isValidShipment(event)) {
              expect(answer.statusCode, answer.body).to.equal(200);
              const result = JSON.parse(answer.body) as { shipmentId: string; parcels: number };
              expect(result).to.include({ shipmentId: event.shipmentId, parcels: event.parcels.length });
            } else {
              expect(expectFcError(answer).errorType, answer.body).to.equal('ValidationError');
            }
            tried();
          }),
          { numRuns: runs * 2 },
        );
      });

      it('answers the inputs fuzzing found as decided', async () => {
        for (const [what, fn, body, expected] of FOUND_BY_FUZZING) {
          const answer = await target(fn, body);
          if (expected === 200) expect(answer.statusCode, `${what}: ${answer.body}`).to.equal(200);
          else expect(expectFcError(answer).errorType, `${what}: ${answer.body}`).to.equal(expected);
          tried();
        }
      });

      for (const pattern of ['array', 'object', 'mixed', 'proto'] as const) {
        it(`answers 10,000 levels of nested ${pattern}s with an error that names the depth limit`, async () => {
          const deep = nested(10_000, pattern);
          const inOrder = `{"orderId":"o","customerEmail":"buyer@example.com","items":[{"sku":${deep},"quantity":1,"unitPrice":1}]}`;
          for (const fn of FUZZ_FUNCTION_NAMES) {
            for (const body of [deep, inOrder]) {
              const answer = await target(fn, body);
              if (JSON_FUNCTIONS.includes(fn)) {
                const error = expectFcError(answer);
                expect(error.errorType).to.equal('EventDecodeError');
                expect(error.errorMessage).to.match(/deeper than \d+ levels/);
              } else {
                expect(answer.statusCode).to.equal(200);
              }
              tried();
            }
          }
        });
      }

      it(`accepts ${MAX_EVENT_DEPTH} levels of nesting and rejects one more`, async () => {
        for (const pattern of ['array', 'object'] as const) {
          const atLimit = await target('echo-json', nested(MAX_EVENT_DEPTH, pattern));
          expect(atLimit.statusCode).to.equal(200);
          expect(expectFcError(await target('echo-json', nested(MAX_EVENT_DEPTH + 1, pattern))).errorType).to.equal(
            'EventDecodeError',
          );
          // At the limit inside a DTO: validated (the sku is not a string), not overflowed.
          const order = `{"orderId":"o","customerEmail":"buyer@example.com","items":[{"sku":${nested(MAX_EVENT_DEPTH - 3, pattern)},"quantity":1,"unitPrice":1}]}`;
          expect(expectFcError(await target('create-order', order)).errorType).to.equal('ValidationError');
          tried();
        }
      });

      it('answers huge arrays (1e6 elements) with a result or a bounded error', async () => {
        const million = `[${new Array(1e6).fill('1').join(',')}]`;
        expect((await target('echo-array', million)).body).to.equal('1000000');
        const echoed = await target('echo-json', million);
        expect((JSON.parse(echoed.body) as unknown[]).length).to.equal(1e6);
        for (const [fn, body, path] of [
          ['create-order', `{${ORDER_HEAD},"items":${million}}`, 'items'],
          [
            'ship',
            `{"shipmentId":"s","parcels":[{"label":"p","weightGrams":1,"contents":${million}}]}`,
            'parcels.0.contents',
          ],
        ]) {
          const error = expectFcError(await target(fn!, body!));
          expect(error.errorType).to.equal('ValidationError');
          expect(error.errors).to.deep.equal([
            {
              path,
              constraints: {
                maxArrayElements: `${path} takes the event past ${DEFAULT_VALIDATION_OPTIONS.maxArrayElements} array elements, the most a validated event may hold (validation option maxArrayElements)`,
              },
            },
          ]);
        }
        // Thousands of invalid fields: the body lists the first of them, the message counts the rest.
        const invalid = expectFcError(
          await target('create-order', `{${ORDER_HEAD},"items":[${new Array(1000).fill('{}').join(',')}]}`),
        );
        expect(invalid.errors!.length).to.equal(MAX_BODY_FIELD_ERRORS);
        expect(invalid.errorMessage).to.match(/; and \d+ more$/);
        tried();
      });

      it('answers a 32 MB event of 16 million array elements without running out of memory', async () => {
        const items = `[${new Array(16_000_000).fill('1').join(',')}]`;
        const body = `{${ORDER_HEAD},"items":${items}}`;
        expect(body.length).to.be.below(DEFAULT_BODY_LIMIT);
        expect(expectFcError(await target('create-order', body)).errors![0]!.constraints).to.have.property(
          'maxArrayElements',
        );
        tried();
      });

      it('validates an event of exactly maxArrayElements elements', async () => {
        const limit = DEFAULT_VALIDATION_OPTIONS.maxArrayElements;
        const parcels = `[{"label":"p","weightGrams":1,"contents":[${new Array(limit - 1).fill('{"sku":"s","quantity":1,"unitPrice":1}').join(',')}]}]`;
        const answer = await target('ship', `{"shipmentId":"s","parcels":${parcels}}`);
        expect(JSON.parse(answer.body)).to.deep.equal({ shipmentId: 's', parcels: 1, items: limit - 1 });
        tried();
      });

      it('answers mutated real FC trigger payloads', async () => {
        // The vendored copy of the shared payloads (test/e2e checks it is unchanged): CI has no ../shared.
        const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fc-events');
        const events = readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => readFileSync(join(dir, f)));
        const mutation = fc.tuple(
          fc.constantFrom(...events),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
          fc.nat(),
        );
        await fc.assert(
          fc.asyncProperty(mutation, functionName, async ([event, flips, cut], fn) => {
            const bytes = Buffer.from(event);
            for (const [at, value] of flips) bytes[at % bytes.length] = value;
            const body = flips.length % 2 === 0 ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
            await target(fn, body);
            tried();
          }),
          { numRuns: runs },
        );
      });

      it('keeps FC header values from breaking an invocation (timeouts, counts, tracing, ids)', async () => {
        const seconds = fc.oneof(
          fc.constantFrom('1e308', '3000000', '2147484', '86400', 'Infinity', '-1', '0', 'NaN', '', 'abc', '1e-400'),
          fc.double({ min: 1, max: 1e12, noNaN: true }).map(String),
        );
        const baggage = fc
          .oneof(pollutionText, jsonValueText)
          .map((json) => Buffer.from(json).toString('base64'))
          .chain((b64) => fc.constantFrom(b64, b64.slice(1), '!!not base64!!'));
        const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });
        await fc.assert(
          fc.asyncProperty(seconds, printable, baggage, printable, async (timeout, retry, bag, memory) => {
            const answer = await target('sleepy', '{}', {
              'x-fc-function-timeout': timeout,
              'x-fc-retry-count': retry,
              'x-fc-function-memory': memory,
              'x-fc-tracing-opentracing-span-baggages': bag,
            });
            // Every timeout here is at least a second (or none at all): a 5 ms handler answers.
            expect(answer.statusCode, `timeout ${timeout}: ${answer.body}`).to.equal(200);
            expect(JSON.parse(answer.body)).to.have.property('aborted', false);
            tried();
          }),
          { numRuns: Math.min(runs, 100) },
        );
      });
    });
  }

  it('never puts keys naming Object.prototype members on a DTO instance', async () => {
    const lenient = capturedKernel('lenient kernel', { functions: [LenientOrderFunction] });
    try {
      const body = `{${ORDER_HEAD},"hasOwnProperty":"x","isPrototypeOf":1,"extra":true,"items":[{"sku":"s","quantity":1,"unitPrice":1}]}`;
      const answer = await dispatchChecked(lenient.kernel, {
        method: 'POST',
        path: '/invoke',
        headers: fcHeaders(),
        body,
      });
      expect(JSON.parse(String(answer.body))).to.deep.equal({
        own: ['customerEmail', 'items', 'orderId'],
        shadowed: false,
      });
      tried();
    } finally {
      await lenient.close();
    }
  });

  describe('at the HTTP parser', () => {
    /** Sends bytes on a fresh connection; any answer must be FC's error shape. */
    async function rawRound(bytes: Buffer): Promise<void> {
      const socket = await rawConnect(server.port);
      const answered = readUntilClosed(socket, 2_000);
      socket.write(bytes);
      const closedSoon = await Promise.race([
        answered.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 200)),
      ]);
      // A request still waiting for more: finish our half, then the server answers or closes.
      if (!closedSoon) socket.end();
      const text = await answered;
      if (text.length > 0) {
        const raw = parseRawAnswer(text);
        expectFcAnswer(raw.statusCode, raw.headers, raw.body);
      }
    }

    it('answers random bytes on a raw connection with an FC error or a close, and keeps serving', async () => {
      const prefix = fc.constantFrom('', 'POST /invoke HTTP/1.1\r\n', 'GET /pre-stop HTTP/1.1\r\nHost: x\r\n');
      await fc.assert(
        fc.asyncProperty(prefix, fc.uint8Array({ minLength: 1, maxLength: 512 }), async (head, bytes) => {
          await rawRound(Buffer.concat([Buffer.from(head, 'latin1'), bytes, Buffer.from('\r\n\r\n')]));
          tried();
        }),
        { numRuns: 60 },
      );
      const ok = await viaHttp('echo-text', 'still here');
      expect(ok.body).to.equal('still here');
    });

    it('answers hostile header names and values (__proto__, constructor, odd request ids)', async () => {
      const name = fc.constantFrom('__proto__', 'constructor', 'prototype', 'x-fc-request-id', 'x-fc-function-name');
      const value = fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ''));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 6 }), async (headers) => {
          const lines = headers.map(([n, v]) => `${n}: ${v}`).join('\r\n');
          const body = '"hi"';
          const request =
            `POST /invoke HTTP/1.1\r\nHost: x\r\nx-fc-function-name: echo-text\r\n${lines}\r\n` +
            `content-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`;
          await rawRound(Buffer.from(request, 'latin1'));
          tried();
        }),
        { numRuns: 60 },
      );
    });
  });
});
