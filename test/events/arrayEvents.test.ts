import { expect } from 'chai';
import { IsInt, IsString, Min } from 'class-validator';
import {
  ConfigurationError,
  createKernel,
  Ctx,
  Event,
  FcFunction,
  OnInvoke,
  ValidationSettings,
  type Constructor,
  type EventType,
  type EventValidator,
  type FcContext,
} from '../../src';
import { KafkaEvent, KafkaEventBatch, RocketMqEventBatch, fixtures } from '../../src/events';
import { MAX_EVENT_DEPTH } from '../../src/validation/boundedJson';
import { okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';
import { fieldErrorsOf, payloadOf, useDelivery } from './deliver';

class OrderLine {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

@ValidationSettings({ forbidNonWhitelisted: false })
class LooseLine {
  @IsString() sku!: string;
}

const lines = [
  { sku: 'A', quantity: 2 },
  { sku: 'B', quantity: 1 },
];

/** A kernel built from a function whose event is `type`; answers the boot failure. */
function bootFailure(type: unknown): ConfigurationError {
  @FcFunction({ name: 'bad-array' })
  class BadArray {
    @OnInvoke() handle(@Event(type as EventType) event: unknown) {
      return event;
    }
  }
  try {
    createKernel({ functions: [BadArray], logSink: () => undefined, env: {} });
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('the kernel booted');
}

describe('array events', () => {
  describe('@Event([Dto])', () => {
    const deliver = useDelivery();

    it('hands over a plain array of validated instances', async () => {
      const { statusCode, received } = await deliver([OrderLine], lines);
      expect(statusCode).to.equal(200);
      expect(Array.isArray(received)).to.equal(true);
      expect(Object.getPrototypeOf(received)).to.equal(Array.prototype);
      const items = received as OrderLine[];
      expect(items).to.have.length(2);
      for (const item of items) expect(item).to.be.instanceOf(OrderLine);
      expect(items.map((i) => i.sku)).to.deep.equal(['A', 'B']);
    });

    it('accepts an empty array', async () => {
      const { statusCode, received } = await deliver([OrderLine], []);
      expect(statusCode).to.equal(200);
      expect(received).to.deep.equal([]);
    });

    it("re-roots each element's errors under its index, every element reported", async () => {
      const errors = fieldErrorsOf(
        await deliver(
          [OrderLine],
          [
            { sku: 'A', quantity: 1 },
            { sku: 7, quantity: 1 },
            { sku: 'C', quantity: 0 },
          ],
        ),
      );
      expect(errors).to.deep.equal([
        { path: '1.sku', constraints: { isString: 'sku must be a string' } },
        { path: '2.quantity', constraints: { min: 'quantity must not be less than 1' } },
      ]);
    });

    it("validates each element with its class's own settings, strict by default", async () => {
      const strict = fieldErrorsOf(await deliver([OrderLine], [{ sku: 'A', quantity: 1, extra: 1 }]));
      expect(strict.map((e) => e.path)).to.deep.equal(['0.extra']);
      const loose = await deliver([LooseLine], [{ sku: 'A', extra: 1 }]);
      expect(loose.statusCode).to.equal(200);
      expect(loose.received).to.deep.equal([Object.assign(new LooseLine(), { sku: 'A' })]);
    });

    for (const [body, got] of [
      [{ sku: 'A', quantity: 1 }, 'an object'],
      ['text', 'a string'],
      [null, 'null'],
    ] as const) {
      it(`answers a JSON body that is ${got} with an isArray error at the root`, async () => {
        const errors = fieldErrorsOf(await deliver([OrderLine], JSON.stringify(body)));
        expect(errors).to.deep.equal([
          { path: '', constraints: { isArray: `event must be a JSON array, got ${got}` } },
        ]);
      });
    }

    it('answers an element that is not an object at its index', async () => {
      const errors = fieldErrorsOf(await deliver([OrderLine], [{ sku: 'A', quantity: 1 }, [], 'x', null]));
      expect(errors).to.deep.equal([
        { path: '1', constraints: { isObject: 'event element 1 must be a JSON object, got an array' } },
        { path: '2', constraints: { isObject: 'event element 2 must be a JSON object, got a string' } },
        { path: '3', constraints: { isObject: 'event element 3 must be a JSON object, got null' } },
      ]);
    });

    it('refuses more elements than maxArrayElements before validating any', async () => {
      const many = Array.from({ length: 6 }, () => ({ sku: 'A', quantity: 1 }));
      const errors = fieldErrorsOf(await deliver([OrderLine], many, { maxArrayElements: 5 }));
      expect(errors).to.have.length(1);
      expect(errors[0]!.path).to.equal('');
      expect(errors[0]!.constraints.maxArrayElements).to.include('past 5 array elements');
    });

    it('still answers malformed JSON with an EventDecodeError', async () => {
      const { statusCode, answer } = await deliver([OrderLine], '[{"sku":');
      expect(statusCode).to.equal(404);
      expect(answer).to.include({ errorType: 'EventDecodeError' });
    });
  });

  describe('@OnInvoke({ event: [Dto] })', () => {
    const kernelOf = useTestKernels();

    it('takes the array form without parameter decorators', async () => {
      @FcFunction({ name: 'lines' })
      class Lines {
        @OnInvoke({ event: [OrderLine] })
        handle(items: OrderLine[], ctx: FcContext) {
          return { all: items.every((i) => i instanceof OrderLine), count: items.length, requestId: ctx.requestId };
        }
      }
      const tk = kernelOf([Lines]);
      const ok = await tk.invoke(lines, { requestId: 'r-1' });
      expect(okBody(ok)).to.deep.equal({ all: true, count: 2, requestId: 'r-1' });
      const bad = await tk.invoke([{ sku: 'A', quantity: -1 }]);
      expect(bad.statusCode).to.equal(404);
      expect(JSON.parse(String(bad.raw)).errors[0].path).to.equal('0.quantity');
    });

    it('records the array form with the other decorators', () => {
      @FcFunction({ name: 'lines-with-ctx' })
      class LinesWithCtx {
        @OnInvoke() handle(@Event([OrderLine]) items: OrderLine[], @Ctx() ctx: FcContext) {
          return [items, ctx];
        }
      }
      expect(() => kernelOf([LinesWithCtx])).to.not.throw();
    });
  });

  describe('a malformed array form fails at boot', () => {
    const cases: [string, unknown][] = [
      ['no class', []],
      ['two classes', [OrderLine, LooseLine]],
      ['a built-in', [String]],
      ['Object', [Object]],
      ['a nested array form', [[OrderLine]]],
      ['an array class', [RocketMqEventBatch]],
      ['a value', ['OrderLine']],
    ];
    for (const [what, type] of cases) {
      it(`${what}`, () => {
        const error = bootFailure(type);
        expect(error.code).to.equal('UNSUPPORTED_EVENT_TYPE');
        expect(error.message).to.match(/^BadArray\.handle: an array event type names the one DTO class/);
        expect(error.where).to.deep.include({ className: 'BadArray', method: 'handle', parameter: 0 });
      });
    }

    it('an element class without constraints', () => {
      class Bare {
        sku!: string;
      }
      const error = bootFailure([Bare as Constructor]);
      expect(error.code).to.equal('DTO_WITHOUT_CONSTRAINTS');
      expect(error.message).to.include('BadArray.handle: DTO Bare has no class-validator decorators');
    });
  });

  describe('elements that are strings of JSON (Kafka via EventBridge)', () => {
    const deliver = useDelivery();

    it('parses each string and validates it as the element class', async () => {
      const { statusCode, received } = await deliver(KafkaEventBatch, fixtures.kafka([{ offset: 1 }, { offset: 2 }]));
      expect(statusCode).to.equal(200);
      const batch = received as KafkaEventBatch;
      expect(batch).to.be.instanceOf(KafkaEventBatch);
      expect(batch.map((e) => e instanceof KafkaEvent && e.data.offset)).to.deep.equal([1, 2]);
    });

    it('answers an element that is not a string, or not JSON, or not an object, at its index', async () => {
      const [valid] = fixtures.kafka();
      const errors = fieldErrorsOf(await deliver(KafkaEventBatch, [valid, JSON.parse(valid!), '{"data":', '[1]']));
      expect(errors.map((e) => [e.path, Object.keys(e.constraints)[0]])).to.deep.equal([
        ['1', 'isString'],
        ['2', 'isJson'],
        ['3', 'isObject'],
      ]);
      expect(errors[0]!.constraints.isString).to.equal('event element 1 must be a string of JSON, got an object');
      expect(errors[1]!.constraints.isJson).to.match(/^event element 2 does not hold valid JSON \(.*not valid JSON/);
    });

    it("re-roots a parsed element's errors under its index, envelope and data alike", async () => {
      const elements = fixtures.kafka([{}, { offset: 'x' as unknown as number }]);
      const second = JSON.parse(elements[1]!);
      delete second.id;
      elements[1] = JSON.stringify(second);
      const errors = fieldErrorsOf(await deliver(KafkaEventBatch, elements));
      expect(errors.map((e) => e.path)).to.deep.equal(['1.id', '1.data.offset']);
    });

    it('bounds the nesting of a string element as it bounds a body', async () => {
      const deep = '['.repeat(MAX_EVENT_DEPTH + 1) + ']'.repeat(MAX_EVENT_DEPTH + 1);
      const errors = fieldErrorsOf(await deliver(KafkaEventBatch, [`{"data":${deep}}`]));
      expect(errors).to.have.length(1);
      expect(errors[0]!.path).to.equal('0');
      expect(errors[0]!.constraints.isJson).to.include(`nested deeper than ${MAX_EVENT_DEPTH} levels`);
    });
  });

  describe('declared array classes', () => {
    const deliver = useDelivery();

    it('a subclass of one inherits its array form and is handed over as itself', async () => {
      class OrderBatch extends RocketMqEventBatch {}
      const { statusCode, received } = await deliver(OrderBatch, payloadOf('rocketmq-batch.json') as object);
      expect(statusCode).to.equal(200);
      expect(received).to.be.instanceOf(OrderBatch);
      expect(received).to.have.length(2);
    });
  });
});

describe('array events: an engine failure that is not a validation error', () => {
  const kernelOf = useTestKernels();

  it('fails the invocation once, leaving no promise of another element unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // Element 0 fails late, element 1 at once: the late rejection must still be awaited.
      const engine: EventValidator = {
        compile: () => (plain) => {
          if ((plain as { sku: string }).sku === 'late') {
            return new Promise((_, reject) => setTimeout(() => reject(new TypeError('late failure')), 5));
          }
          throw new TypeError('immediate failure');
        },
      };
      @FcFunction({ name: 'lines' })
      class Lines {
        @OnInvoke() handle(@Event([OrderLine]) items: OrderLine[]) {
          return items;
        }
      }
      const tk = kernelOf([Lines], { validation: { validator: engine } });
      const response = await tk.invoke([{ sku: 'late' }, { sku: 'now' }]);
      expect(response.statusCode).to.equal(404);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
