import { expect } from 'chai';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import {
  ConfigurationError,
  container as globalContainer,
  createKernel,
  Ctx,
  Event,
  FC_CONTEXT,
  FcFunction,
  Headers,
  inject,
  Inject,
  OnInitialize,
  OnInvoke,
  OnPreFreeze,
  OnPreStop,
  UseInterceptors,
  ValidationSettings,
  type Constructor,
  type DependencyContainer,
  type EventValidator,
  type FcContext,
} from '../../src';
import { CreateOrderFunction } from '../../samples/order-service/index';
import { describeFunctions, type DescribeFunctionsOptions } from '../../src/plan/describeFunctions';
import type { FunctionDescription } from '../../src/plan/describeFunction';
import { formatInspection } from '../../src/cli/formatInspection';

/** The one function `options` describe, asserting there is no problem. */
function describeOne(
  target: Constructor,
  options: Omit<DescribeFunctionsOptions, 'functions'> = {},
): FunctionDescription {
  const { functions, problems } = describeFunctions({ functions: [target], ...options });
  expect(problems).to.deep.equal([]);
  expect(functions).to.have.length(1);
  return functions[0]!;
}

/** The error `createKernel` throws for `functions`, or undefined when it creates the kernel. */
function kernelError(functions: Constructor[], container: DependencyContainer): ConfigurationError | undefined {
  try {
    void createKernel({ functions, container, env: {}, logSink: () => undefined }).close();
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
}

describe('describeFunctions: functions as data, every boot problem at once', () => {
  describe('the order sample', () => {
    const [order] = describeFunctions({ functions: [CreateOrderFunction] }).functions;

    it('names the function and its class, and each hook with what its parameters receive', () => {
      expect(order!.name).to.equal('create-order');
      expect(order!.className).to.equal('CreateOrderFunction');
      expect(order!.hooks).to.deep.equal([
        { kind: 'initialize', method: 'warmUp', parameters: [{ index: 0, kind: 'context' }] },
        {
          kind: 'invoke',
          method: 'createOrder',
          parameters: [
            { index: 0, kind: 'event', type: 'CreateOrder' },
            { index: 1, kind: 'context' },
          ],
        },
        { kind: 'preStop', method: 'flush', parameters: [{ index: 0, kind: 'context' }] },
      ]);
    });

    it("describes the event as CreateOrder, with OrderItem's constraints nested under items", () => {
      const { event } = order!;
      expect(event).to.deep.include({ type: 'CreateOrder', decoding: 'validated' });
      const validation = event!.validation!;
      if (validation.form !== 'object') expect.fail('an object event');
      expect(validation.class).to.equal('CreateOrder');
      expect(validation.engine.engine).to.equal('compiled');
      expect(validation.fields.map((f) => [f.name, f.constraints.map((c) => c.name)])).to.deep.equal([
        ['orderId', ['isString', 'isNotEmpty']],
        ['customerEmail', ['isEmail']],
        ['items', ['isArray', 'arrayMinSize', 'arrayMaxSize', 'nestedValidation']],
        ['couponCode', ['isOptional', 'isString']],
      ]);
      const items = validation.fields[2]!;
      expect(items.nested).to.deep.include({ class: 'OrderItem', each: true });
      expect(items.nested!.fields!.map((f) => [f.name, f.constraints])).to.deep.equal([
        ['sku', [{ name: 'isString' }, { name: 'isNotEmpty' }]],
        ['quantity', [{ name: 'isInt' }, { name: 'min', args: [1] }]],
        [
          'unitPrice',
          [
            { name: 'isNumber', args: [{ allowNaN: false, allowInfinity: false }] },
            { name: 'min', args: [0] },
          ],
        ],
      ]);
      expect(validation.fields[3]!.optional).to.equal(true);
    });

    it('lists the injected PricingService and ORDER_REPOSITORY with how they are provided', () => {
      expect(order!.services).to.deep.equal([
        {
          parameter: 0,
          token: 'PricingService',
          provider: 'class',
          registered: false,
          className: 'PricingService',
          lifecycle: 'transient',
        },
        {
          parameter: 1,
          token: 'Symbol(OrderRepository)',
          provider: 'class',
          registered: true,
          className: 'InMemoryOrderRepository',
          lifecycle: 'singleton',
        },
      ]);
    });

    it('shows the validation settings in force, and no layer set any', () => {
      expect(order!.validation).to.deep.equal({
        options: {
          enableImplicitConversion: false,
          whitelist: true,
          forbidNonWhitelisted: true,
          forbidUnknownValues: true,
          skipMissingProperties: false,
          stopAtFirstError: false,
          maxArrayElements: 10_000,
          maxEventNodes: 100_000,
          maxObjectKeys: 1_000,
        },
        kernel: null,
        function: null,
      });
    });
  });

  describe('parameters', () => {
    it('headers, one header, an injected service, and the decorator-free (event, ctx) form', () => {
      class Ping {
        @IsString() id!: string;
      }
      const AUDIT = Symbol('Audit');
      const container = globalContainer.createChildContainer();
      container.register(AUDIT, { useValue: { record: () => undefined } });
      @FcFunction({ name: 'params' })
      class Params {
        @OnInitialize({}) warm() {}
        @OnInvoke() handle(
          @Event() _ping: Ping,
          @Headers() _all: Record<string, string>,
          @Headers('X-Fc-Qualifier') _qualifier: string,
          @Inject(AUDIT) _audit: unknown,
          @Inject(FC_CONTEXT) _ctx: FcContext,
        ) {}
        @OnPreStop() stop(@Ctx() _ctx: FcContext) {}
        @OnPreFreeze() freeze() {}
      }
      const fn = describeOne(Params, { container });
      expect(fn.hooks.map((h) => h.kind)).to.deep.equal(['initialize', 'invoke', 'preStop', 'preFreeze']);
      // Compiled by tsc, a method without parameters has type metadata: it receives nothing.
      expect(fn.hooks[0]!.parameters).to.deep.equal([]);
      expect(fn.hooks[1]!.parameters).to.deep.equal([
        { index: 0, kind: 'event', type: 'Ping' },
        { index: 1, kind: 'headers', name: null },
        { index: 2, kind: 'headers', name: 'x-fc-qualifier' },
        { index: 3, kind: 'inject', service: { token: 'Symbol(Audit)', provider: 'value', registered: true } },
        { index: 4, kind: 'inject', service: { token: 'FC_CONTEXT', provider: 'per-invocation', registered: true } },
      ]);

      @FcFunction({ name: 'decorator-free' })
      class DecoratorFree {
        @OnInvoke({ event: Ping }) handle(ping: Ping, _ctx: FcContext) {
          return ping.id;
        }
      }
      const free = describeOne(DecoratorFree);
      expect(free.hooks[0]!.parameters).to.deep.equal([
        { index: 0, kind: 'event', type: 'Ping' },
        { index: 1, kind: 'context' },
      ]);
      expect(free.event).to.deep.include({ type: 'Ping', decoding: 'validated' });
    });

    it('the event types that are not DTOs: bytes, text, JSON, a JSON array, and no event', () => {
      const decodingOf = (type: unknown) => {
        @FcFunction({ name: 'typed' })
        class Typed {
          @OnInvoke() handle(@Event(type as never) _event: unknown) {}
        }
        return describeOne(Typed).event;
      };
      expect(decodingOf(Buffer)).to.deep.equal({ type: 'Buffer', decoding: 'bytes', validation: null });
      expect(decodingOf(String)).to.deep.equal({ type: 'String', decoding: 'text', validation: null });
      expect(decodingOf(Object)).to.deep.equal({ type: 'Object', decoding: 'json', validation: null });
      expect(decodingOf(Array)).to.deep.equal({ type: 'Array', decoding: 'json-array', validation: null });

      @FcFunction({ name: 'no-event' })
      class NoEvent {
        @OnInvoke() handle(@Ctx() _ctx: FcContext) {}
      }
      expect(describeOne(NoEvent).event).to.equal(null);
    });
  });

  describe('interceptors', () => {
    function timing(_invocation: unknown, next: () => Promise<unknown>): Promise<unknown> {
      return next();
    }
    class Audited {
      intercept(_invocation: unknown, next: () => Promise<unknown>): Promise<unknown> {
        return next();
      }
    }
    const idempotency = { name: 'idempotency', forHandler: () => null };

    it("lists the handler's interceptors outermost first, each by name, form and where it was registered", () => {
      @FcFunction({ interceptors: [timing] })
      @UseInterceptors(Audited)
      class Intercepted {
        @OnInvoke()
        @UseInterceptors(idempotency, { intercept: timing })
        handle() {}
      }
      const fn = describeOne(Intercepted);
      expect(fn.interceptors).to.deep.equal([
        { name: 'timing', form: 'function', level: 'function' },
        { name: 'Audited', form: 'class', level: 'class' },
        { name: 'idempotency', form: 'provider', level: 'method' },
        { name: '(anonymous object)', form: 'object', level: 'method' },
      ]);
      expect(formatInspection('entry.js', { functions: [fn], problems: [] })).to.include(
        [
          '    invoke  handle()',
          '      interceptors, outermost first',
          '        timing              function, @FcFunction',
          '        Audited             class, @UseInterceptors on the class',
          '        idempotency         provider, @UseInterceptors on the method',
          '        (anonymous object)  object, @UseInterceptors on the method',
          '  event  none (the handler takes no event)',
        ].join('\n'),
      );
    });

    it('lists none, and prints no line, for a handler without interceptors', () => {
      @FcFunction()
      class Plain {
        @OnInvoke() handle() {}
      }
      const fn = describeOne(Plain);
      expect(fn.interceptors).to.deep.equal([]);
      expect(formatInspection('entry.js', { functions: [fn], problems: [] })).not.to.include('interceptors');
    });

    it('reports what is not an interceptor as a problem, as createKernel refuses it', () => {
      @FcFunction({ interceptors: ['timing' as never] })
      class Misdeclared {
        @OnInvoke() handle() {}
      }
      const { functions, problems } = describeFunctions({ functions: [Misdeclared] });
      expect(problems.map((p) => [p.code, p.where])).to.deep.equal([
        ['INVALID_INTERCEPTOR', { className: 'Misdeclared', method: 'handle' }],
      ]);
      expect(functions[0]!.interceptors).to.deep.equal([]);
      expect(kernelError([Misdeclared], globalContainer.createChildContainer())!.message).to.equal(
        problems[0]!.message,
      );
    });
  });

  describe('validation settings and engines', () => {
    it('layers: the kernel, then @FcFunction, then the DTO class', () => {
      @ValidationSettings({ forbidNonWhitelisted: false })
      class Loose {
        @IsString() id!: string;
      }
      @FcFunction({ name: 'layers', validation: { stopAtFirstError: true } })
      class Layers {
        @OnInvoke() handle(@Event() _e: Loose) {}
      }
      const fn = describeOne(Layers, { validation: { enableImplicitConversion: true, groups: ['a'] } });
      expect(fn.validation.kernel).to.deep.equal({ enableImplicitConversion: true, groups: ['a'] });
      expect(fn.validation.function).to.deep.equal({ stopAtFirstError: true });
      expect(fn.validation.options).to.deep.include({
        enableImplicitConversion: true,
        stopAtFirstError: true,
        forbidNonWhitelisted: true,
        groups: ['a'],
      });
      const validation = fn.event!.validation!;
      if (validation.form !== 'object') expect.fail('an object event');
      expect(validation.settings).to.deep.equal({ forbidNonWhitelisted: false });
      expect(validation.options).to.deep.include({
        enableImplicitConversion: true,
        stopAtFirstError: true,
        forbidNonWhitelisted: false,
      });
    });

    it("asks the kernel's engine how it validates each class; one that does not say is `custom`", () => {
      class Dto {
        @IsString() id!: string;
      }
      @FcFunction({ name: 'engine' })
      class UsesDto {
        @OnInvoke() handle(@Event() _e: Dto) {}
      }
      const seen: unknown[] = [];
      const describing: EventValidator = {
        compile: () => (plain) => plain as object,
        describe: (dto, options) => {
          seen.push([dto, options.whitelist]);
          return { engine: 'compiled', reason: 'fell back: a custom async constraint' };
        },
      };
      const engineOf = (validator: EventValidator) => {
        const validation = describeOne(UsesDto, { validation: { validator } }).event!.validation!;
        return validation.form === 'object' ? validation.engine : undefined;
      };
      expect(engineOf(describing)).to.deep.equal({
        engine: 'compiled',
        reason: 'fell back: a custom async constraint',
      });
      expect(seen).to.deep.equal([[Dto, true]]);
      expect(engineOf({ compile: () => (plain) => plain as object })).to.deep.equal({ engine: 'custom' });
      const failing: EventValidator = {
        compile: () => (plain) => plain as object,
        describe: () => {
          throw new Error('not ready');
        },
      };
      expect(engineOf(failing)).to.deep.equal({ engine: 'custom', reason: 'its describe() failed: not ready' });
      // The engine object itself is not a setting: it is not shown as one.
      expect(describeOne(UsesDto, { validation: { validator: describing } }).validation.kernel).to.equal(null);
    });
  });

  describe('every configuration problem of an entry, at once', () => {
    const MAILER = Symbol('Mailer');
    class Address {
      @IsString() street!: string;
    }
    class Signup {
      @IsString() email!: string;
      @ValidateNested() address!: Address;
    }
    @FcFunction({ name: 'signup' })
    class SignupFunction {
      constructor(@inject(MAILER) readonly mailer: unknown) {}
      @OnInvoke() handle(@Event() _s: Signup, _loose: string, @Headers('x-fc-security-token') _t: string) {}
    }
    @FcFunction({ name: 'signup' })
    class SignupAgain {
      constructor(@inject(FC_CONTEXT) readonly ctx: FcContext) {}
      @OnInvoke() handle() {}
    }
    class Bare {
      name!: string;
    }
    @FcFunction({ name: 'hooks' })
    class Hooks {
      @OnInitialize() one() {}
      @OnInitialize() two() {}
      @OnPreStop() stop(@Event() _e: Bare) {}
    }

    it('lists each with its code and where, in the order a kernel meets them', () => {
      const { problems, functions } = describeFunctions({ functions: [SignupFunction, SignupAgain, Hooks] });
      expect(problems.map((p) => [p.code, p.where])).to.deep.equal([
        ['NESTED_WITHOUT_TYPE', { className: 'SignupFunction', method: 'handle', parameter: 0, property: 'address' }],
        ['UNDECORATED_PARAMETER', { className: 'SignupFunction', method: 'handle', parameter: 1 }],
        ['SECRET_HEADER', { className: 'SignupFunction', method: 'handle', parameter: 2 }],
        ['UNREGISTERED_DEPENDENCY', { className: 'SignupFunction', parameter: 0 }],
        ['DUPLICATE_FUNCTION_NAME', { className: 'SignupAgain' }],
        ['CONTEXT_OUTSIDE_INVOCATION', { className: 'SignupAgain', parameter: 0 }],
        ['DUPLICATE_HOOK', { className: 'Hooks', method: 'two' }],
        ['NO_INVOKE_HOOK', { className: 'Hooks' }],
        ['EVENT_OUTSIDE_INVOKE', { className: 'Hooks', method: 'stop', parameter: 0 }],
      ]);
      for (const problem of problems) expect(problem.message).to.be.a('string').and.not.equal('');
      // Each function is still described, its faulty parameters marked.
      expect(functions.map((f) => f.className)).to.deep.equal(['SignupFunction', 'SignupAgain', 'Hooks']);
      expect(functions[0]!.hooks[0]!.parameters.map((p) => [p.kind, p.problem])).to.deep.equal([
        ['event', 'NESTED_WITHOUT_TYPE'],
        ['undecorated', 'UNDECORATED_PARAMETER'],
        ['headers', 'SECRET_HEADER'],
      ]);
      expect(functions[0]!.services[0]).to.deep.include({
        provider: 'unregistered',
        problem: 'UNREGISTERED_DEPENDENCY',
      });
      expect(functions[1]!.services[0]).to.deep.include({ token: 'FC_CONTEXT', problem: 'CONTEXT_OUTSIDE_INVOCATION' });
      expect(functions[2]!.hooks.map((h) => h.kind)).to.deep.equal(['preStop']);
    });

    it('the first is the one createKernel throws, message and all, for each mistake on its own and together', () => {
      const cases: Constructor[][] = [[SignupFunction, SignupAgain, Hooks], [SignupAgain], [Hooks], [SignupFunction]];
      for (const functions of cases) {
        const container = globalContainer.createChildContainer();
        const thrown = kernelError(functions, container)!;
        const [first] = describeFunctions({ functions, container }).problems;
        expect(first, functions.map((f) => f.name).join()).to.deep.equal({
          code: thrown.code,
          where: thrown.where,
          message: thrown.message,
        });
      }
    });

    it('an entry the kernel accepts has no problem', () => {
      class Line {
        @IsString() sku!: string;
        @IsInt() @Min(1) quantity!: number;
      }
      class Order {
        @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
      }
      @FcFunction({ name: 'fine' })
      class Fine {
        @OnInvoke() handle(@Event() _o: Order) {}
      }
      const container = globalContainer.createChildContainer();
      expect(kernelError([Fine], container)).to.equal(undefined);
      expect(describeFunctions({ functions: [Fine], container }).problems).to.deep.equal([]);
    });

    it('a class that is not a function is a problem, and is not described', () => {
      class NotAFunction {}
      const { functions, problems } = describeFunctions({ functions: [NotAFunction as Constructor] });
      expect(functions).to.deep.equal([]);
      expect(problems.map((p) => p.code)).to.deep.equal(['NOT_A_FUNCTION']);
    });

    it("createKernel still stops at the first: its behaviour and messages are the collecting pass's", () => {
      expect(kernelError([SignupFunction], globalContainer.createChildContainer())!.code).to.equal(
        'NESTED_WITHOUT_TYPE',
      );
    });
  });
});
