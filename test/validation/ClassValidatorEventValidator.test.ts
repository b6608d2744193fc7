import { expect } from 'chai';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Min,
  registerDecorator,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import {
  classValidatorEventValidator,
  DEFAULT_VALIDATION_OPTIONS,
  Event,
  FcFunction,
  OnInvoke,
  ValidationError,
  type Constructor,
  type EventValidationOptions,
  type EventValidator,
} from '../../src';
import { resolveValidationOptions } from '../../src/validation/options';
import { CreateOrder } from '../../samples/order-service/CreateOrder';
import { errorOf, okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

class Counter {
  @IsString()
  name!: string;
  @IsInt()
  count!: number;
  @IsOptional()
  @IsString()
  note?: string;
}

/** Runs the default engine on `plain` with the given settings; answers the instance or the error. */
async function check(dto: Constructor, plain: unknown, options: EventValidationOptions = {}): Promise<unknown> {
  const validate = classValidatorEventValidator.compile(dto, resolveValidationOptions(options));
  try {
    return await validate(plain);
  } catch (error) {
    return error;
  }
}

/** Every key of a JSON value, at any depth. */
function keysDeep(value: unknown, out: string[] = []): string[] {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysDeep(v, out);
    }
  }
  return out;
}

const validOrder = {
  orderId: 'o-1',
  customerEmail: 'buyer@example.com',
  items: [
    { sku: 'A', quantity: 2, unitPrice: 1.5 },
    { sku: 'B', quantity: 1, unitPrice: 3 },
  ],
};

describe('ClassValidatorEventValidator', () => {
  describe('pinned defaults', () => {
    it('are the safe ones', () => {
      expect(DEFAULT_VALIDATION_OPTIONS).to.deep.equal({
        enableImplicitConversion: false,
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        skipMissingProperties: false,
        stopAtFirstError: false,
        maxArrayElements: 10_000,
        maxEventNodes: 100_000,
        maxObjectKeys: 1_000,
      });
      expect(Object.isFrozen(DEFAULT_VALIDATION_OPTIONS)).to.equal(true);
    });

    it('convert nothing implicitly: "5" is not an integer', async () => {
      const error = await check(Counter, { name: 'c', count: '5' });
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors).to.deep.equal([
        { path: 'count', constraints: { isInt: 'count must be an integer number' } },
      ]);
      const converted = await check(Counter, { name: 'c', count: '5' }, { enableImplicitConversion: true });
      expect(converted).to.be.instanceOf(Counter).and.have.property('count', 5);
    });

    it('reject an unknown property, naming it', async () => {
      const error = await check(Counter, { name: 'c', count: 1, admin: true });
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors).to.deep.equal([
        { path: 'admin', constraints: { whitelistValidation: 'property admin should not exist' } },
      ]);
      expect((error as Error).message).to.include('admin');
    });

    it('reject an unknown property inside a nested DTO with its full path', async () => {
      const error = await check(CreateOrder, {
        ...validOrder,
        items: [{ sku: 'A', quantity: 1, unitPrice: 1, discount: 0.5 }],
      });
      expect((error as ValidationError).errors).to.deep.equal([
        { path: 'items.0.discount', constraints: { whitelistValidation: 'property discount should not exist' } },
      ]);
    });

    it('reject unknown values: an object no constraint applies to', async () => {
      // With a group nothing is declared in, class-validator finds no constraint for the DTO.
      const error = await check(Counter, {}, { groups: ['admin'] });
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors).to.deep.equal([
        { path: '', constraints: { unknownValue: 'an unknown value was passed to the validate function' } },
      ]);
      expect(await check(Counter, {}, { groups: ['admin'], forbidUnknownValues: false })).to.be.instanceOf(Counter);
    });

    it('validate missing properties and report every failing constraint', async () => {
      const error = (await check(Counter, { count: 1.5 })) as ValidationError;
      expect(error.errors).to.deep.equal([
        { path: 'name', constraints: { isString: 'name must be a string' } },
        { path: 'count', constraints: { isInt: 'count must be an integer number' } },
      ]);
      expect(await check(Counter, { count: 1 }, { skipMissingProperties: true })).to.be.instanceOf(Counter);
    });
  });

  describe('the order sample', () => {
    it('accepts a valid order as a CreateOrder with its items transformed', async () => {
      const order = (await check(CreateOrder, validOrder)) as CreateOrder;
      expect(order).to.be.instanceOf(CreateOrder);
      expect(order.items[1]!.constructor.name).to.equal('OrderItem');
    });

    it('flattens a nested error to its dotted path', async () => {
      const error = await check(CreateOrder, {
        ...validOrder,
        items: [validOrder.items[0], { sku: 'B', quantity: 0, unitPrice: 3 }],
      });
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors).to.deep.equal([
        { path: 'items.1.quantity', constraints: { min: 'quantity must not be less than 1' } },
      ]);
    });
  });

  describe('through dispatch', () => {
    const kernelOf = useTestKernels();

    it('the order sample error body is exactly the flattened error', async () => {
      @FcFunction()
      class TakesOrder {
        @OnInvoke()
        handle(@Event() order: CreateOrder): string {
          return order.orderId;
        }
      }
      const tk = kernelOf([TakesOrder]);
      const body = errorOf(await tk.invoke({ ...validOrder, items: [{ sku: 'A', quantity: 0, unitPrice: 1.5 }] }));
      expect(body).to.deep.equal({
        errorMessage: 'Event validation failed: items.0.quantity: quantity must not be less than 1',
        errorType: 'ValidationError',
        stackTrace: [],
        errors: [{ path: 'items.0.quantity', constraints: { min: 'quantity must not be less than 1' } }],
      });
    });

    it('never puts value or target in the error body', async () => {
      @FcFunction()
      class TakesOrder {
        @OnInvoke()
        handle(@Event() order: CreateOrder): string {
          return order.orderId;
        }
      }
      const tk = kernelOf([TakesOrder]);
      const response = await tk.invoke({
        orderId: 7,
        customerEmail: 'not-an-email',
        items: [{ sku: 'A', quantity: 'many', unitPrice: -1, extra: 'x' }, 'not an item'],
        couponCode: 5,
        unknown: { nested: true },
      });
      const body = errorOf(response);
      expect(body.errors!.length).to.be.greaterThan(5);
      const keys = keysDeep(body);
      expect(keys).to.not.include('value');
      expect(keys).to.not.include('target');
      expect(keys).to.not.include('children');
      for (const error of body.errors!) expect(Object.keys(error)).to.deep.equal(['path', 'constraints']);
      expect(String(response.raw)).to.not.include('not-an-email');
    });

    it('a kernel override strips unknown properties instead of rejecting them', async () => {
      const received: Counter[] = [];
      @FcFunction()
      class Counts {
        @OnInvoke()
        handle(@Event() e: Counter): object {
          received.push(e);
          return { ...e };
        }
      }
      const tk = kernelOf([Counts], { validation: { forbidNonWhitelisted: false } });
      expect(okBody(await tk.invoke({ name: 'n', count: 1, admin: true }))).to.deep.equal({
        name: 'n',
        count: 1,
      });
      expect(received[0]).to.not.have.property('admin');
    });

    it('a function override wins over the kernel setting', async () => {
      @FcFunction({ name: 'strict', validation: { forbidNonWhitelisted: true } })
      class Strict {
        @OnInvoke()
        handle(@Event() e: Counter): object {
          return { ...e };
        }
      }
      @FcFunction({ name: 'lenient' })
      class Lenient {
        @OnInvoke()
        handle(@Event() e: Counter): object {
          return { ...e };
        }
      }
      @FcFunction({ name: 'converting', validation: { enableImplicitConversion: true } })
      class Converting {
        @OnInvoke()
        handle(@Event() e: Counter): object {
          return { ...e };
        }
      }
      const tk = kernelOf([Strict, Lenient, Converting], { validation: { forbidNonWhitelisted: false } });
      const event = { name: 'n', count: 1, admin: true };
      const strict = errorOf(await tk.invoke(event, { functionName: 'strict' }));
      expect(strict.errors).to.deep.equal([
        { path: 'admin', constraints: { whitelistValidation: 'property admin should not exist' } },
      ]);
      expect(okBody(await tk.invoke(event, { functionName: 'lenient' }))).to.deep.equal({
        name: 'n',
        count: 1,
      });
      // A function override changes only what it names; the kernel's other settings still apply.
      expect(
        okBody(await tk.invoke({ name: 'n', count: '2', admin: 1 }, { functionName: 'converting' })),
      ).to.deep.equal({ name: 'n', count: 2 });
    });

    it('uses a custom EventValidator given as validation.validator', async () => {
      class Anything {
        raw!: unknown;
      }
      const compiled: { dto: Constructor; whitelist: boolean }[] = [];
      const validator: EventValidator = {
        compile(dto, options) {
          compiled.push({ dto, whitelist: options.whitelist });
          return async (plain) => {
            if ((plain as { reject?: boolean }).reject) {
              throw new ValidationError([{ path: 'reject', constraints: { custom: 'rejected by the custom engine' } }]);
            }
            return Object.assign(new Anything(), { raw: plain });
          };
        },
      };
      @FcFunction()
      class UsesCustom {
        @OnInvoke()
        handle(@Event() e: Anything): object {
          return { isAnything: e instanceof Anything, raw: e.raw };
        }
      }
      // Anything has no class-validator decorators: the default engine would refuse it at boot.
      const tk = kernelOf([UsesCustom], { validation: { validator, whitelist: false } });
      expect(compiled).to.deep.equal([{ dto: Anything, whitelist: false }]);
      expect(okBody(await tk.invoke({ a: 1 }))).to.deep.equal({ isAnything: true, raw: { a: 1 } });
      const rejected = errorOf(await tk.invoke({ reject: true }));
      expect(rejected.errors).to.deep.equal([
        { path: 'reject', constraints: { custom: 'rejected by the custom engine' } },
      ]);
    });
  });

  describe('synchronous when every constraint answers at once', () => {
    @ValidatorConstraint({ name: 'knownSku', async: true })
    class KnownSku implements ValidatorConstraintInterface {
      validate(sku: unknown): Promise<boolean> {
        return Promise.resolve(sku === 'A');
      }
      defaultMessage(): string {
        return 'sku must be a known one';
      }
    }
    class AsyncItem {
      @Validate(KnownSku)
      sku!: string;
    }
    class AsyncOrder {
      @IsString()
      orderId!: string;
      @ValidateNested({ each: true })
      @Type(() => AsyncItem)
      items!: AsyncItem[];
    }
    /** Answers a promise without declaring itself async: class-validator's validate() awaits it. */
    function IsEvenLater(): PropertyDecorator {
      return (target, propertyName) =>
        registerDecorator({
          name: 'isEvenLater',
          target: target.constructor,
          propertyName: propertyName as string,
          validator: { validate: (value: unknown) => Promise.resolve(typeof value === 'number' && value % 2 === 0) },
        });
    }
    class Undeclared {
      @IsEvenLater()
      n!: number;
    }
    const compile = (dto: Constructor) => classValidatorEventValidator.compile(dto, resolveValidationOptions());

    it('answers a DTO of class-validator constraints, nested ones included, without a promise', () => {
      const validate = compile(CreateOrder);
      const order = validate(validOrder);
      expect(order).to.not.be.instanceOf(Promise);
      expect(order).to.be.instanceOf(CreateOrder);
      const invalid = { ...validOrder, items: [{ sku: 'A', quantity: 0, unitPrice: 1 }] };
      expect(() => validate(invalid))
        .to.throw(ValidationError)
        .with.property('errors')
        .that.deep.equals([{ path: 'items.0.quantity', constraints: { min: 'quantity must not be less than 1' } }]);
    });

    it('awaits a DTO with an async constraint anywhere in its graph', async () => {
      const validate = compile(AsyncOrder);
      const accepted = validate({ orderId: 'o', items: [{ sku: 'A' }] });
      expect(accepted).to.be.instanceOf(Promise);
      expect(await accepted).to.be.instanceOf(AsyncOrder);
      const error = await check(AsyncOrder, { orderId: 'o', items: [{ sku: 'B' }] });
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors).to.deep.equal([
        { path: 'items.0.sku', constraints: { knownSku: 'sku must be a known one' } },
      ]);
    });

    it('awaits a custom constraint that answers a promise without declaring it', async () => {
      // validateSync would skip the promise and let 3 through.
      expect(compile(Undeclared)({ n: 2 })).to.be.instanceOf(Promise);
      const error = await check(Undeclared, { n: 3 });
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors[0]!.path).to.equal('n');
    });
  });

  describe('boot-time checks of a DTO', () => {
    it('reject a nested DTO without class-validator decorators', async () => {
      class Inner {
        n!: number;
      }
      class Outer {
        @ValidateNested()
        @Type(() => Inner)
        inner!: Inner;
      }
      expect(() => classValidatorEventValidator.compile(Outer, resolveValidationOptions()))
        .to.throw(TypeError)
        .with.property('message')
        .that.includes('DTO Outer')
        .and.includes('nested class Inner has no class-validator decorators');
    });

    it('accept a nested DTO whose @Type is declared', () => {
      class Inner {
        @Min(0)
        n!: number;
      }
      class Outer {
        @ValidateNested()
        @Type(() => Inner)
        inner!: Inner;
      }
      expect(() => classValidatorEventValidator.compile(Outer, resolveValidationOptions())).to.not.throw();
    });
  });
});
