import 'reflect-metadata';
import { expect } from 'chai';
import { Expose, plainToInstance, Transform, Type, type TypeHelpOptions } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsIBAN,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  registerDecorator,
  validate,
  Validate,
  ValidateNested,
  ValidatePromise,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { Event, FcFunction, OnInvoke } from '../../../src';
import type { Constructor } from '../../../src/metadata/records';
import { useTestKernels } from '../../helpers/testKernels';
import { flattenValidationErrors } from '../../../src/validation/flattenErrors';
import { differenceBetween, outcomeOf, type Outcome } from './differential';
import { classValidatorEventValidator } from '../../../src/validation/ClassValidatorEventValidator';
import { compiledEventValidator } from '../../../src/validation/compiled';
import { resolveValidationOptions, type EventValidationOptions } from '../../../src/validation/options';

// Shapes on which an engine once answered otherwise than class-transformer + class-validator
// themselves: each event is run through `plainToInstance` and `validate` directly (the truth),
// and through both engines, each on its own copy of the event.

const lenient: EventValidationOptions = { whitelist: false, forbidNonWhitelisted: false };

async function truthOf(dto: Constructor, event: unknown, options: EventValidationOptions): Promise<Outcome> {
  const resolved = resolveValidationOptions(options);
  const instance = plainToInstance(dto, event, { enableImplicitConversion: resolved.enableImplicitConversion });
  const errors = await validate(instance as object, {
    whitelist: resolved.whitelist,
    forbidNonWhitelisted: resolved.forbidNonWhitelisted,
    forbidUnknownValues: resolved.forbidUnknownValues,
    validationError: { target: false, value: false },
  });
  return errors.length > 0
    ? { kind: 'invalid', errors: flattenValidationErrors(errors) }
    : { kind: 'instance', value: instance };
}

/** Both engines answer what class-validator answers on `event` (given as JSON text). */
async function expectAgreement(dto: Constructor, json: string, expected: Outcome['kind'], options = lenient) {
  const truth = await truthOf(dto, JSON.parse(json), options);
  expect(truth.kind, `class-validator on ${json}: ${JSON.stringify(truth)}`).to.equal(expected);
  const resolved = resolveValidationOptions(options);
  for (const engine of [classValidatorEventValidator, compiledEventValidator]) {
    const name = engine === compiledEventValidator ? 'compiled' : 'class-validator';
    const outcome = await outcomeOf(engine.compile(dto, resolved), JSON.parse(json));
    const difference = differenceBetween(truth, outcome, '$');
    expect(difference, `${name} engine on ${json}: ${JSON.stringify(outcome)}`).to.equal(undefined);
  }
}

// --- @Type functions that read their options whatever their arity ------------------------------

class CardMethod {
  @IsOptional() @IsString() @Length(16, 16) number?: string;
}
class IbanMethod {
  @IsIBAN() iban!: string;
}

class DefaultedParameter {
  @IsIn(['card', 'iban']) kind!: string;
  @ValidateNested()
  @Type(({ object }: Partial<TypeHelpOptions> = {}) =>
    (object as { kind?: string } | undefined)?.kind === 'iban' ? IbanMethod : CardMethod,
  )
  method!: CardMethod | IbanMethod;
}

class RestParameter {
  @IsIn(['card', 'iban']) kind!: string;
  @ValidateNested()
  @Type((...args: (TypeHelpOptions | undefined)[]) =>
    (args[0]?.object as { kind?: string })?.kind === 'iban' ? IbanMethod : CardMethod,
  )
  method!: CardMethod | IbanMethod;
}

class ArgumentsObject {
  @IsIn(['card', 'iban']) kind!: string;
  @ValidateNested()
  @Type(function () {
    // eslint-disable-next-line prefer-rest-params -- the shape under test
    const options = arguments[0] as TypeHelpOptions | undefined;
    return (options?.object as { kind?: string } | undefined)?.kind === 'iban' ? IbanMethod : CardMethod;
  })
  method!: CardMethod | IbanMethod;
}

/** Written as class-transformer documents it: the options are always given. */
class DocumentedForm {
  @IsIn(['card', 'iban']) kind!: string;
  @ValidateNested()
  @Type((options) => ((options!.object as { kind: string }).kind === 'iban' ? IbanMethod : CardMethod))
  method!: CardMethod | IbanMethod;
}

describe('engines against class-validator, on shapes that once split them', () => {
  describe('@Type functions that read their options', () => {
    for (const dto of [DefaultedParameter, RestParameter, ArgumentsObject, DocumentedForm]) {
      it(`decides the type per event: ${dto.name}`, async () => {
        await expectAgreement(dto, '{"kind":"iban","method":{"iban":"not an iban"}}', 'invalid');
        await expectAgreement(dto, '{"kind":"iban","method":{"iban":"DE89370400440532013000"}}', 'instance');
        await expectAgreement(dto, '{"kind":"card","method":{"number":"12"}}', 'invalid');
        await expectAgreement(dto, '{"kind":"card","method":{}}', 'instance');
      });
    }
  });

  describe('discriminator subtypes', () => {
    it('runs an asynchronous constraint reachable only through a subtype', async () => {
      await expectAgreement(AsyncThroughSubtype, '{"item":{"kind":"checked","answer":"no"}}', 'invalid');
      await expectAgreement(AsyncThroughSubtype, '{"item":{"kind":"checked","answer":"yes"}}', 'instance');
    });

    it('runs it when another subtype of the same event takes the fallback', async () => {
      const event = '{"items":[{"kind":"checked","answer":"no"},{"kind":"promised","p":"x"}]}';
      await expectAgreement(MixedSubtypes, event, 'invalid');
      await expectAgreement(MixedSubtypes, event.replace('"no"', '"yes"'), 'instance');
    });

    it('validates a fallback class from the event as the transformation first saw it', async () => {
      await expectAgreement(DroppedDiscriminator, '{"item":{"kind":"promised","p":"x"}}', 'instance');
      await expectAgreement(MovedByTransform, '{"raw":"x","items":[{"kind":"promised","p":"x"}]}', 'instance');
    });

    it('answers a null element of a discriminated array with a ValidationError', async () => {
      const resolved = resolveValidationOptions(lenient);
      const nullAt = (path: string) => ({
        kind: 'invalid',
        errors: [
          {
            path,
            constraints: { nestedValidation: 'each value in nested property items must be either object or array' },
          },
        ],
      });
      for (const engine of [classValidatorEventValidator, compiledEventValidator]) {
        const direct = await outcomeOf(engine.compile(MixedSubtypes, resolved), { items: [null] });
        expect(direct).to.deep.equal(nullAt('items.0'));
        const event = { holder: { items: [{ kind: 'plain', name: 'n' }, null] } };
        const throughOptions = await outcomeOf(engine.compile(ThroughOptions, resolved), event);
        expect(throughOptions).to.deep.equal(nullAt('holder.items.1'));
      }
    });
  });

  describe('@Transform writing a value JSON cannot hold into a sibling', () => {
    it('transforms a Set as class-transformer does', async () => {
      await expectAgreement(SetIntoSibling, '{"a":"x","b":"y"}', 'invalid');
    });
    it('skips the holes of a sparse array as class-transformer does', async () => {
      await expectAgreement(SparseIntoSibling, '{"a":"x","b":["y"]}', 'instance');
    });
  });

  describe('metadata recorded after the engine was compiled', () => {
    const kit = useTestKernels();

    it('is seen by both engines', async () => {
      class LateRule {
        @IsString() name!: string;
      }
      const resolved = resolveValidationOptions(lenient);
      const engines = [classValidatorEventValidator, compiledEventValidator].map((e) => e.compile(LateRule, resolved));
      expect((await outcomeOf(engines[1]!, { name: 'toolong' })).kind).to.equal('instance');
      registerDecorator({
        name: 'atMostFour',
        target: LateRule,
        propertyName: 'name',
        validator: { validate: (value: unknown) => typeof value === 'string' && value.length <= 4 },
      });
      const truth = await truthOf(LateRule, { name: 'toolong' }, lenient);
      expect(truth.kind).to.equal('invalid');
      for (const engine of engines) expect(await outcomeOf(engine, { name: 'toolong' })).to.deep.equal(truth);
    });

    it('is seen by a kernel created before it, which answers ValidationError', async () => {
      class LateOrder {
        @IsString() sku!: string;
      }
      @FcFunction({ name: 'late-order' })
      class LateOrderFunction {
        @OnInvoke()
        handle(@Event() order: LateOrder) {
          return order.sku;
        }
      }
      const kernel = kit([LateOrderFunction]);
      expect((await kernel.invoke({ sku: 'abcdef' })).body).to.equal('abcdef');
      MaxLength(4)(LateOrder.prototype, 'sku');
      const refused = await kernel.invoke({ sku: 'abcdef' });
      expect(refused.xFcStatus).to.equal(404);
      expect(refused.error?.errorType).to.equal('ValidationError');
      expect(JSON.stringify(refused.error)).to.include('sku must be shorter than or equal to 4 characters');
    });
  });
});

// --- discriminators ----------------------------------------------------------------------------

@ValidatorConstraint({ name: 'notNo', async: true })
class NotNo implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return Promise.resolve(value !== 'no');
  }
}
class PlainItem {
  @IsString() kind!: string;
  @IsString() name!: string;
}
class CheckedItem {
  @IsString() kind!: string;
  @Validate(NotNo) answer!: string;
}
class PromisedItem {
  @ValidatePromise() @IsString() p!: string;
}
const subTypes = [
  { name: 'plain', value: PlainItem },
  { name: 'checked', value: CheckedItem },
  { name: 'promised', value: PromisedItem },
];

class AsyncThroughSubtype {
  @ValidateNested()
  @Type(() => PlainItem, { discriminator: { property: 'kind', subTypes }, keepDiscriminatorProperty: true })
  item!: PlainItem | CheckedItem;
}

class MixedSubtypes {
  @ValidateNested({ each: true })
  @Type(() => PlainItem, { discriminator: { property: 'kind', subTypes }, keepDiscriminatorProperty: true })
  items!: (PlainItem | CheckedItem | PromisedItem)[];
}

/** The discriminated array is reached through a `@Type` function that reads its options. */
class ThroughOptions {
  @ValidateNested()
  @Type((options) => (options?.object ? MixedSubtypes : Object))
  holder!: MixedSubtypes;
}

class DroppedDiscriminator {
  @ValidateNested()
  @Type(() => PlainItem, { discriminator: { property: 'kind', subTypes } })
  item!: PlainItem | PromisedItem;
}

class MovedByTransform {
  @Expose()
  @Transform(({ obj }) => {
    const raw = (obj as { raw?: unknown }).raw;
    delete (obj as { raw?: unknown }).raw;
    return raw;
  })
  @Equals('x')
  moved!: string;
  @ValidateNested({ each: true })
  @Type(() => PlainItem, { discriminator: { property: 'kind', subTypes }, keepDiscriminatorProperty: true })
  items!: (PlainItem | PromisedItem)[];
}

// --- @Transform into a sibling -----------------------------------------------------------------

class SetIntoSibling {
  @Transform(({ obj, value }) => {
    (obj as { b: unknown }).b = new Set([(obj as { b: unknown }).b]);
    return value as unknown;
  })
  @IsString()
  a!: string;
  @Type(() => String) @IsString() b!: string;
}

class SparseIntoSibling {
  @Transform(({ obj, value }) => {
    const b = (obj as { b: unknown[] }).b;

    (obj as { b: unknown }).b = [, ...b];
    return value as unknown;
  })
  @IsString()
  a!: string;
  @IsString({ each: true }) @ArrayMaxSize(1) b!: string[];
}
