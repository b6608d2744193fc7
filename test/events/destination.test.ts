import { expect } from 'chai';
import { IsString } from 'class-validator';
import { DestinationEvent, DestinationRequestContext, DestinationResponseContext, fixtures } from '../../src/events';
import { fieldErrorsOf, payloadFile, payloadOf, useDelivery } from './deliver';

class CreateOrder {
  @IsString() orderId!: string;
}

class CreateOrderFailed extends DestinationEvent.withRequestPayload(CreateOrder) {}

describe('DestinationEvent', () => {
  const deliver = useDelivery();

  it("takes the payload built from FC's documented shape, every part a class", async () => {
    const { statusCode, received, answer } = await deliver(
      DestinationEvent,
      payloadFile('documented/destination.json'),
    );
    expect(statusCode, JSON.stringify(answer)).to.equal(200);
    const event = received as DestinationEvent;
    expect(event).to.be.instanceOf(DestinationEvent);
    expect(event.requestContext).to.be.instanceOf(DestinationRequestContext);
    expect(event.responseContext).to.be.instanceOf(DestinationResponseContext);
    expect(event.requestContext).to.deep.include({ condition: 'UnhandledInvocationError', approximateInvokeCount: 4 });
    expect(answer).to.deep.equal(payloadOf('documented/destination.json'));
  });

  it('the fixture builds it, and an on-success one without condition and functionError', async () => {
    expect(fixtures.destination()).to.deep.equal(payloadOf('documented/destination.json'));
    const success = fixtures.destination({
      condition: undefined,
      functionError: undefined,
      approximateInvokeCount: 1,
      responsePayload: { orderId: 'o-1001', total: 42 },
    });
    expect(success.requestContext).to.not.have.property('condition');
    const { statusCode, received } = await deliver(DestinationEvent, success);
    expect(statusCode).to.equal(200);
    expect((received as DestinationEvent).responsePayload).to.equal('{"orderId":"o-1001","total":42}');
  });

  it('refuses one without its contexts, at the missing part', async () => {
    const { requestContext: _r, ...withoutRequest } = fixtures.destination();
    const errors = fieldErrorsOf(await deliver(DestinationEvent, withoutRequest));
    expect(errors.map((e) => e.path)).to.deep.equal(['requestContext']);
    const badCount = fieldErrorsOf(
      await deliver(DestinationEvent, fixtures.destination({ approximateInvokeCount: -1 })),
    );
    expect(badCount.map((e) => e.path)).to.deep.equal(['requestContext.approximateInvokeCount']);
  });

  it('withRequestPayload(Dto) validates the original event', async () => {
    expect(DestinationEvent.withRequestPayload(CreateOrder).name).to.equal('DestinationEvent<CreateOrder>');
    const { received } = await deliver(CreateOrderFailed, fixtures.destination({ requestPayload: { orderId: 'o-9' } }));
    expect((received as CreateOrderFailed).requestPayload).to.be.instanceOf(CreateOrder);
    expect((received as CreateOrderFailed).requestPayload.orderId).to.equal('o-9');
    const errors = fieldErrorsOf(await deliver(CreateOrderFailed, fixtures.destination({ requestPayload: '{}' })));
    expect(errors.map((e) => e.path)).to.deep.equal(['requestPayload.orderId']);
  });
});
