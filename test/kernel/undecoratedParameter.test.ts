import { expect } from 'chai';
import { createKernel, Ctx, FcContext, FcFunction, OnInitialize, OnInvoke } from '../../src';

describe('a hook parameter without a decorator', () => {
  it('on @OnInitialize: names only the remedies a lifecycle hook accepts', () => {
    @FcFunction({ name: 'undecorated-initialize' })
    class UndecoratedInitialize {
      @OnInitialize()
      warmUp(ctx: FcContext): string {
        return ctx.requestId;
      }

      @OnInvoke()
      handle(@Ctx() ctx: FcContext): string {
        return ctx.requestId;
      }
    }
    let message = '';
    try {
      createKernel({ functions: [UndecoratedInitialize], logSink: () => undefined });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.equal(
      'UndecoratedInitialize.warmUp: parameter 0 has no decorator; use @Ctx(), @Headers() or @Inject(token)',
    );
  });

  it('on @OnInvoke: also offers @Event() and the { event } form', () => {
    @FcFunction({ name: 'undecorated-invoke' })
    class UndecoratedInvoke {
      @OnInvoke()
      handle(ctx: FcContext): string {
        return ctx.requestId;
      }
    }
    expect(() => createKernel({ functions: [UndecoratedInvoke], logSink: () => undefined })).to.throw(
      TypeError,
      'UndecoratedInvoke.handle: parameter 0 has no decorator; use @Event(), @Ctx(), @Headers() or @Inject(token), or declare @OnInvoke({ event: Dto }) to receive (event, ctx)',
    );
  });
});
