import 'reflect-metadata';
import { expect } from 'chai';
import { Transform, Type } from 'class-transformer';
import {
  getMetadataStorage,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Min,
  Validate,
  ValidateNested,
  ValidatePromise,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { Event, FcFunction, OnInvoke, ValidationError, type EventValidator } from '../../../src';
import { ConfigurationError } from '../../../src/errors/ConfigurationError';
import { classValidatorEventValidator } from '../../../src/validation/ClassValidatorEventValidator';
import { compiledEventValidator } from '../../../src/validation/compiled';
import { transformerStorage } from '../../../src/validation/classTransformerInternals';
import { resolveValidationOptions } from '../../../src/validation/options';
import { CreateOrder } from '../../../samples/order-service/CreateOrder';
import { errorOf, okBody } from '../../helpers/answers';
import { useTestKernels } from '../../helpers/testKernels';
import { assertSameOutcome, compileBoth } from './differential';

const defaults = resolveValidationOptions();
const validOrder = {
  orderId: 'o-1',
  customerEmail: 'buyer@example.com',
  items: [
    { sku: 'A', quantity: 2, unitPrice: 1.5 },
    { sku: 'B', quantity: 1, unitPrice: 3 },
  ],
};

class Line {
  @IsString()
  sku!: string;
}

class WithDiscriminator {
  @IsString()
  id!: string;
  @ValidateNested()
  @Type(() => Line, { discriminator: { property: 'kind', subTypes: [{ name: 'line', value: Line }] } })
  line!: Line;
}

class WithPromise {
  @ValidatePromise()
  @IsString()
  title!: string;
}

@ValidatorConstraint({ name: 'slow', async: true })
class Slow implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return Promise.resolve(value !== 'slow');
  }
}

class WithAsync {
  @Validate(Slow)
  @IsString()
  name!: string;
}

/** What a @Transform function makes: a class the plans did not meet at boot. */
class Wrapped {
  @ValidatePromise()
  @IsString()
  inner!: string;
}

class MakesWrapped {
  @ValidateNested()
  @Type(() => Line)
  @Transform(({ value }) => Object.assign(new Wrapped(), { inner: value }))
  line!: unknown;
}

/** Counts the calls made to every metadata read of both libraries while `work` runs. */
async function metadataReadsDuring(work: () => Promise<void>): Promise<number> {
  const targets: [object, string][] = [
    [getMetadataStorage(), 'getTargetValidationMetadatas'],
    [getMetadataStorage(), 'groupByPropertyName'],
    [getMetadataStorage(), 'getTargetValidatorConstraints'],
    [transformerStorage(), 'findTypeMetadata'],
    [transformerStorage(), 'findTransformMetadatas'],
    [transformerStorage(), 'findExposeMetadata'],
    [transformerStorage(), 'findExposeMetadataByCustomName'],
    [transformerStorage(), 'getExposedProperties'],
    [transformerStorage(), 'getExcludedProperties'],
    [transformerStorage(), 'getStrategy'],
    [Reflect, 'getMetadata'],
  ];
  let calls = 0;
  const originals = targets.map(([owner, name]) => {
    const original = (owner as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
    (owner as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      calls++;
      return original.apply(this, args);
    };
    return original;
  });
  try {
    await work();
  } finally {
    targets.forEach(([owner, name], i) => ((owner as Record<string, unknown>)[name] = originals[i]));
  }
  return calls;
}

describe('compiledEventValidator', () => {
  describe('the engine decided at boot', () => {
    it('compiles the order sample, and says so', () => {
      expect(compiledEventValidator.compile(CreateOrder, defaults).describe()).to.deep.equal({
        engine: 'compiled',
        reason: 'every class of CreateOrder is planned',
      });
    });

    it('keeps class-validator for a DTO with @ValidatePromise, naming the property', () => {
      expect(compiledEventValidator.compile(WithPromise, defaults).describe()).to.deep.equal({
        engine: 'class-validator',
        reason: 'WithPromise.title is @ValidatePromise(), which this engine does not run',
      });
    });

    it('hands a class with a discriminator to class-transformer and validates it compiled', async () => {
      const validate = compiledEventValidator.compile(WithDiscriminator, defaults);
      expect(validate.describe()).to.deep.equal({
        engine: 'compiled',
        reason:
          'planned; class-transformer transforms WithDiscriminator (WithDiscriminator.line has a @Type discriminator)',
      });
      const pair = compileBoth(WithDiscriminator);
      await assertSameOutcome(pair, { id: 'i', line: { kind: 'line', sku: 's' } });
      await assertSameOutcome(pair, { id: 'i', line: { kind: 'line', sku: 1 } });
    });

    it('fails at boot exactly as the reference engine does', () => {
      class Bare {
        name!: string;
      }
      const failure = (compile: () => unknown) => {
        try {
          compile();
        } catch (error) {
          return error as ConfigurationError;
        }
        throw new Error('compiled');
      };
      const compiled = failure(() => compiledEventValidator.compile(Bare, defaults));
      const reference = failure(() => classValidatorEventValidator.compile(Bare, defaults));
      expect(compiled).to.be.instanceOf(ConfigurationError);
      expect([compiled.code, compiled.message]).to.deep.equal([reference.code, reference.message]);
      expect(compiled.code).to.equal('DTO_WITHOUT_CONSTRAINTS');
    });
  });

  describe('per event', () => {
    it('answers a valid order synchronously, as the transformed instance', () => {
      const order = compiledEventValidator.compile(CreateOrder, defaults)(structuredClone(validOrder)) as CreateOrder;
      expect(order).to.be.instanceOf(CreateOrder);
      expect(order.items[1]!.constructor.name).to.equal('OrderItem');
    });

    it('throws the ValidationError synchronously', () => {
      const validate = compiledEventValidator.compile(CreateOrder, defaults);
      expect(() => validate({ ...validOrder, items: [{ sku: 'A', quantity: 0, unitPrice: 1 }] }))
        .to.throw(ValidationError)
        .with.property('errors')
        .that.deep.equals([{ path: 'items.0.quantity', constraints: { min: 'quantity must not be less than 1' } }]);
    });

    it('answers a promise only when an asynchronous constraint ran', async () => {
      const validate = compiledEventValidator.compile(WithAsync, defaults);
      const pending = validate({ name: 'slow' });
      expect(pending).to.be.instanceOf(Promise);
      const error = await (pending as Promise<object>).catch((e: unknown) => e);
      expect((error as ValidationError).errors).to.deep.equal([{ path: 'name', constraints: { slow: '' } }]);
      expect(await validate({ name: 'fast' })).to.be.instanceOf(WithAsync);
    });

    it('reads no metadata of either library while validating', async () => {
      const validate = compiledEventValidator.compile(CreateOrder, defaults);
      const reads = await metadataReadsDuring(async () => {
        for (let i = 0; i < 20; i++) {
          validate(structuredClone(validOrder));
          expect(() => validate({ ...validOrder, customerEmail: 'no', items: [{ sku: 1 }], extra: 1 })).to.throw(
            ValidationError,
          );
        }
      });
      expect(reads).to.equal(0);
      // The reference engine, for contrast, reads them on every event.
      const reference = compileBoth(CreateOrder).reference as (plain: unknown) => Promise<unknown>;
      expect(
        await metadataReadsDuring(async () => void (await reference(structuredClone(validOrder)))),
      ).to.be.greaterThan(0);
    });

    it('validates an event correctly after one whose constraint threw', () => {
      let explode = true;
      @ValidatorConstraint({ name: 'explosive' })
      class Explosive implements ValidatorConstraintInterface {
        validate() {
          if (explode) throw new RangeError('boom');
          return true;
        }
      }
      class Holder {
        @ValidateNested()
        @Type(() => Line)
        line!: Line;
        @Validate(Explosive)
        trigger!: string;
      }
      const validate = compiledEventValidator.compile(Holder, defaults);
      expect(() => validate({ line: { sku: 1 }, trigger: 'x' })).to.throw(RangeError, 'boom');
      explode = false;
      expect(() => validate({ line: { sku: 2 }, trigger: 'x' }))
        .to.throw(ValidationError)
        .with.property('errors')
        .that.deep.equals([{ path: 'line.sku', constraints: { isString: 'sku must be a string' } }]);
    });

    it('validates an event inside a constraint of another event without mixing their errors', () => {
      const inner: unknown[] = [];
      let validateOuter: (plain: unknown) => unknown = () => undefined;
      @ValidatorConstraint({ name: 'reentrant' })
      class Reentrant implements ValidatorConstraintInterface {
        validate(value: unknown) {
          if (typeof value === 'string') {
            try {
              inner.push(validateOuter({ name: 1 }));
            } catch (error) {
              inner.push((error as ValidationError).errors);
            }
          }
          return true;
        }
      }
      class Outer {
        @IsInt()
        count!: number;
        @Validate(Reentrant)
        name!: unknown;
      }
      validateOuter = compiledEventValidator.compile(Outer, defaults);
      expect(() => validateOuter({ count: 'x', name: 'go' }))
        .to.throw(ValidationError)
        .with.property('errors')
        .that.deep.equals([{ path: 'count', constraints: { isInt: 'count must be an integer number' } }]);
      expect(inner).to.deep.equal([[{ path: 'count', constraints: { isInt: 'count must be an integer number' } }]]);
    });

    it('validates with class-validator an event whose @Transform made a class the plans cannot run', async () => {
      const pair = compileBoth(MakesWrapped);
      expect((pair.compiled as unknown as { describe(): { engine: string } }).describe().engine).to.equal('compiled');
      await assertSameOutcome(pair, { line: 'text' });
      await assertSameOutcome(pair, { line: 5 });
    });

    it('fills a Map design type with entries under implicit conversion, as class-transformer does', async () => {
      class Tagged {
        @IsNotEmpty({ each: true })
        tags!: Map<string, string>;
      }
      const pair = compileBoth(Tagged, { enableImplicitConversion: true });
      const outcome = await assertSameOutcome(pair, { tags: { a: 'x', b: 'y' } });
      const tags = (outcome as { value: Tagged }).value.tags;
      expect(tags).to.be.instanceOf(Map);
      expect([...tags.entries()]).to.deep.equal([
        ['a', 'x'],
        ['b', 'y'],
      ]);
      await assertSameOutcome(pair, { tags: { a: '' } });
    });

    it("walks the keys class-transformer listed before a @Transform changed the plain object's", async () => {
      class Rewriting {
        @Transform(({ obj, value }) => {
          const plain = obj as Record<string, unknown>;
          delete plain['later'];
          plain['added'] = 1;
          return value;
        })
        @IsString()
        first!: string;
        @IsOptional()
        @IsString()
        later?: string;
      }
      const pair = compileBoth(Rewriting, { forbidNonWhitelisted: false });
      const outcome = await assertSameOutcome(pair, { first: 'a', later: 'b' });
      // class-transformer still reads the deleted key: the instance owns it, undefined.
      expect(Object.keys((outcome as { value: object }).value)).to.deep.equal(['first', 'later']);
    });

    it('skips the holes of an array made from an object, as class-validator does (and awaits them as undefined)', async () => {
      class Holey {
        @IsDefined({ each: true })
        sync!: unknown[];
        @Validate(Slow, { each: true })
        late!: unknown[];
      }
      // Under implicit conversion an object sent for an array property becomes an array with its
      // keys as indices: { "1": 0 } is [ <hole>, 0 ].
      const pair = compileBoth(Holey, { enableImplicitConversion: true });
      const outcome = await assertSameOutcome(pair, { sync: { 1: 0 }, late: { 1: 'fast' } });
      expect(outcome).to.deep.equal({ kind: 'invalid', errors: [{ path: 'late', constraints: { slow: '' } }] });
      await assertSameOutcome(pair, { sync: [null], late: ['fast'] });
    });

    it('fails on a class class-validator cannot group only when a value of it is validated', async () => {
      // class-validator cannot group a property named toString: validating such a class throws.
      class Crashing {}
      IsString()(Crashing.prototype, 'toString');
      class Middle {
        @IsOptional()
        @ValidateNested()
        @Type(() => Crashing)
        inner?: Crashing;
        @IsString()
        name!: string;
      }
      class Top {
        // A type function that reads its argument: Top goes to class-transformer, and Middle is
        // first planned when an event holds one.
        @ValidateNested({ each: true })
        @Type((options) => (options ? Middle : Middle))
        items!: Middle[];
      }
      const pair = compileBoth(Top);
      expect(await assertSameOutcome(pair, { items: [{ name: 'x' }] })).to.have.property('kind', 'instance');
      expect(await assertSameOutcome(pair, { items: [{ name: 'x', inner: {} }] })).to.deep.include({
        kind: 'thrown',
        name: 'TypeError',
      });
    });

    it('throws what class-transformer throws on a value it cannot convert', async () => {
      class Converted {
        @Type(() => String)
        @IsNotEmpty()
        name!: string;
        @Type(() => Number)
        @Min(1)
        count!: number;
      }
      const pair = compileBoth(Converted);
      const outcome = await assertSameOutcome(pair, { name: { toString: 'not a function' }, count: 2 });
      expect(outcome).to.deep.include({ kind: 'thrown', name: 'TypeError' });
      await assertSameOutcome(pair, { name: ['a', 7, null], count: '3' });
    });
  });

  describe('through dispatch', () => {
    const kernelOf = useTestKernels();

    it('serves the order sample with the compiled engine, errors identical to the reference', async () => {
      @FcFunction()
      class TakesOrder {
        @OnInvoke()
        handle(@Event() order: CreateOrder): object {
          return { id: order.orderId, first: order.items[0]!.constructor.name };
        }
      }
      const engines: EventValidator[] = [compiledEventValidator, classValidatorEventValidator];
      const bodies = [];
      for (const validator of engines) {
        const tk = kernelOf(TakesOrder, { validation: { validator } });
        expect(okBody(await tk.invoke(validOrder))).to.deep.equal({ id: 'o-1', first: 'OrderItem' });
        bodies.push(errorOf(await tk.invoke({ ...validOrder, orderId: 7, items: [{ sku: 'A' }, 3], x: 1 })));
      }
      expect(bodies[0]).to.deep.equal(bodies[1]);
      expect(bodies[0]!.errors!.map((e) => e.path)).to.deep.equal([
        'x',
        'orderId',
        'items.0.quantity',
        'items.0.unitPrice',
        'items.1',
      ]);
    });
  });
});
