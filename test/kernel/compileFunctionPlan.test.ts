import { expect } from 'chai';
import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import {
  ConfigurationError,
  createKernel,
  Ctx,
  Event,
  FcFunction,
  Headers,
  OnInitialize,
  OnInvoke,
  OnPreFreeze,
  OnPreStop,
  type Constructor,
  type FcContext,
} from '../../src';

/** The error kernel creation fails with; fails the test if it does not fail. */
function bootFailure(...functions: Constructor[]): ConfigurationError {
  try {
    createKernel({ functions, logSink: () => undefined, env: {} });
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  expect.fail(`createKernel accepted ${functions.map((f) => f.name).join(', ')}`);
}

/** The message kernel creation fails with. */
function bootError(...functions: Constructor[]): string {
  return bootFailure(...functions).message;
}

describe('compileFunctionPlan: boot-time rules', () => {
  it('fails with a ConfigurationError that carries a stable code and names the class and method', () => {
    @FcFunction()
    class TwoParams {
      @OnInvoke()
      handle(@Ctx() _ctx: FcContext, _loose: string): string {
        return 'x';
      }
    }
    const error = bootFailure(TwoParams);
    expect(error.name).to.equal('ConfigurationError');
    expect(error.code).to.equal('UNDECORATED_PARAMETER');
    expect(error.where).to.deep.equal({ className: 'TwoParams', method: 'handle', parameter: 1 });
  });

  it("keeps the validation engine's code for a DTO it cannot validate, with the handler added", () => {
    class Bare {
      name!: string;
    }
    @FcFunction()
    class TakesBare {
      @OnInvoke()
      handle(@Event() _event: Bare): string {
        return 'x';
      }
    }
    const error = bootFailure(TakesBare);
    expect(error.code).to.equal('DTO_WITHOUT_CONSTRAINTS');
    expect(error.where).to.deep.include({ className: 'TakesBare', method: 'handle', parameter: 0 });
    expect(error.message).to.match(/^TakesBare\.handle: DTO Bare has no class-validator decorators/);
  });

  it('rejects a class without @FcFunction', () => {
    class NotAFunction {
      @OnInvoke()
      handle(): string {
        return 'x';
      }
    }
    const message = bootError(NotAFunction);
    expect(message).to.include('NotAFunction').and.include('@FcFunction');
  });

  it('rejects a class without @OnInvoke', () => {
    @FcFunction()
    class NoInvoke {
      @OnInitialize()
      init(): void {}
    }
    const message = bootError(NoInvoke);
    expect(message).to.include('NoInvoke').and.include('@OnInvoke()');
  });

  it('rejects two @OnInvoke methods, naming both', () => {
    @FcFunction()
    class TwoInvokes {
      @OnInvoke()
      first(): void {}
      @OnInvoke()
      second(): void {}
    }
    const message = bootError(TwoInvokes);
    expect(message).to.include('TwoInvokes.first').and.include('TwoInvokes.second').and.include('@OnInvoke()');
  });

  const otherHooks: [string, () => MethodDecorator][] = [
    ['@OnInitialize()', OnInitialize],
    ['@OnPreStop()', OnPreStop],
    ['@OnPreFreeze()', OnPreFreeze],
  ];
  for (const [name, hook] of otherHooks) {
    it(`rejects two ${name} methods, naming both`, () => {
      @FcFunction()
      class TwoHooks {
        @OnInvoke()
        handle(): void {}
        @hook()
        one(): void {}
        @hook()
        other(): void {}
      }
      const message = bootError(TwoHooks);
      expect(message).to.include('TwoHooks.one').and.include('TwoHooks.other').and.include(name);
    });
  }

  it('rejects a parameter without a decorator, naming method and position', () => {
    @FcFunction()
    class Undecorated {
      @OnInvoke()
      handle(@Ctx() _ctx: FcContext, _extra: string): void {}
    }
    const message = bootError(Undecorated);
    expect(message).to.include('Undecorated.handle').and.include('parameter 1 has no decorator');
  });

  it('rejects a parameter without a decorator when it is the only one', () => {
    @FcFunction()
    class OnlyUndecorated {
      @OnInvoke()
      handle(_event: object): void {}
    }
    expect(bootError(OnlyUndecorated)).to.include('OnlyUndecorated.handle').and.include('parameter 0');
  });

  for (const [name, hook] of otherHooks) {
    it(`rejects @Event() on a ${name} hook`, () => {
      @FcFunction()
      class EventOnHook {
        @OnInvoke()
        handle(): void {}
        @hook()
        other(@Event() _event: object): void {}
      }
      const message = bootError(EventOnHook);
      expect(message).to.include('EventOnHook.other').and.include('@Event()');
    });
  }

  it('rejects two @Event() parameters', () => {
    @FcFunction()
    class TwoEvents {
      @OnInvoke()
      handle(@Event() _a: object, @Event() _b: string): void {}
    }
    const message = bootError(TwoEvents);
    expect(message).to.include('TwoEvents.handle').and.include('more than one @Event()');
  });

  it('rejects two functions with the same name, naming both classes', () => {
    @FcFunction({ name: 'orders' })
    class OrdersV1 {
      @OnInvoke()
      handle(): void {}
    }
    @FcFunction({ name: 'orders' })
    class OrdersV2 {
      @OnInvoke()
      handle(): void {}
    }
    const message = bootError(OrdersV1, OrdersV2);
    expect(message).to.include('"orders"').and.include('OrdersV1').and.include('OrdersV2');
  });

  for (const header of [
    'x-fc-access-key-secret',
    'x-fc-access-key-id',
    'x-fc-security-token',
    'X-FC-Access-Key-Secret',
  ]) {
    it(`rejects @Headers('${header}'): a credential`, () => {
      @FcFunction()
      class ReadsCredential {
        @OnInvoke()
        handle(@Headers(header) _secret: string): void {}
      }
      const message = bootError(ReadsCredential);
      expect(message).to.include('ReadsCredential.handle').and.include(header.toLowerCase()).and.include('credential');
    });
  }

  it('rejects a DTO class without class-validator decorators', () => {
    class Undecorated {
      name!: string;
    }
    @FcFunction()
    class TakesUndecorated {
      @OnInvoke()
      handle(@Event() _e: Undecorated): void {}
    }
    const message = bootError(TakesUndecorated);
    expect(message).to.include('TakesUndecorated.handle').and.include('Undecorated').and.include('class-validator');
  });

  it('rejects @ValidateNested() without @Type', () => {
    class Line {
      @IsInt()
      quantity!: number;
    }
    class Order {
      @ValidateNested({ each: true })
      lines!: Line[];
    }
    @FcFunction()
    class TakesOrder {
      @OnInvoke()
      handle(@Event() _e: Order): void {}
    }
    const message = bootError(TakesOrder);
    expect(message).to.include('TakesOrder.handle').and.include('Order.lines').and.include('@Type');
  });

  it('rejects @ValidateNested() without @Type two levels deep', () => {
    class Sku {
      @IsString()
      code!: string;
    }
    class Line {
      @ValidateNested()
      sku!: Sku;
    }
    class Order {
      @ValidateNested({ each: true })
      @Type(() => Line)
      lines!: Line[];
    }
    @FcFunction()
    class TakesDeepOrder {
      @OnInvoke()
      handle(@Event() _e: Order): void {}
    }
    const message = bootError(TakesDeepOrder);
    expect(message).to.include('TakesDeepOrder.handle').and.include('Line.sku').and.include('@Type');
  });

  for (const [label, type] of [
    ['Number', Number],
    ['Boolean', Boolean],
    ['Date', Date],
    ['Map', Map],
  ] as const) {
    it(`rejects an event declared as ${label}`, () => {
      @FcFunction()
      class TakesUnsupported {
        @OnInvoke()
        handle(@Event(type as never) _e: unknown): void {}
      }
      const message = bootError(TakesUnsupported);
      expect(message).to.include('TakesUnsupported.handle').and.include(`event type ${label} is not supported`);
    });
  }

  it('rejects an event whose declared type is number', () => {
    @FcFunction()
    class TakesNumber {
      @OnInvoke()
      handle(@Event() _e: number): void {}
    }
    expect(bootError(TakesNumber)).to.include('TakesNumber.handle').and.include('Number');
  });

  it('rejects a kernel without functions', () => {
    expect(() => createKernel({ functions: [] })).to.throw(TypeError, /at least one @FcFunction/);
  });
});
