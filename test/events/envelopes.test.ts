import { expect } from 'chai';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsEmail, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Event, FcFunction, OnInvoke } from '../../src';
import { CloudEvent, fixtures, TimerEvent } from '../../src/events';
import { okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';
import { fieldErrorsOf, payloadOf, useDelivery } from './deliver';

class Line {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

class OrderPlaced {
  @IsString() orderId!: string;
  @ValidateNested({ each: true }) @Type(() => Line) @ArrayMinSize(1) lines!: Line[];
}

class ReportConfig {
  @IsString() title!: string;
  @IsEmail({}, { each: true }) recipients!: string[];
}

class OrderPlacedEvent extends CloudEvent.of(OrderPlaced) {}
class ReportTick extends TimerEvent.withPayload(ReportConfig) {}

const order = { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] };
const report = { title: 'Daily sales', recipients: ['ops@example.com'] };

describe('envelopes', () => {
  describe('CloudEvent.of(Data)', () => {
    const deliver = useDelivery();

    it('makes one class per data class, named for it', () => {
      expect(CloudEvent.of(OrderPlaced)).to.equal(CloudEvent.of(OrderPlaced));
      expect(CloudEvent.of(OrderPlaced)).to.not.equal(CloudEvent.of(Line));
      expect(CloudEvent.of(OrderPlaced).name).to.equal('CloudEvent<OrderPlaced>');
      expect(new OrderPlacedEvent()).to.be.instanceOf(CloudEvent);
    });

    it('hands over the envelope with data validated as the data class', async () => {
      const { statusCode, received } = await deliver(OrderPlacedEvent, fixtures.cloudEvent(order));
      expect(statusCode).to.equal(200);
      const event = received as OrderPlacedEvent;
      expect(event).to.be.instanceOf(OrderPlacedEvent);
      expect(event.data).to.be.instanceOf(OrderPlaced);
      expect(event.data.lines[0]).to.be.instanceOf(Line);
      expect(event.data.orderId).to.equal('o-1');
      expect(event.source).to.equal('acs:eventbridge');
    });

    it('strips unknown envelope attributes while the data class stays strict', async () => {
      const tolerated = await deliver(OrderPlacedEvent, { ...fixtures.cloudEvent(order), traceparent: '00-1-2-01' });
      expect(tolerated.statusCode).to.equal(200);
      expect(tolerated.received).to.not.have.property('traceparent');

      const errors = fieldErrorsOf(await deliver(OrderPlacedEvent, fixtures.cloudEvent({ ...order, coupon: 'FREE' })));
      expect(errors).to.deep.equal([
        { path: 'data.coupon', constraints: { whitelistValidation: 'property coupon should not exist' } },
      ]);
    });

    it("re-roots the data's errors under data., nested paths included, with the envelope's", async () => {
      const event = { ...fixtures.cloudEvent({ orderId: 5, lines: [{ sku: 'A', quantity: 0 }] }), id: 7 };
      const errors = fieldErrorsOf(await deliver(OrderPlacedEvent, event));
      expect(errors.map((e) => e.path)).to.deep.equal(['id', 'data.orderId', 'data.lines.0.quantity']);
    });

    for (const [what, data, got] of [
      ['missing', undefined, 'data must be an object'],
      ['a string', 'o-1', 'data must be an object'],
      ['an array', [order], 'data must be an object'],
      ['null', null, 'data must be an object'],
    ] as const) {
      it(`answers data that is ${what} once, as the envelope's error`, async () => {
        const errors = fieldErrorsOf(await deliver(OrderPlacedEvent, fixtures.cloudEvent(data)));
        expect(errors).to.deep.equal([{ path: 'data', constraints: { isObject: got } }]);
      });
    }

    it('as it is, CloudEvent takes any data unvalidated', async () => {
      for (const data of ['text', 42, [1, 2], { any: 'thing' }]) {
        const { statusCode, received } = await deliver(CloudEvent, fixtures.cloudEvent(data));
        expect(statusCode).to.equal(200);
        expect((received as CloudEvent).data).to.deep.equal(data);
      }
    });

    it('an element of an array event may be an envelope', async () => {
      const batch = [fixtures.cloudEvent(order), fixtures.cloudEvent({ orderId: 'o-2', lines: [] })];
      const errors = fieldErrorsOf(await deliver([OrderPlacedEvent], batch));
      expect(errors.map((e) => e.path)).to.deep.equal(['1.data.lines']);
    });
  });

  describe('TimerEvent.withPayload(Config)', () => {
    const deliver = useDelivery();
    const kernelOf = useTestKernels();

    it('makes one class per payload class, named for it', () => {
      expect(TimerEvent.withPayload(ReportConfig)).to.equal(TimerEvent.withPayload(ReportConfig));
      expect(TimerEvent.withPayload(ReportConfig).name).to.equal('TimerEvent<ReportConfig>');
      expect(new ReportTick()).to.be.instanceOf(TimerEvent);
    });

    it('parses the payload string and validates it as the payload class', async () => {
      const { statusCode, received } = await deliver(ReportTick, fixtures.timer({ payload: report }));
      expect(statusCode).to.equal(200);
      const tick = received as ReportTick;
      expect(tick).to.be.instanceOf(ReportTick);
      expect(tick.payload).to.be.instanceOf(ReportConfig);
      expect(tick.payload).to.deep.include(report);
      expect(tick.triggerName).to.equal('TestTimer');
    });

    it("answers the payload's field errors under payload.", async () => {
      const errors = fieldErrorsOf(
        await deliver(ReportTick, fixtures.timer({ payload: { title: 1, recipients: ['not-an-email'], cc: [] } })),
      );
      expect(errors.map((e) => e.path)).to.deep.equal(['payload.cc', 'payload.title', 'payload.recipients']);
    });

    it('answers a payload that is not JSON, or not a JSON object, at payload', async () => {
      const notJson = fieldErrorsOf(await deliver(ReportTick, payloadOf('timer.json') as object));
      expect(notJson).to.have.length(1);
      expect(notJson[0]!.path).to.equal('payload');
      expect(notJson[0]!.constraints.isJson).to.match(/^payload does not hold valid JSON \(/);

      const notObject = fieldErrorsOf(await deliver(ReportTick, fixtures.timer({ payload: '[1,2]' })));
      expect(notObject).to.deep.equal([
        { path: 'payload', constraints: { isObject: 'payload must hold a JSON object, got an array' } },
      ]);
    });

    it('answers a payload that is not a string with the envelope error alone', async () => {
      const errors = fieldErrorsOf(await deliver(ReportTick, { ...fixtures.timer(), payload: report }));
      expect(errors).to.deep.equal([{ path: 'payload', constraints: { isString: 'payload must be a string' } }]);
    });

    it('works with the declared parameter type', async () => {
      @FcFunction({ name: 'report' })
      class DailyReport {
        @OnInvoke() handle(@Event() tick: ReportTick) {
          return { title: tick.payload.title, configured: tick.payload instanceof ReportConfig };
        }
      }
      const tk = kernelOf([DailyReport]);
      expect(okBody(await tk.invoke(fixtures.timer({ payload: report })))).to.deep.equal({
        title: 'Daily sales',
        configured: true,
      });
    });
  });
});
