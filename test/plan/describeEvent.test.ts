import { expect } from 'chai';
import {
  IsEmail,
  IsInt,
  IsString,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import {
  classValidatorEventValidator,
  Event,
  FcFunction,
  OnInvoke,
  type EventType,
  type EventValidator,
} from '../../src';
import { CloudEvent, KafkaEventBatch, OssEvent, RocketMqEventBatch, TimerEvent } from '../../src/events';
import type { ObjectValidationDescription, ValidationDescription } from '../../src/plan/describeEvent';
import { describeFunctions } from '../../src/plan/describeFunctions';

class OrderLine {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

class ReportConfig {
  @IsString() title!: string;
  @IsEmail({}, { each: true }) recipients!: string[];
}

/** What a function whose event is `type` is described with: its event and problems. */
function eventOf(type: unknown, validator?: EventValidator) {
  @FcFunction({ name: 'typed' })
  class Typed {
    @OnInvoke() handle(@Event(type as EventType) _event: unknown) {}
  }
  const { functions, problems } = describeFunctions({ functions: [Typed], validation: { validator } });
  return { event: functions[0]!.event!, problems: problems.map((p) => p.code) };
}

function asObject(validation: ValidationDescription | null | undefined): ObjectValidationDescription {
  if (validation?.form !== 'object') expect.fail(`an object validation, got ${JSON.stringify(validation)}`);
  return validation;
}

const TOLERANT = { whitelist: true, forbidNonWhitelisted: false };

describe("describeEvent: fc-kernel/events' trigger classes and array events, like any DTO", () => {
  it('OssEvent: its records and their nested classes, tolerant of fields FC adds', () => {
    const { event, problems } = eventOf(OssEvent);
    expect(problems).to.deep.equal([]);
    expect(event).to.deep.include({ type: 'OssEvent', decoding: 'validated' });
    const oss = asObject(event.validation);
    expect(oss).to.deep.include({ class: 'OssEvent', settings: TOLERANT, envelope: null });
    expect(oss.options).to.deep.include({ forbidNonWhitelisted: false });
    const events = oss.fields.find((f) => f.name === 'events')!;
    expect(events.nested).to.deep.include({ class: 'OssEventRecord', each: true });
    const record = events.nested!.fields!;
    expect(record.map((f) => f.name)).to.include.members(['eventName', 'eventSource', 'oss', 'userIdentity']);
    const object = record.find((f) => f.name === 'oss')!.nested!.fields!.find((f) => f.name === 'object')!;
    expect(object.nested!.fields!.map((f) => [f.name, f.optional])).to.deep.include.members([
      ['key', false],
      ['size', true],
      ['eTag', true],
    ]);
  });

  it('[OrderLine]: a JSON array, each element validated as OrderLine with its own settings', () => {
    const { event, problems } = eventOf([OrderLine]);
    expect(problems).to.deep.equal([]);
    expect(event.type).to.equal('[OrderLine]');
    const array = event.validation!;
    if (array.form !== 'array') expect.fail('an array validation');
    expect(array).to.deep.include({ elements: 'json', collection: null, maxElements: 10_000 });
    const line = asObject(array.element);
    expect(line).to.deep.include({ class: 'OrderLine', settings: null, envelope: null });
    expect(line.fields.map((f) => f.name)).to.deep.equal(['sku', 'quantity']);
  });

  it('KafkaEventBatch: strings of JSON, each a CloudEvent whose data is a KafkaMessage', () => {
    const { event, problems } = eventOf(KafkaEventBatch);
    expect(problems).to.deep.equal([]);
    const batch = event.validation!;
    if (batch.form !== 'array') expect.fail('an array validation');
    expect(batch).to.deep.include({ elements: 'json-string', collection: 'KafkaEventBatch' });
    const element = asObject(batch.element);
    expect(element).to.deep.include({ class: 'KafkaEvent', settings: TOLERANT });
    expect(element.envelope).to.deep.include({ property: 'data', encoding: 'json' });
    const message = asObject(element.envelope!.payload);
    expect(message.class).to.equal('KafkaMessage');
    expect(message.fields.map((f) => f.name)).to.include.members(['topic', 'partition', 'offset', 'value']);
  });

  it('RocketMqEventBatch: a top-level array of JSON objects', () => {
    const batch = eventOf(RocketMqEventBatch).event.validation!;
    if (batch.form !== 'array') expect.fail('an array validation');
    expect(batch).to.deep.include({ elements: 'json', collection: 'RocketMqEventBatch' });
    expect(asObject(batch.element).class).to.equal('RocketMqEvent');
  });

  it("TimerEvent.withPayload and CloudEvent.of: the user's class validated on its own, strict", () => {
    const timer = asObject(eventOf(TimerEvent.withPayload(ReportConfig)).event.validation);
    expect(timer).to.deep.include({ class: 'TimerEvent<ReportConfig>', settings: TOLERANT });
    expect(timer.envelope).to.deep.include({ property: 'payload', encoding: 'json-string' });
    const config = asObject(timer.envelope!.payload);
    expect(config).to.deep.include({ class: 'ReportConfig', settings: null });
    expect(config.options.forbidNonWhitelisted).to.equal(true);
    expect(config.fields[1]).to.deep.include({ name: 'recipients' });
    expect(config.fields[1]!.constraints).to.deep.equal([{ name: 'isEmail', args: [{}], each: true }]);

    const cloud = asObject(eventOf(CloudEvent.of(OrderLine)).event.validation);
    expect(cloud.class).to.equal('CloudEvent<OrderLine>');
    expect(cloud.envelope).to.deep.include({ property: 'data', encoding: 'json' });
    expect(asObject(cloud.envelope!.payload).class).to.equal('OrderLine');
    // The generic CloudEvent: its data is any JSON, unvalidated.
    expect(asObject(eventOf(CloudEvent).event.validation).envelope).to.equal(null);
  });

  it('the default engine compiles a DTO it can plan, and says so', () => {
    const engine = asObject(eventOf(OrderLine).event.validation).engine;
    expect(engine).to.deep.include({ engine: 'compiled' });
  });

  it('an engine that answers asynchronously for a class says so', () => {
    @ValidatorConstraint({ name: 'isKnownSku' })
    class IsKnownSku implements ValidatorConstraintInterface {
      validate() {
        return true;
      }
    }
    class Checked {
      @Validate(IsKnownSku) sku!: string;
    }
    const engine = asObject(eventOf(Checked, classValidatorEventValidator).event.validation).engine;
    expect(engine.engine).to.equal('class-validator');
    expect(engine.reason).to.match(/^validate, a promise per event/);
    expect(asObject(eventOf(OrderLine, classValidatorEventValidator).event.validation).engine.reason).to.match(
      /^validateSync/,
    );
  });

  it('an unsupported type is described as such, with its problem', () => {
    for (const type of [Number, [Object], [OrderLine, OrderLine]]) {
      const { event, problems } = eventOf(type);
      expect(event.decoding, String(type)).to.equal('unsupported');
      expect(event.validation).to.equal(null);
      expect(problems).to.deep.equal(['UNSUPPORTED_EVENT_TYPE']);
    }
  });
});
