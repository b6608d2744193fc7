import { expect } from 'chai';
import { IsString } from 'class-validator';
import {
  container as globalContainer,
  Ctx,
  Event,
  FcContext,
  FcFunction,
  Headers,
  Inject,
  metadataStore,
  OnInitialize,
  OnInvoke,
  OnPreFreeze,
  OnPreStop,
  type InjectionToken,
} from '../../src';
import { okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

describe('decorators', () => {
  const kernelOf = useTestKernels();

  it('only record: one plain record per decorator', () => {
    class Note {
      @IsString()
      text!: string;
    }
    @FcFunction({ name: 'recorded', validation: { whitelist: false } })
    class Recorded {
      @OnInitialize()
      init(): void {}
      @OnInvoke()
      handle(@Event() _n: Note, @Ctx() _c: FcContext, @Headers('X-Custom') _h: string): void {}
      @OnPreStop()
      stop(): void {}
      @OnPreFreeze()
      freeze(): void {}
    }
    expect(metadataStore.functionOf(Recorded)).to.deep.equal({
      target: Recorded,
      options: { name: 'recorded', validation: { whitelist: false } },
    });
    expect(metadataStore.hooksOf(Recorded).map((h) => [h.kind, h.method])).to.deep.equal([
      ['initialize', 'init'],
      ['invoke', 'handle'],
      ['preStop', 'stop'],
      ['preFreeze', 'freeze'],
    ]);
    const params = metadataStore.paramsOf(Recorded, 'handle').sort((a, b) => a.index - b.index);
    expect(params.map(({ target: _t, ...rest }) => rest)).to.deep.equal([
      { method: 'handle', index: 0, kind: 'event', type: undefined },
      { method: 'handle', index: 1, kind: 'context' },
      { method: 'handle', index: 2, kind: 'headers', name: 'x-custom' },
    ]);
    // @FcFunction touches no container.
    expect(globalContainer.isRegistered(Recorded, true)).to.equal(false);
  });

  it('@Event(), @Ctx() and @Headers() refuse constructor parameters', () => {
    for (const decorator of [Event(), Ctx(), Headers()]) {
      expect(() => {
        class OnConstructor {
          constructor(_x: unknown) {}
        }
        decorator(OnConstructor, undefined, 0);
      }).to.throw(TypeError, /not constructor parameters/);
    }
  });

  it('@Inject(token) on a constructor parameter is tsyringe injection', async () => {
    const TOKEN: InjectionToken<string> = Symbol('ctor-token');
    const parent = globalContainer.createChildContainer();
    parent.register(TOKEN, { useValue: 'from the container' });
    @FcFunction()
    class CtorInjected {
      constructor(@Inject(TOKEN) private readonly value: string) {}
      @OnInvoke()
      handle(): object {
        return { value: this.value };
      }
    }
    const tk = kernelOf([CtorInjected], { container: parent });
    expect(okBody(await tk.invoke('{}'))).to.deep.equal({ value: 'from the container' });
  });

  it('a subclass inherits its base class hooks and may re-decorate them', async () => {
    class BaseFunction {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): string {
        return `base ${ctx.requestId}`;
      }
    }
    @FcFunction()
    class Inherits extends BaseFunction {}
    @FcFunction()
    class Overrides extends BaseFunction {
      @OnInvoke()
      override handle(@Ctx() ctx: FcContext): string {
        return `override ${ctx.requestId}`;
      }
    }
    @FcFunction()
    class OverridesWithOtherParams extends BaseFunction {
      @OnInvoke()
      override handle(@Ctx() ctx: FcContext, @Headers('x-fc-region') region?: string): string {
        return `region ${region} ${ctx.requestId}`;
      }
    }
    const inherits = kernelOf([Inherits]);
    const otherParams = kernelOf([OverridesWithOtherParams]);
    expect(
      (await otherParams.invoke('{}', { headers: { 'x-fc-request-id': 'r3', 'x-fc-region': 'cn-beijing' } })).body,
    ).to.equal('region cn-beijing r3');
    const overrides = kernelOf([Overrides]);
    expect((await inherits.invoke('{}', { requestId: 'r1' })).body).to.equal('base r1');
    expect((await overrides.invoke('{}', { requestId: 'r2' })).body).to.equal('override r2');
  });

  it("an override's hook options replace the inherited ones", async () => {
    class Plain {
      @IsString()
      text!: string;
    }
    class Shouted {
      @IsString()
      shout!: string;
    }
    class BaseEcho {
      @OnInvoke({ event: Plain })
      handle(event: Plain | Shouted): object {
        return { ...event };
      }
    }
    @FcFunction()
    class LoudEcho extends BaseEcho {
      @OnInvoke({ event: Shouted })
      override handle(event: Shouted): object {
        return { ...event, loud: true };
      }
    }
    const tk = kernelOf([LoudEcho]);
    expect(okBody(await tk.invoke('{"shout":"HI"}'))).to.deep.equal({ shout: 'HI', loud: true });
  });
});
