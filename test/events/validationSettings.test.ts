import { expect } from 'chai';
import { IsInt, IsString } from 'class-validator';
import {
  Event,
  FcFunction,
  OnInvoke,
  type EventValidator,
  type ResolvedValidationOptions,
  MetadataStore,
  metadataStore,
  validationSettingsOf,
  ValidationSettings,
} from '../../src';
import { useTestKernels } from '../helpers/testKernels';
import { fieldErrorsOf, useDelivery } from './deliver';

class StrictReading {
  @IsString() sensor!: string;
  @IsInt() value!: number;
}

@ValidationSettings({ forbidNonWhitelisted: false })
class TolerantReading {
  @IsString() sensor!: string;
  @IsInt() value!: number;
}

describe('@ValidationSettings: validation settings per DTO class', () => {
  describe('the record', () => {
    it('is kept in the metadata store and read through validationSettingsOf', () => {
      expect(validationSettingsOf(TolerantReading)).to.deep.equal({ forbidNonWhitelisted: false });
      expect(validationSettingsOf(StrictReading)).to.equal(undefined);
    });

    it('is inherited, a subclass overriding setting by setting', () => {
      @ValidationSettings({ whitelist: true, forbidNonWhitelisted: false })
      class Base {}
      @ValidationSettings({ whitelist: false, stopAtFirstError: true })
      class Derived extends Base {}
      class Plain extends Derived {}
      expect(validationSettingsOf(Plain)).to.deep.equal({
        whitelist: false,
        forbidNonWhitelisted: false,
        stopAtFirstError: true,
      });
      expect(validationSettingsOf(Base)).to.deep.equal({ whitelist: true, forbidNonWhitelisted: false });
    });

    it('a setting given as undefined declares nothing and hides no base value', () => {
      @ValidationSettings({ forbidNonWhitelisted: false })
      class Base {}
      @ValidationSettings({ forbidNonWhitelisted: undefined, stopAtFirstError: true })
      class Derived extends Base {}
      expect(validationSettingsOf(Derived)).to.deep.equal({ forbidNonWhitelisted: false, stopAtFirstError: true });
    });

    it('survives reset(), which forgets function records only', () => {
      const store = new MetadataStore();
      class Dto {}
      store.addValidationSettings({ target: Dto, settings: { whitelist: false } });
      store.reset();
      expect(store.validationSettingsOf(Dto)).to.deep.equal({ whitelist: false });
      expect(metadataStore.validationSettingsOf(TolerantReading)).to.deep.equal({ forbidNonWhitelisted: false });
    });
  });

  describe('any engine', () => {
    const kernelOf = useTestKernels();

    it('is compiled with the class settings over the function settings', () => {
      const compiled: [string, ResolvedValidationOptions][] = [];
      const spy: EventValidator = {
        compile(dto, options) {
          compiled.push([dto.name, options]);
          return async (plain) => plain as object;
        },
      };
      @FcFunction({ name: 'tolerant', validation: { stopAtFirstError: true } })
      class TakesTolerant {
        @OnInvoke() handle(@Event() reading: TolerantReading) {
          return reading;
        }
      }
      kernelOf([TakesTolerant], { validation: { validator: spy } });
      expect(compiled).to.have.length(1);
      expect(compiled[0]![0]).to.equal('TolerantReading');
      expect(compiled[0]![1]).to.include({ forbidNonWhitelisted: false, stopAtFirstError: true, whitelist: true });
    });
  });

  describe('through dispatch', () => {
    const deliver = useDelivery();

    it("a user's DTO stays strict by default", async () => {
      const errors = fieldErrorsOf(await deliver(StrictReading, { sensor: 's', value: 1, extra: true }));
      expect(errors).to.deep.equal([
        { path: 'extra', constraints: { whitelistValidation: 'property extra should not exist' } },
      ]);
    });

    it("a tolerant DTO's unknown fields are stripped", async () => {
      const { statusCode, received } = await deliver(TolerantReading, { sensor: 's', value: 1, extra: true });
      expect(statusCode).to.equal(200);
      expect(received).to.be.instanceOf(TolerantReading);
      expect(received).to.deep.equal(Object.assign(new TolerantReading(), { sensor: 's', value: 1 }));
    });

    it("the class's settings win over the function's", async () => {
      @ValidationSettings({ enableImplicitConversion: false })
      class NoConversion {
        @IsInt() value!: number;
      }
      const errors = fieldErrorsOf(await deliver(NoConversion, { value: '5' }, { enableImplicitConversion: true }));
      expect(errors.map((e) => e.path)).to.deep.equal(['value']);
      const converted = await deliver(StrictReading, { sensor: 's', value: '5' }, { enableImplicitConversion: true });
      expect((converted.received as StrictReading).value).to.equal(5);
    });

    it("the function's settings apply where the class declares none", async () => {
      const { statusCode } = await deliver(StrictReading, { sensor: 's', value: 1, extra: true }, { whitelist: false });
      expect(statusCode).to.equal(200);
    });
  });
});
