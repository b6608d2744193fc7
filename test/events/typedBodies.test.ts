import { expect } from 'chai';
import { IsInt, IsString, Min } from 'class-validator';
import { Event, FcFunction, OnInvoke, ValidationError, EventDecodeError, validateJson } from '../../src';
import {
  fixtures,
  KafkaEventBatch,
  MnsQueueEvent,
  MnsQueueMessage,
  MnsTopicEvent,
  RocketMqEvent,
  RocketMqEventBatch,
  TimerEvent,
} from '../../src/events';
import { okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';
import { fieldErrorsOf, useDelivery } from './deliver';

class Refund {
  @IsString() orderId!: string;
  @IsInt() @Min(1) amountCents!: number;
}

class RefundMessage extends MnsQueueEvent.withBody(Refund) {}

const refund = { orderId: 'o-1', amountCents: 250 };

describe('typed message bodies', () => {
  const deliver = useDelivery();
  const kernelOf = useTestKernels();

  describe('MnsQueueEvent.withBody(Dto)', () => {
    it('makes one class per body class, an MnsQueueEvent named for it', () => {
      expect(MnsQueueEvent.withBody(Refund)).to.equal(MnsQueueEvent.withBody(Refund));
      expect(MnsQueueEvent.withBody(Refund).name).to.equal('MnsQueueEvent<Refund>');
      expect(MnsQueueMessage.withBody(Refund).name).to.equal('MnsQueueMessage<Refund>');
      expect(new RefundMessage()).to.be.instanceOf(MnsQueueEvent);
    });

    it('hands over the message body parsed and validated as the body class', async () => {
      @FcFunction({ name: 'on-refund' })
      class OnRefund {
        @OnInvoke() handle(@Event() event: RefundMessage) {
          const body = event.data.messageBody;
          return { isRefund: body instanceof Refund, orderId: body.orderId, id: event.data.messageId };
        }
      }
      const tk = kernelOf([OnRefund]);
      const res = await tk.invoke(fixtures.mnsQueue({ messageBody: refund, messageId: 'm-1' }));
      expect(okBody(res)).to.deep.equal({ isRefund: true, orderId: 'o-1', id: 'm-1' });
    });

    it("answers the body's field errors under data.messageBody, strictly", async () => {
      const errors = fieldErrorsOf(
        await deliver(RefundMessage, fixtures.mnsQueue({ messageBody: { orderId: 'o-1', amountCents: 0, note: 'x' } })),
      );
      expect(errors.map((e) => e.path)).to.deep.equal(['data.messageBody.note', 'data.messageBody.amountCents']);
    });

    it('answers a body that is not JSON, or not an object, at data.messageBody', async () => {
      const notJson = fieldErrorsOf(await deliver(RefundMessage, fixtures.mnsQueue({ messageBody: 'TEST' })));
      expect(notJson.map((e) => [e.path, Object.keys(e.constraints)])).to.deep.equal([
        ['data.messageBody', ['isJson']],
      ]);
      const notObject = fieldErrorsOf(await deliver(RefundMessage, fixtures.mnsQueue({ messageBody: '[1]' })));
      expect(notObject).to.deep.equal([
        { path: 'data.messageBody', constraints: { isObject: 'messageBody must hold a JSON object, got an array' } },
      ]);
    });

    it("parses the body within the function's limits, not the defaults", async () => {
      // The envelope has 14 attributes: within 20; the body's 23 keys are not.
      const wide = { ...refund, ...Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) };
      const errors = fieldErrorsOf(
        await deliver(RefundMessage, fixtures.mnsQueue({ messageBody: wide }), { maxObjectKeys: 20 }),
      );
      expect(errors).to.have.length(1);
      expect(errors[0]!.path).to.equal('data.messageBody');
      expect(errors[0]!.constraints).to.have.property('maxObjectKeys');
    });
  });

  it('TimerEvent.withPayload parses the payload within the function limits too', async () => {
    class Config {
      @IsString() title!: string;
    }
    const payload = { title: 't', ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, i])) };
    const errors = fieldErrorsOf(
      await deliver(TimerEvent.withPayload(Config), fixtures.timer({ payload }), { maxObjectKeys: 4 }),
    );
    expect(Object.keys(errors[0]!.constraints)).to.deep.equal(['maxObjectKeys']);
  });

  it('MnsTopicEvent.withBody(Dto) validates Message', async () => {
    const Notice = MnsTopicEvent.withBody(Refund);
    const { statusCode, received } = await deliver(Notice, fixtures.mnsTopic({ Message: refund }));
    expect(statusCode).to.equal(200);
    expect((received as InstanceType<typeof Notice>).Message).to.be.instanceOf(Refund);
    const errors = fieldErrorsOf(await deliver(Notice, fixtures.mnsTopic({ Message: { orderId: 1, amountCents: 1 } })));
    expect(errors.map((e) => e.path)).to.deep.equal(['Message.orderId']);
  });

  it('RocketMqEvent.withBody and RocketMqEventBatch.withBody validate data.body', async () => {
    const one = await deliver(RocketMqEvent.withBody(Refund), fixtures.rocketMq({ body: refund }));
    expect(one.statusCode).to.equal(200);
    const Batch = RocketMqEventBatch.withBody(Refund);
    expect(Batch.name).to.equal('RocketMqEventBatch<Refund>');
    const batch = await deliver(Batch, fixtures.rocketMqBatch([{ body: refund }, { body: refund }]));
    expect(batch.received).to.be.instanceOf(Batch);
    expect((batch.received as InstanceType<typeof Batch>)[1]!.data.body).to.be.instanceOf(Refund);
    const errors = fieldErrorsOf(await deliver(Batch, fixtures.rocketMqBatch([{ body: refund }, { body: '{}' }])));
    expect(errors.map((e) => e.path)).to.deep.equal(['1.data.body.orderId', '1.data.body.amountCents']);
  });

  it('KafkaEventBatch.withBody validates every record value', async () => {
    class OrderRecords extends KafkaEventBatch.withBody(Refund) {}
    const ok = await deliver(OrderRecords, fixtures.kafka([{ value: refund, offset: 7 }]));
    expect(ok.statusCode).to.equal(200);
    const records = ok.received as OrderRecords;
    expect(records).to.be.instanceOf(OrderRecords);
    expect(records[0]!.data.value).to.be.instanceOf(Refund);
    expect(records[0]!.data.offset).to.equal(7);
    const errors = fieldErrorsOf(await deliver(OrderRecords, fixtures.kafka([{ value: refund }, { value: 'b' }])));
    expect(errors.map((e) => [e.path, Object.keys(e.constraints)])).to.deep.equal([['1.data.value', ['isJson']]]);
  });
});

describe('validateJson', () => {
  it('answers the validated instance of JSON in a string', async () => {
    const value = await validateJson('{"orderId":"o-1","amountCents":5}', Refund);
    expect(value).to.be.instanceOf(Refund);
    expect(value).to.deep.include({ orderId: 'o-1', amountCents: 5 });
    const list = await validateJson(Buffer.from('[{"orderId":"o-2","amountCents":1}]'), [Refund]);
    expect(list[0]).to.be.instanceOf(Refund);
  });

  it('rejects with the errors an event body would get', async () => {
    const invalid = await validateJson('{"orderId":"o-1","amountCents":0,"x":1}', Refund).catch((e: unknown) => e);
    expect(invalid).to.be.instanceOf(ValidationError);
    expect((invalid as ValidationError).errors.map((e) => e.path)).to.deep.equal(['x', 'amountCents']);
    const notJson = await validateJson("b'{}'", Refund).catch((e: unknown) => e);
    expect(notJson).to.be.instanceOf(EventDecodeError);
  });

  it('applies the limits and settings it is given', async () => {
    const wide = JSON.stringify({ ...refund, a: 1, b: 2 });
    const tooWide = await validateJson(wide, Refund, { maxObjectKeys: 3 }).catch((e: unknown) => e);
    expect((tooWide as ValidationError).errors[0]!.constraints).to.have.property('maxObjectKeys');
    const stripped = await validateJson(wide, Refund, { forbidNonWhitelisted: false });
    expect(stripped).to.not.have.property('a');
  });
});
