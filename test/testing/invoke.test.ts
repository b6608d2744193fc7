import { expect } from 'chai';
import { IsInt, IsString, Min } from 'class-validator';
import { Ctx, Event, FcContext, FcFunction, Headers, OnInvoke } from '../../src';
import { createTestKernel } from '../../src/testing';
import { settle } from '../helpers/async';
import { useTestKernels } from '../helpers/testKernels';

class Greeting {
  @IsString() name!: string;
  @IsInt() @Min(1) times!: number;
}

@FcFunction({ name: 'kit-greet' })
class GreetFunction {
  @OnInvoke()
  handle(@Event() greeting: Greeting, @Ctx() ctx: FcContext) {
    return { text: `hello ${greeting.name}`.repeat(greeting.times), requestId: ctx.requestId };
  }
}

@FcFunction({ name: 'kit-bytes' })
class BytesFunction {
  @OnInvoke()
  handle(@Event() bytes: Buffer): Buffer {
    return Buffer.from([...bytes].reverse());
  }
}

@FcFunction({ name: 'kit-text' })
class TextFunction {
  @OnInvoke()
  handle(@Event() text: string): string | null {
    if (text === 'nothing') return null;
    if (text === 'boom') throw new RangeError('text was boom');
    return text.toUpperCase();
  }
}

@FcFunction({ name: 'kit-context' })
class ContextFunction {
  @OnInvoke()
  handle(@Ctx() ctx: FcContext, @Headers() headers: Record<string, string>) {
    return {
      requestId: ctx.requestId,
      functionName: ctx.function.name,
      timeout: ctx.function.timeout,
      region: ctx.region,
      accessKeyId: ctx.credentials.accessKeyId,
      controlPath: headers['x-fc-control-path'],
      contentType: headers['content-type'],
      tenant: headers['x-tenant'],
    };
  }
}

@FcFunction({ name: 'kit-slow' })
class SlowFunction {
  @OnInvoke()
  async handle(@Ctx() ctx: FcContext): Promise<string> {
    if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    return `aborted: ${String(ctx.signal.reason)}`;
  }
}

describe('fc-kernel/testing: invoke', () => {
  const kit = useTestKernels();

  describe('events', () => {
    it('sends an object as JSON and parses a JSON answer', async () => {
      const res = await kit([GreetFunction]).invoke<{ text: string }>({ name: 'ada', times: 2 });
      expect(res.ok).to.equal(true);
      expect(res.statusCode).to.equal(200);
      expect(res.xFcStatus).to.equal(200);
      expect(res.error).to.equal(undefined);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.body).to.deep.equal({ text: 'hello adahello ada', requestId: res.requestId });
      expect(res.raw.toString('utf8')).to.equal(JSON.stringify(res.body));
    });

    it('sends a string as UTF-8 as is, and answers text as a string', async () => {
      const tk = kit(TextFunction);
      expect((await tk.invoke('grüße')).body).to.equal('GRÜSSE');
      // A JSON-looking string is still a string event: it is not encoded again.
      expect((await tk.invoke('{"a":1}')).body).to.equal('{"A":1}');
    });

    it('sends a Buffer as its bytes, and answers bytes as a Buffer', async () => {
      const res = await kit(BytesFunction).invoke(Buffer.from([1, 2, 255]));
      expect(res.ok).to.equal(true);
      expect(Buffer.isBuffer(res.body)).to.equal(true);
      expect([...res.raw]).to.deep.equal([255, 2, 1]);
      expect(res.body).to.deep.equal(res.raw);
    });

    it('sends a Uint8Array as its bytes', async () => {
      const res = await kit(BytesFunction).invoke(new Uint8Array([7, 8]));
      expect([...res.raw]).to.deep.equal([8, 7]);
    });

    it('sends no event as an empty body', async () => {
      const res = await kit(GreetFunction).invoke();
      expect(res.error?.errorType).to.equal('EventDecodeError');
    });

    it('answers an empty result with an undefined body', async () => {
      const res = await kit(TextFunction).invoke('nothing');
      expect(res.ok).to.equal(true);
      expect(res.body).to.equal(undefined);
      expect(res.raw.length).to.equal(0);
    });
  });

  describe('failures', () => {
    it("gives FC's error body of a validation failure in `error`, and in `body`", async () => {
      const res = await kit(GreetFunction).invoke({ name: 5, times: 0, extra: true });
      expect(res.ok).to.equal(false);
      expect(res.statusCode).to.equal(404);
      expect(res.xFcStatus).to.equal(404);
      expect(res.error?.errorType).to.equal('ValidationError');
      expect(res.error?.errors?.map((e) => e.path).sort()).to.deep.equal(['extra', 'name', 'times']);
      expect(res.body).to.deep.equal(res.error);
      expect(res.logs.at(-1)).to.equal(`FC Invoke End RequestId: ${res.requestId}, Error: Handled function error`);
    });

    it("gives the handler's own error with its stack", async () => {
      const res = await kit(TextFunction).invoke('boom');
      expect(res.error).to.include({ errorType: 'RangeError', errorMessage: 'text was boom' });
      expect(res.error?.stackTrace[0]).to.match(/^at TextFunction\.handle /);
      expect(res.logs.at(-1)).to.match(/, Error: Unhandled function error$/);
    });

    it('answers a call to an unknown function with FunctionNotFoundError', async () => {
      const res = await kit([GreetFunction, TextFunction]).invoke('x', { functionName: 'nope' });
      expect(res.error?.errorType).to.equal('FunctionNotFoundError');
      expect(res.error?.errorMessage).to.include('kit-greet');
    });

    it('answers after close with RouteNotFoundError, and closes once', async () => {
      const tk = kit(TextFunction);
      await tk.close();
      await tk.close();
      expect((await tk.invoke('late')).error?.errorType).to.equal('RouteNotFoundError');
    });
  });

  describe('headers', () => {
    it('sends what FC sends: a new FC-style request id per call, the control path, the function name', async () => {
      const tk = kit(ContextFunction);
      const [first, second] = await Promise.all([tk.invoke({}), tk.invoke({})]);
      for (const res of [first!, second!]) {
        expect(res.requestId).to.match(/^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$/);
        expect(res.body).to.deep.include({
          requestId: res.requestId,
          functionName: 'kit-context',
          controlPath: '/invoke',
          contentType: 'application/octet-stream',
          timeout: 0,
        });
      }
      expect(first!.requestId).to.not.equal(second!.requestId);
    });

    it("layers the kit's headers, the call's headers, then requestId, functionName and timeoutSeconds", async () => {
      const tk = kit(ContextFunction, {
        headers: { 'x-fc-region': 'cn-hangzhou', 'X-Tenant': 'kit', 'x-fc-access-key-id': 'STS.kit' },
      });
      const res = await tk.invoke(
        {},
        {
          // Header names in any case: the named options still win.
          headers: { 'x-tenant': 'call', 'X-Fc-Request-Id': 'from-header', 'X-Fc-Function-Timeout': '9' },
          requestId: 'named',
          functionName: 'renamed',
          timeoutSeconds: 4,
        },
      );
      expect(res.body).to.deep.equal({
        requestId: 'named',
        functionName: 'renamed',
        timeout: 4,
        region: 'cn-hangzhou',
        accessKeyId: 'STS.kit',
        controlPath: '/invoke',
        contentType: 'application/octet-stream',
        tenant: 'call',
      });
      expect(res.requestId).to.equal('named');
      const fromHeader = await tk.invoke({}, { headers: { 'X-Fc-Request-Id': 'from-header' } });
      expect(fromHeader.requestId).to.equal('from-header');
      expect(fromHeader.body).to.include({ requestId: 'from-header' });
    });

    it('picks the function by functionName among several', async () => {
      const tk = kit([GreetFunction, TextFunction]);
      expect((await tk.invoke('abc', { functionName: 'kit-text' })).body).to.equal('ABC');
      const greeting = await tk.invoke<{ text: string }>({ name: 'x', times: 1 }, { functionName: 'kit-greet' });
      expect(greeting.body.text).to.equal('hello x');
    });

    it('times the call out after timeoutSeconds, aborting ctx.signal', async () => {
      const res = await kit(SlowFunction).invoke({}, { timeoutSeconds: 0.05 });
      expect(res.error).to.include({
        errorType: 'TimeoutError',
        errorMessage: 'Function timed out after 0.05 seconds',
      });
    });

    it('aborts ctx.signal when the caller aborts `signal`', async () => {
      const caller = new AbortController();
      const answer = kit(SlowFunction).invoke({}, { signal: caller.signal });
      await settle();
      caller.abort(new Error('caller left'));
      expect((await answer).body).to.equal('aborted: Error: caller left');
    });
  });

  describe('environment', () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.FC_FUNCTION_NAME;
      process.env.FC_FUNCTION_NAME = 'kit-text';
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.FC_FUNCTION_NAME;
      else process.env.FC_FUNCTION_NAME = saved;
    });

    it("reads `env`, not the shell's environment", async () => {
      const unnamed = await kit([GreetFunction, TextFunction]).invoke('abc');
      expect(unnamed.error?.errorType).to.equal('FunctionNotFoundError');
      const named = await kit([GreetFunction, TextFunction], { env: { FC_FUNCTION_NAME: 'kit-text' } }).invoke('abc');
      expect(named.body).to.equal('ABC');
    });
  });

  it('passes the options of createKernel through: bodyLimit, validation', async () => {
    const limited = await kit(TextFunction, { bodyLimit: 3 }).invoke('four');
    expect(limited.error?.errorType).to.equal('PayloadTooLargeError');
    const firstOnly = await kit(GreetFunction, { validation: { stopAtFirstError: true } }).invoke({
      name: 'x',
      times: 0.5,
    });
    expect(firstOnly.error?.errors).to.have.length(1);
    expect(Object.keys(firstOnly.error!.errors![0]!.constraints)).to.have.length(1);
  });

  it('throws the configuration error of createKernel', () => {
    class NotAFunction {}
    expect(() => createTestKernel(NotAFunction))
      .to.throw(TypeError)
      .with.property('name', 'ConfigurationError');
  });
});
