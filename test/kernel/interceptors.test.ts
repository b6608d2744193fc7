import { expect } from 'chai';
import { IsInt, IsString, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import {
  ConfigurationError,
  createKernel,
  Ctx,
  currentInvocation,
  EncodedAnswer,
  encodeAnswer,
  Event,
  FcContext,
  FcError,
  FcFunction,
  inject,
  injectable,
  OnInitialize,
  OnInvoke,
  singleton,
  TimeoutError,
  UseInterceptors,
  type CallNext,
  type Interceptor,
  type InterceptorFunction,
  type InterceptorProvider,
  type InterceptorSetup,
  type Invocation,
  type KernelOptions,
  type KernelResponse,
} from '../../src';
import { deferred, settle } from '../helpers/async';
import { errorOf, okBody } from '../helpers/answers';
import { markersIn } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

/** An interceptor that writes `name>` before the rest of the chain and `<name` after it. */
function tracing(name: string, trace: string[]): InterceptorFunction {
  const intercept: InterceptorFunction = async (_invocation, next) => {
    trace.push(`${name}>`);
    try {
      return await next();
    } finally {
      trace.push(`<${name}`);
    }
  };
  Object.defineProperty(intercept, 'name', { value: name });
  return intercept;
}

// A layer's option, added as a layer adds its own (the kernel passes it to every provider).
declare module 'fc-kernel' {
  interface KernelOptions {
    tagging?: { tag: string };
  }
}

class InsufficientStock extends FcError {
  readonly errorType = 'InsufficientStock';
}

describe('interceptors around the @OnInvoke handler', () => {
  const kernelOf = useTestKernels();

  describe('registration and order', () => {
    it('runs the kernel, @FcFunction, class and method interceptors in that order, outermost first, each list as written', async () => {
      const trace: string[] = [];
      @FcFunction({ interceptors: [tracing('function-1', trace), tracing('function-2', trace)] })
      @UseInterceptors(tracing('class-1', trace), tracing('class-2', trace))
      @UseInterceptors(tracing('class-3', trace))
      class Ordered {
        @OnInvoke()
        @UseInterceptors(tracing('method-1', trace))
        @UseInterceptors(tracing('method-2', trace))
        handle(): string {
          trace.push('handler');
          return 'done';
        }
      }
      const tk = kernelOf([Ordered], { interceptors: [tracing('kernel-1', trace), tracing('kernel-2', trace)] });
      expect(okBody(await tk.invoke('{}'))).to.equal('done');
      const entered = [
        'kernel-1',
        'kernel-2',
        'function-1',
        'function-2',
        'class-1',
        'class-2',
        'class-3',
        'method-1',
        'method-2',
      ];
      expect(trace).to.deep.equal([
        ...entered.map((name) => `${name}>`),
        'handler',
        ...entered.reverse().map((name) => `<${name}`),
      ]);
    });

    it("puts a base class's interceptors outside its subclass's", async () => {
      const trace: string[] = [];
      @UseInterceptors(tracing('base', trace))
      class Base {
        @OnInvoke()
        handle(): string {
          trace.push('handler');
          return 'done';
        }
      }
      @FcFunction()
      @UseInterceptors(tracing('derived', trace))
      class Derived extends Base {}
      await kernelOf([Derived]).invoke('{}');
      expect(trace).to.deep.equal(['base>', 'derived>', 'handler', '<derived', '<base']);
    });

    it('gives each interceptor the function, the method, the instance, the validated event, the arguments and the context; a refused event reaches none', async () => {
      class Order {
        @IsString() orderId!: string;
        @IsInt() quantity!: number;
      }
      const seen: Invocation[] = [];
      @FcFunction({ name: 'create-order', interceptors: [(invocation, next) => (seen.push(invocation), next())] })
      class CreateOrder {
        @OnInvoke()
        handle(@Ctx() ctx: FcContext, @Event() order: Order): string {
          return `${ctx.requestId} ${order.orderId}`;
        }
      }
      const tk = kernelOf([CreateOrder]);
      const res = await tk.invoke({ orderId: 'A-1', quantity: 2 }, { requestId: 'req-1' });
      expect(okBody(res)).to.equal('req-1 A-1');
      const [invocation] = seen;
      expect(invocation.functionName).to.equal('create-order');
      expect(invocation.functionClass).to.equal(CreateOrder);
      expect(invocation.method).to.equal('handle');
      expect(invocation.instance).to.be.instanceOf(CreateOrder);
      expect(invocation.event).to.be.instanceOf(Order).and.deep.include({ orderId: 'A-1', quantity: 2 });
      expect(invocation.args).to.have.length(2);
      expect(invocation.args[1]).to.equal(invocation.event);
      expect(invocation.context).to.be.instanceOf(FcContext);
      expect(invocation.context.requestId).to.equal('req-1');
      expect(invocation.args[0]).to.equal(invocation.context);
      // An event refused by validation is answered before any interceptor runs.
      expect(errorOf(await tk.invoke({ orderId: 'A-2', quantity: 'two' })).errorType).to.equal('ValidationError');
      expect(seen).to.have.length(1);
    });

    it('gives an undefined event to the interceptors of a handler that takes none', async () => {
      let event: unknown = 'not called';
      @FcFunction({ interceptors: [(invocation, next) => ((event = invocation.event), next())] })
      class NoEvent {
        @OnInvoke()
        handle(): string {
          return 'ok';
        }
      }
      await kernelOf([NoEvent]).invoke('{}');
      expect(event).to.equal(undefined);
    });
  });

  describe('what the chain answers', () => {
    it('short-circuits: an interceptor answering without next() is encoded as a handler result, and the handler does not run', async () => {
      let ran = false;
      const cached: InterceptorFunction = () => ({ cached: true });
      @FcFunction()
      class Cached {
        @OnInvoke()
        @UseInterceptors(cached)
        handle(): string {
          ran = true;
          return 'fresh';
        }
      }
      const tk = kernelOf([Cached]);
      const res = await tk.invoke('{}');
      expect(okBody(res)).to.deep.equal({ cached: true });
      expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(ran).to.equal(false);
      expect(markersIn(res.logs)).to.deep.equal([
        `FC Invoke Start RequestId: ${res.requestId}`,
        `FC Invoke End RequestId: ${res.requestId}`,
      ]);
    });

    it('answers an EncodedAnswer byte for byte, with its content type', async () => {
      const bytes = Buffer.from([0x7b, 0x0a, 0x20, 0xff, 0x7d]);
      @FcFunction({ interceptors: [() => new EncodedAnswer(bytes, 'application/x-stored')] })
      class Replayed {
        @OnInvoke()
        handle(): string {
          return 'fresh';
        }
      }
      const res = await kernelOf([Replayed]).invoke('{}');
      expect(res.raw.equals(bytes)).to.equal(true);
      expect(res.headers['content-type']).to.equal('application/x-stored');
    });

    it('replays what encodeAnswer stored exactly as the handler was first answered', async () => {
      const stored = new Map<string, EncodedAnswer>();
      const replay: InterceptorFunction = async (invocation, next) => {
        const key = String((invocation.event as { id: string }).id);
        const hit = stored.get(key);
        if (hit) return hit;
        const answer = encodeAnswer(await next());
        stored.set(key, answer);
        return answer;
      };
      let runs = 0;
      @FcFunction({ interceptors: [replay] })
      class Answers {
        @OnInvoke()
        handle(@Event() event: { id: string; value: unknown }): unknown {
          runs++;
          return event.value;
        }
      }
      const tk = kernelOf([Answers]);
      for (const value of [{ a: [1, 'ü'] }, 'text', 42, null]) {
        const id = JSON.stringify(value);
        const first = await tk.invoke({ id, value });
        const again = await tk.invoke({ id, value: 'changed' });
        expect(again.raw.equals(first.raw), id).to.equal(true);
        expect(again.headers['content-type']).to.equal(first.headers['content-type']);
      }
      expect(runs).to.equal(4);
    });

    it("maps the handler's error to an FcError: FC's error shape with its type, a handled error", async () => {
      const mapping: InterceptorFunction = async (_invocation, next) => {
        try {
          return await next();
        } catch (error) {
          if (error instanceof RangeError) throw new InsufficientStock(`Out of stock: ${error.message}`);
          throw error;
        }
      };
      @FcFunction({ interceptors: [mapping] })
      class Stock {
        @OnInvoke()
        handle(): never {
          throw new RangeError('sku B-2');
        }
      }
      const res = await kernelOf([Stock]).invoke('{}', { requestId: 'r-map' });
      const body = errorOf(res);
      expect(body.errorType).to.equal('InsufficientStock');
      expect(body.errorMessage).to.equal('Out of stock: sku B-2');
      expect(res.logs.some((line) => line.includes('[ERROR]') && line.includes('InsufficientStock'))).to.equal(true);
      expect(markersIn(res.logs).at(-1)).to.equal('FC Invoke End RequestId: r-map, Error: Handled function error');
    });

    it("turns the handler's error into an answer when an interceptor returns one instead", async () => {
      const fallback: InterceptorFunction = (_invocation, next) => next().catch(() => ({ degraded: true }));
      @FcFunction({ interceptors: [fallback] })
      class Flaky {
        @OnInvoke()
        async handle(): Promise<never> {
          throw new Error('backend down');
        }
      }
      expect(okBody(await kernelOf([Flaky]).invoke('{}'))).to.deep.equal({ degraded: true });
    });

    it("answers an interceptor's own throw, synchronous or not, as the invocation's error; the handler does not run", async () => {
      let ran = false;
      const throwing: InterceptorFunction = (invocation) => {
        if ((invocation.event as { sync: boolean }).sync) throw new TypeError('refused at once');
        return Promise.reject(new TypeError('refused later'));
      };
      @FcFunction({ interceptors: [throwing] })
      class Guarded {
        @OnInvoke()
        handle(@Event() _event: object): string {
          ran = true;
          return 'ran';
        }
      }
      const tk = kernelOf([Guarded]);
      for (const [sync, message] of [
        [true, 'refused at once'],
        [false, 'refused later'],
      ] as const) {
        const res = await tk.invoke({ sync }, { requestId: `r-${sync}` });
        expect(errorOf(res)).to.deep.include({ errorType: 'TypeError', errorMessage: message });
        expect(markersIn(res.logs).at(-1)).to.equal(
          `FC Invoke End RequestId: r-${sync}, Error: Unhandled function error`,
        );
      }
      expect(ran).to.equal(false);
    });

    it('runs the rest of the chain again on each call of next()', async () => {
      let attempts = 0;
      const retryOnce: InterceptorFunction = (_invocation, next) => next().catch(() => next());
      @FcFunction({ interceptors: [retryOnce] })
      class Retried {
        @OnInvoke()
        handle(): string {
          if (++attempts === 1) throw new Error('first attempt fails');
          return `attempt ${attempts}`;
        }
      }
      expect(okBody(await kernelOf([Retried]).invoke('{}'))).to.equal('attempt 2');
    });
  });

  describe('the invocation around the chain', () => {
    it('times the whole chain: an interceptor past the deadline is answered TimeoutError and sees ctx.signal abort', async () => {
      const aborted = deferred<unknown>();
      const slow: InterceptorFunction = (invocation) =>
        new Promise(() =>
          invocation.context.signal.addEventListener('abort', () => aborted.resolve(invocation.context.signal.reason)),
        );
      let ran = false;
      @FcFunction({ interceptors: [slow] })
      class Slow {
        @OnInvoke()
        handle(): string {
          ran = true;
          return 'ran';
        }
      }
      const res = await kernelOf([Slow]).invoke('{}', { timeoutSeconds: 0.05, requestId: 'r-slow' });
      expect(errorOf(res)).to.deep.include({
        errorType: 'TimeoutError',
        errorMessage: 'Function timed out after 0.05 seconds',
      });
      expect(await aborted.promise).to.be.instanceOf(TimeoutError);
      expect(ran).to.equal(false);
      expect(markersIn(res.logs).at(-1)).to.equal('FC Invoke End RequestId: r-slow, Error: Unhandled function error');
    });

    it('counts the time an interceptor spends after the handler against the deadline too', async () => {
      const lingering: InterceptorFunction = async (_invocation, next) => {
        const result = await next();
        await new Promise((resolve) => setTimeout(resolve, 200));
        return result;
      };
      @FcFunction({ interceptors: [lingering] })
      class Lingering {
        @OnInvoke()
        handle(): string {
          return 'quick';
        }
      }
      const res = await kernelOf([Lingering]).invoke('{}', { timeoutSeconds: 0.05 });
      expect(errorOf(res).errorType).to.equal('TimeoutError');
    });

    it("aborts the interceptors' ctx.signal when the caller goes away", async () => {
      const entered = deferred();
      const reason = deferred<unknown>();
      const waiting: InterceptorFunction = (invocation, next) => {
        invocation.context.signal.addEventListener('abort', () => reason.resolve(invocation.context.signal.reason));
        entered.resolve();
        return new Promise((resolve) => invocation.context.signal.addEventListener('abort', () => resolve(next())));
      };
      @FcFunction({ interceptors: [waiting] })
      class Waiting {
        @OnInvoke()
        handle(@Ctx() ctx: FcContext): string {
          return ctx.signal.aborted ? 'saw the abort' : 'no abort';
        }
      }
      const caller = new AbortController();
      const answer = kernelOf([Waiting]).invoke('{}', { signal: caller.signal });
      await entered.promise;
      caller.abort(new Error('gone'));
      expect(((await reason.promise) as Error).message).to.equal('gone');
      expect(okBody(await answer)).to.equal('saw the abort');
    });

    it('calls a synchronous handler through the chain and answers its value', async () => {
      @FcFunction({ interceptors: [(_invocation, next) => next().then((value) => `wrapped ${String(value)}`)] })
      class Sync {
        @OnInvoke()
        handle(@Event() text: string): string {
          return `got ${text}`;
        }
      }
      expect(okBody(await kernelOf([Sync]).invoke('one'))).to.equal('wrapped got one');
    });

    it('runs after an asynchronous validation: the interceptor sees the validated event, and an invalid one never reaches it', async () => {
      @ValidatorConstraint({ name: 'knownSku', async: true })
      class KnownSku implements ValidatorConstraintInterface {
        validate(sku: unknown): Promise<boolean> {
          return new Promise((resolve) => setTimeout(() => resolve(sku === 'A'), 5));
        }
        defaultMessage(): string {
          return 'sku must be a known one';
        }
      }
      class Item {
        @Validate(KnownSku) sku!: string;
      }
      const events: unknown[] = [];
      @FcFunction({ interceptors: [(invocation, next) => (events.push(invocation.event), next())] })
      class Checked {
        @OnInvoke()
        handle(@Event() item: Item): string {
          return item.sku;
        }
      }
      const tk = kernelOf([Checked]);
      expect(okBody(await tk.invoke({ sku: 'A' }))).to.equal('A');
      expect(errorOf(await tk.invoke({ sku: 'Z' })).errorType).to.equal('ValidationError');
      expect(events).to.have.length(1);
      expect(events[0]).to.be.instanceOf(Item).and.deep.include({ sku: 'A' });
    });

    it('gives each of 200 concurrent invocations its own context, in the interceptor and after next()', async () => {
      const release = deferred();
      const mismatches: string[] = [];
      const own: InterceptorFunction = async (invocation, next) => {
        const before = currentInvocation()?.context;
        const result = await next();
        if (currentInvocation()?.context !== invocation.context || before !== invocation.context) {
          mismatches.push(invocation.context.requestId);
        }
        return { interceptor: invocation.context.requestId, handler: result };
      };
      @FcFunction({ interceptors: [own] })
      class Concurrent {
        @OnInvoke()
        async handle(@Ctx() ctx: FcContext): Promise<string> {
          await release.promise;
          return ctx.requestId;
        }
      }
      const tk = kernelOf([Concurrent]);
      const answers = Array.from({ length: 200 }, (_, i) => tk.invoke('{}', { requestId: `req-${i}` }));
      await settle();
      release.resolve();
      const bodies = (await Promise.all(answers)).map((res) => okBody(res));
      expect(bodies).to.deep.equal(
        Array.from({ length: 200 }, (_, i) => ({ interceptor: `req-${i}`, handler: `req-${i}` })),
      );
      expect(mismatches).to.deep.equal([]);
    });

    it("logs the interceptor's lines under the request id, between the unchanged markers", async () => {
      const logging: InterceptorFunction = async (invocation, next) => {
        invocation.context.logger.info('before');
        const result = await next();
        console.log('after');
        return result;
      };
      @FcFunction({ interceptors: [logging] })
      class Logged {
        @OnInvoke()
        handle(@Ctx() ctx: FcContext): string {
          ctx.logger.info('handler');
          return 'ok';
        }
      }
      const res = await kernelOf([Logged]).invoke('{}', { requestId: 'r-log' });
      expect(res.logs[0]).to.equal('FC Invoke Start RequestId: r-log');
      expect(res.logs.at(-1)).to.equal('FC Invoke End RequestId: r-log');
      expect(res.logs.slice(1, -1).map((line) => line.replace(/^\S+ /, ''))).to.deep.equal([
        'r-log [INFO] before',
        'r-log [INFO] handler',
        'r-log [INFO] after',
      ]);
    });
  });

  describe('classes and providers', () => {
    it('resolves an interceptor class from the root container once, at boot, with its injected services', async () => {
      @singleton()
      class Clock {
        now(): number {
          return 1234;
        }
      }
      let made = 0;
      @injectable()
      class Stamped implements Interceptor {
        constructor(
          private readonly clock: Clock,
          @inject('prefix') private readonly prefix: string,
        ) {
          made++;
        }
        async intercept(_invocation: Invocation, next: CallNext): Promise<unknown> {
          return `${this.prefix} ${this.clock.now()} ${String(await next())}`;
        }
      }
      @FcFunction()
      @UseInterceptors(Stamped)
      class Stamps {
        @OnInvoke()
        handle(): string {
          return 'body';
        }
      }
      const tk = kernelOf([Stamps], { overrides: [['prefix', { useValue: 'at' }]] });
      expect(made).to.equal(1);
      expect(okBody(await tk.invoke('{}'))).to.equal('at 1234 body');
      expect(okBody(await tk.invoke('{}'))).to.equal('at 1234 body');
      expect(made).to.equal(1);
    });

    it('calls an object with intercept() as it is', async () => {
      const counter = {
        calls: 0,
        intercept(_invocation: Invocation, next: CallNext) {
          this.calls++;
          return next();
        },
      };
      @FcFunction({ interceptors: [counter] })
      class Counted {
        @OnInvoke()
        handle(): string {
          return 'ok';
        }
      }
      const tk = kernelOf([Counted]);
      await tk.invoke('{}');
      await tk.invoke('{}');
      expect(counter.calls).to.equal(2);
    });

    it('asks a provider once per handler at boot, with the options the kernel got (a layer reads its own there) and its root container', async () => {
      const setups: InterceptorSetup[] = [];
      const provider: InterceptorProvider = {
        forHandler(setup) {
          setups.push(setup);
          const tag = setup.options.tagging?.tag;
          return tag === undefined ? null : async (_invocation, next) => `${tag}: ${String(await next())}`;
        },
      };
      @FcFunction({ name: 'tagged' })
      class Tagged {
        @OnInvoke()
        @UseInterceptors(provider)
        answer(): string {
          return 'body';
        }
      }
      const options: KernelOptions = { functions: [Tagged], env: {}, logSink: () => undefined, tagging: { tag: 'v1' } };
      const kernel = createKernel(options);
      try {
        expect(setups).to.have.length(1);
        expect(setups[0]).to.include({ functionName: 'tagged', functionClass: Tagged, method: 'answer' });
        expect(setups[0].options).to.equal(options);
        expect(setups[0].container).to.equal(kernel.root);
        const answer = await kernel.dispatch({ method: 'POST', path: '/invoke', body: '{}' });
        expect(String(answer.body)).to.equal('v1: body');
      } finally {
        await kernel.close();
      }
    });

    it('runs the plain path, answering a synchronous handler at once, when every provider adds nothing or the list is empty', async () => {
      const nothing: InterceptorProvider = { forHandler: () => null };
      @FcFunction({ interceptors: [] })
      @UseInterceptors(nothing)
      class Plain {
        @OnInvoke()
        handle(@Event() text: string): string {
          return `got ${text}`;
        }
      }
      const lines: string[] = [];
      const kernel = createKernel({
        functions: [Plain],
        interceptors: [nothing],
        env: {},
        logSink: (l) => lines.push(l),
      });
      try {
        const request = { method: 'POST', path: '/invoke', headers: { 'x-fc-request-id': 'r-1' }, body: 'one' };
        await kernel.respond(request);
        const answer = kernel.respond(request);
        expect(answer).not.to.be.instanceOf(Promise);
        expect((answer as KernelResponse).body).to.equal('got one');
      } finally {
        await kernel.close();
      }
    });

    it('refuses at boot what is not an interceptor, naming the function and method', () => {
      @FcFunction({ interceptors: [42 as never] })
      class Numbered {
        @OnInvoke()
        handle(): void {}
      }
      class NoIntercept {}
      @FcFunction()
      class WrongClass {
        @OnInvoke()
        @UseInterceptors(NoIntercept as never)
        handle(): void {}
      }
      const refusal = (target: new () => unknown) => {
        try {
          createKernel({ functions: [target], env: {} });
        } catch (error) {
          return error;
        }
        expect.fail('createKernel accepted it');
      };
      const numbered = refusal(Numbered);
      expect(numbered).to.be.instanceOf(ConfigurationError).and.include({ code: 'INVALID_INTERCEPTOR' });
      expect((numbered as ConfigurationError).message).to.match(
        /^Numbered\.handle: an interceptor must be .*got a number$/,
      );
      expect((refusal(WrongClass) as ConfigurationError).message).to.equal(
        'WrongClass.handle: the interceptor class NoIntercept has no intercept(invocation, next) method',
      );
    });

    it('refuses at boot @UseInterceptors on a method other than the @OnInvoke handler', () => {
      @FcFunction()
      class Misplaced {
        @OnInitialize()
        @UseInterceptors((_invocation, next) => next())
        warmUp(): void {}
        @OnInvoke()
        handle(): void {}
      }
      expect(() => createKernel({ functions: [Misplaced], env: {} }))
        .to.throw(
          ConfigurationError,
          'Misplaced.warmUp: @UseInterceptors is on a method that is not the @OnInvoke() handler (handle): interceptors wrap the handler only',
        )
        .with.property('where')
        .that.deep.equals({ className: 'Misplaced', method: 'warmUp' });
    });

    it("refuses at boot an interceptor class the container cannot build, and passes a provider's own ConfigurationError on", () => {
      @injectable()
      class NeedsMissing implements Interceptor {
        constructor(@inject('missing-service') readonly service: unknown) {}
        intercept(_invocation: Invocation, next: CallNext): unknown {
          return next();
        }
      }
      @FcFunction()
      class Unbuildable {
        @OnInvoke()
        @UseInterceptors(NeedsMissing)
        handle(): void {}
      }
      expect(() => createKernel({ functions: [Unbuildable], env: {} }))
        .to.throw(ConfigurationError, /^Unbuildable\.handle: the interceptor class NeedsMissing could not be resolved/)
        .with.property('code', 'UNRESOLVABLE_INTERCEPTOR');
      const unconfigured: InterceptorProvider = {
        forHandler: (setup) => {
          throw new ConfigurationError('INVALID_INTERCEPTOR', `${setup.functionName} needs a store`);
        },
      };
      @FcFunction({ interceptors: [unconfigured] })
      class Unconfigured {
        @OnInvoke()
        handle(): void {}
      }
      expect(() => createKernel({ functions: [Unconfigured], env: {} })).to.throw(
        ConfigurationError,
        'Unconfigured needs a store',
      );
    });
  });
});
