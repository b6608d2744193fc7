import { expect } from 'chai';
import { IsString } from 'class-validator';
import { createKernel, Ctx, Event, FcFunction, OnInvoke } from '../../src';

class Ping {
  @IsString()
  text!: string;
}

/**
 * A class as a build without decorator metadata leaves it (esbuild, tsx, Babel): the decorators
 * are applied, but no `design:paramtypes` is recorded.
 */
function functionWithoutMetadata(name: string, eventType?: typeof Ping): new () => unknown {
  class Handler {
    handle(ping: unknown): unknown {
      return ping;
    }
  }
  Event(eventType)(Handler.prototype, 'handle', 0);
  Ctx()(Handler.prototype, 'handle', 1);
  OnInvoke()(Handler.prototype, 'handle', Object.getOwnPropertyDescriptor(Handler.prototype, 'handle')!);
  FcFunction({ name })(Handler);
  return Handler;
}

describe('@Event() without type metadata', () => {
  it('fails at boot instead of passing the event on unvalidated', () => {
    const target = functionWithoutMetadata('no-metadata');
    expect(Reflect.getMetadata('design:paramtypes', target.prototype, 'handle')).to.equal(undefined);
    expect(() => createKernel({ functions: [target], logSink: () => undefined })).to.throw(
      TypeError,
      /Handler\.handle: the type of the @Event\(\) parameter is unknown at run time.*@Event\(CreateOrder\)/,
    );
  });

  it('validates when the type is named in the decorator', async () => {
    const kernel = createKernel({ functions: [functionWithoutMetadata('named-type', Ping)], logSink: () => undefined });
    const res = await kernel.dispatch({ method: 'POST', path: '/invoke', body: '{"text":5}' });
    expect(res.statusCode).to.equal(404);
    expect(JSON.parse(String(res.body))).to.include({ errorType: 'ValidationError' });
    await kernel.close();
  });
});
