import { expect } from 'chai';
import { Ctx, FcContext, FcFunction, OnInvoke, serve, type FcHttpServer, type InterceptorProvider } from '../../src';
import { expectOk, invoke } from './helpers';

declare module 'fc-kernel' {
  interface KernelOptions {
    /** A layer's option, given to serve() beside its own. */
    stamping?: { stamp: string };
  }
}

describe('interceptors served over HTTP', () => {
  let server: FcHttpServer | undefined;
  afterEach(() => server?.close());

  it("takes serve()'s interceptors and a layer's option from serve(), answering each request with its own context", async () => {
    const stamped: InterceptorProvider = {
      forHandler: (setup) => {
        const stamp = setup.options.stamping?.stamp;
        return stamp === undefined
          ? null
          : async (invocation, next) => ({ stamp, requestId: invocation.context.requestId, handler: await next() });
      },
    };
    @FcFunction({ name: 'stamped' })
    class Stamped {
      @OnInvoke()
      async handle(@Ctx() ctx: FcContext): Promise<string> {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return ctx.requestId;
      }
    }
    const lines: string[] = [];
    server = await serve({
      functions: [Stamped],
      interceptors: [stamped],
      stamping: { stamp: 'v2' },
      port: 0,
      host: '127.0.0.1',
      handleSignals: false,
      youngGenerationMiB: false,
      logSink: (line) => lines.push(line),
    });
    const port = server!.port;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => invoke(port, {}, { 'x-fc-request-id': `http-${i}` })),
    );
    answers.forEach((answer, i) => {
      expect(expectOk(answer).json()).to.deep.equal({ stamp: 'v2', requestId: `http-${i}`, handler: `http-${i}` });
    });
    expect(lines).to.include('FC Invoke Start RequestId: http-7').and.include('FC Invoke End RequestId: http-7');
  });
});
