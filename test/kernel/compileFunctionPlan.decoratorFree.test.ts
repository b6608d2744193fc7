import { expect } from 'chai';
import { IsInt, IsNotEmpty, IsString } from 'class-validator';
import { ConfigurationError, Event, FcContext, FcFunction, OnInitialize, OnInvoke, createKernel } from '../../src';
import { errorOf, okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

/** Applies a method decorator the way the TypeScript compiler would, but without type metadata. */
function decorateMethod(decorator: MethodDecorator, target: { prototype: object }, method: string): void {
  decorator(target.prototype, method, Object.getOwnPropertyDescriptor(target.prototype, method)!);
}

describe('compileFunctionPlan: the decorator-free form', () => {
  const kernelOf = useTestKernels();

  it('@OnInvoke({ event: Dto }) receives the validated event and the context', async () => {
    class Greeting {
      @IsString()
      name!: string;
      @IsInt()
      times!: number;
    }
    const seen: unknown[] = [];
    @FcFunction()
    class Greeter {
      @OnInvoke({ event: Greeting })
      handle(event: Greeting, ctx: FcContext): object {
        seen.push(event, ctx);
        return { text: `${event.name} x${event.times}`, requestId: ctx.requestId };
      }
    }
    const tk = kernelOf([Greeter]);

    const ok = await tk.invoke({ name: 'Ada', times: 2 }, { requestId: 'req-free-1' });
    expect(okBody(ok)).to.deep.equal({ text: 'Ada x2', requestId: 'req-free-1' });
    expect(seen[0]).to.be.instanceOf(Greeting);
    expect(seen[1]).to.be.instanceOf(FcContext);

    const bad = errorOf(await tk.invoke({ name: 'Ada', times: 'two' }));
    expect(bad.errorType).to.equal('ValidationError');
    expect(bad.errors!.map((e) => e.path)).to.deep.equal(['times']);
  });

  it('@OnInvoke({ event: Object }) without type metadata receives parsed JSON and the context', async () => {
    const seen: unknown[] = [];
    class PlainHandler {
      init(ctx: FcContext): void {
        seen.push(['init', ctx]);
      }
      handle(event: unknown, ctx: FcContext): object {
        seen.push(['invoke', event, ctx]);
        return { event, requestId: ctx.requestId };
      }
    }
    decorateMethod(OnInitialize(), PlainHandler, 'init');
    decorateMethod(OnInvoke({ event: Object }), PlainHandler, 'handle');
    FcFunction()(PlainHandler);
    expect(Reflect.getMetadata('design:paramtypes', PlainHandler.prototype, 'handle')).to.equal(undefined);

    const tk = kernelOf([PlainHandler]);
    const res = await tk.invoke('{"anything":[1,2,{"goes":true}]}', { requestId: 'req-free-2' });
    expect(okBody(res)).to.deep.equal({ event: { anything: [1, 2, { goes: true }] }, requestId: 'req-free-2' });
    expect(seen.map((s) => (s as unknown[])[0])).to.deep.equal(['init', 'invoke']);
    expect((seen[0] as unknown[])[1]).to.be.instanceOf(FcContext);
  });

  it('an untyped event still has to be JSON', async () => {
    class PlainHandler {
      handle(event: unknown): unknown {
        return event;
      }
    }
    decorateMethod(OnInvoke({ event: Object }), PlainHandler, 'handle');
    FcFunction()(PlainHandler);
    const tk = kernelOf([PlainHandler]);
    expect(errorOf(await tk.invoke('not json')).errorType).to.equal('EventDecodeError');
  });

  it('@OnInvoke() over (event, ctx) without type metadata fails at boot instead of skipping validation', () => {
    class Batch {
      @IsString()
      @IsNotEmpty()
      bucket!: string;
      @IsString({ each: true })
      keys!: string[];
    }
    const reached: unknown[] = [];
    // What esbuild, tsx or swc leave of `@OnInvoke() handle(@Event() batch: Batch, @Ctx() ctx)`
    // once their parameter decorators are dropped: no decorator and no design:paramtypes.
    class Thumbnails {
      handle(batch: Batch, _ctx: FcContext): void {
        reached.push(batch);
      }
    }
    decorateMethod(OnInvoke(), Thumbnails, 'handle');
    FcFunction({ name: 'thumbnails' })(Thumbnails);
    let error: unknown;
    try {
      createKernel({ functions: [Thumbnails], env: {}, logSink: () => undefined });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).to.equal('EVENT_TYPE_UNKNOWN');
    expect((error as ConfigurationError).where).to.deep.equal({ className: 'Thumbnails', method: 'handle' });
    expect((error as Error).message).to.include("Thumbnails.handle: the event's type is unknown at run time");
    expect((error as Error).message).to.include('@OnInvoke({ event: Dto })');
    expect(reached).to.deep.equal([]);
  });

  it('a metadata-free hook without parameters, or another hook receiving (ctx), is fine', async () => {
    const seen: unknown[] = [];
    class NoParams {
      warmUp(ctx: FcContext): void {
        seen.push(ctx.requestId);
      }
      handle(): string {
        return 'ok';
      }
    }
    decorateMethod(OnInitialize(), NoParams, 'warmUp');
    decorateMethod(OnInvoke(), NoParams, 'handle');
    FcFunction({ name: 'no-params' })(NoParams);
    const tk = kernelOf([NoParams]);
    const res = await tk.invoke('{}', { requestId: 'no-params-1' });
    expect(res.body).to.equal('ok');
    expect(seen).to.deep.equal(['no-params-1']);
  });

  it('rejects { event } mixed with parameter decorators', () => {
    class Ping {
      @IsString()
      text!: string;
    }
    @FcFunction()
    class Mixed {
      @OnInvoke({ event: Ping })
      handle(@Event() _event: Ping, _ctx: FcContext): void {}
    }
    expect(() => createKernel({ functions: [Mixed], env: {} }))
      .to.throw(TypeError)
      .with.property('message')
      .that.includes('Mixed.handle')
      .and.includes('cannot be mixed with parameter decorators');
  });

  it('rejects { event } on a hook other than @OnInvoke', () => {
    class Ping {
      @IsString()
      text!: string;
    }
    @FcFunction()
    class EventOnInit {
      @OnInitialize({ event: Ping })
      init(): void {}
      @OnInvoke()
      handle(): void {}
    }
    expect(() => createKernel({ functions: [EventOnInit], env: {} }))
      .to.throw(TypeError)
      .with.property('message')
      .that.includes('EventOnInit.init')
      .and.includes('only @OnInvoke() receives an event');
  });
});
