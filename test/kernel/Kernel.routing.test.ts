import { expect } from 'chai';
import { Ctx, FcContext, FcFunction, OnInvoke, OnPreFreeze, OnPreStop } from '../../src';
import { pathOf, routeOf } from '../../src/kernel/routes';
import { errorOf } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

describe('Kernel routing', () => {
  const kernelOf = useTestKernels();

  function named(name: string) {
    @FcFunction({ name })
    class Named {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): string {
        return `${name} answered ${ctx.function.name || '(no name header)'}`;
      }
      @OnPreStop()
      stop(): void {}
      @OnPreFreeze()
      freeze(): void {}
    }
    return Named;
  }

  describe('by function name', () => {
    it('routes on x-fc-function-name', async () => {
      const tk = kernelOf([named('alpha'), named('beta')]);
      expect(tk.kernel.functionNames).to.deep.equal(['alpha', 'beta']);
      expect((await tk.invoke('{}', { functionName: 'beta' })).body).to.equal('beta answered beta');
      expect((await tk.invoke('{}', { functionName: 'alpha' })).body).to.equal('alpha answered alpha');
    });

    it('falls back to FC_FUNCTION_NAME, and the header wins over it', async () => {
      const tk = kernelOf([named('alpha'), named('beta')], { env: { FC_FUNCTION_NAME: 'beta' } });
      expect((await tk.invoke('{}')).body).to.equal('beta answered (no name header)');
      expect((await tk.invoke('{}', { functionName: 'alpha' })).body).to.equal('alpha answered alpha');
    });

    it('answers FunctionNotFoundError listing the known names for an unknown one', async () => {
      const tk = kernelOf([named('alpha'), named('beta')]);
      const body = errorOf(await tk.invoke('{}', { functionName: 'gamma' }));
      expect(body.errorType).to.equal('FunctionNotFoundError');
      expect(body.errorMessage).to.equal('No function named "gamma"; this image serves: "alpha", "beta"');
    });

    it('answers FunctionNotFoundError when no name is given at all', async () => {
      const tk = kernelOf([named('alpha'), named('beta')]);
      for (const answer of [await tk.invoke('{}'), await tk.preStop()]) {
        const body = errorOf(answer);
        expect(body.errorType).to.equal('FunctionNotFoundError');
        expect(body.errorMessage).to.include('x-fc-function-name or FC_FUNCTION_NAME').and.include('"alpha", "beta"');
      }
    });

    it('a single function answers whatever name is asked for', async () => {
      const tk = kernelOf([named('only')], { env: { FC_FUNCTION_NAME: 'deployed-as' } });
      expect((await tk.invoke('{}', { functionName: 'something-else' })).body).to.equal('only answered something-else');
      // Sent as is: the kit would name the only function.
      expect((await tk.dispatch({ method: 'POST', path: '/invoke', body: '{}' })).statusCode).to.equal(200);
    });

    it('routes the lifecycle routes by name too', async () => {
      const tk = kernelOf([named('alpha'), named('beta')]);
      const answer = await tk.preFreeze({ functionName: 'alpha' });
      expect(answer.statusCode).to.equal(200);
    });
  });

  describe('by method and path', () => {
    const accepted: [string, string][] = [
      ['POST', '/invoke'],
      ['POST', '/invoke?x=1'],
      ['post', '/invoke'],
      ['POST', '/initialize'],
      ['GET', '/pre-stop'],
      ['POST', '/pre-stop'],
      ['GET', '/pre-freeze'],
      ['POST', '/pre-freeze?from=fc'],
    ];
    for (const [method, path] of accepted) {
      it(`accepts ${method} ${path}`, async () => {
        const tk = kernelOf([named('alpha')]);
        const answer = await tk.dispatch({ method, path, body: '{}' });
        expect(answer.statusCode, String(answer.raw)).to.equal(200);
      });
    }

    const refused: [string, string][] = [
      ['GET', '/invoke'],
      ['PUT', '/invoke'],
      ['POST', '/foo'],
      ['POST', '/'],
      ['POST', '/invoke/'],
      ['POST', '/INVOKE'],
      ['POST', '/http-invoke'],
      ['DELETE', '/pre-stop'],
      ['PATCH', '/pre-freeze'],
      ['GET', '/healthz'],
      ['PUT', '/'],
    ];
    for (const [method, path] of refused) {
      it(`answers RouteNotFoundError to ${method} ${path}`, async () => {
        let called = false;
        @FcFunction()
        class Watch {
          @OnInvoke()
          handle(): void {
            called = true;
          }
        }
        const tk = kernelOf([Watch]);
        const body = errorOf(await tk.dispatch({ method, path, body: '{}' }));
        expect(body.errorType).to.equal('RouteNotFoundError');
        expect(body.errorMessage).to.include(`No route for ${method} ${pathOf(path)}`);
        expect(called).to.equal(false);
      });
    }

    it('checks the route before the function name', async () => {
      const tk = kernelOf([named('alpha'), named('beta')]);
      const body = errorOf(
        await tk.dispatch({ method: 'GET', path: '/invoke', headers: { 'x-fc-function-name': 'nobody' } }),
      );
      expect(body.errorType).to.equal('RouteNotFoundError');
    });
  });

  describe('routeOf and pathOf', () => {
    it('map FC routes to hooks', () => {
      expect(routeOf('POST', '/invoke')).to.equal('invoke');
      expect(routeOf('POST', '/initialize')).to.equal('initialize');
      expect(routeOf('GET', '/pre-stop')).to.equal('preStop');
      expect(routeOf('POST', '/pre-freeze')).to.equal('preFreeze');
      expect(routeOf('GET', '/invoke')).to.equal(undefined);
    });

    it('map the readiness probes to health: / always, the health path when configured', () => {
      expect(routeOf('GET', '/')).to.equal('health');
      expect(routeOf('HEAD', '/')).to.equal('health');
      expect(routeOf('POST', '/')).to.equal(undefined);
      expect(routeOf('GET', '/healthz')).to.equal(undefined);
      expect(routeOf('GET', '/healthz', '/healthz')).to.equal('health');
      expect(routeOf('GET', '/', '/healthz')).to.equal('health');
    });

    it('drop the query string', () => {
      expect(pathOf('/invoke?a=1&b=2')).to.equal('/invoke');
      expect(pathOf('/invoke')).to.equal('/invoke');
      expect(pathOf('/invoke?')).to.equal('/invoke');
    });
  });
});
