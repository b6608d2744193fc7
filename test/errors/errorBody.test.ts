import { expect } from 'chai';
import { Matches } from 'class-validator';
import {
  BadRequestError,
  Event,
  EventDecodeError,
  FcError,
  FcFunction,
  FunctionNotFoundError,
  InitializationError,
  OnInitialize,
  OnInvoke,
  PayloadTooLargeError,
  RouteNotFoundError,
  TimeoutError,
  ValidationError,
  type ErrorBody,
} from '../../src';
import { MAX_BODY_STACK_FRAMES, MAX_ERROR_BODY_BYTES, RedactedFailure, toErrorBody } from '../../src/errors/errorBody';
import { createRedactor } from '../../src/logging/redaction';
import { HEADER_CREDENTIALS, fcHeaders } from '../helpers/fcHeaders';
import type { TestResponse } from '../../src/testing';
import { errorOf } from '../helpers/answers';
import { markersIn } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

/** The shape every error body has, whatever failed. */
function expectErrorShape(body: ErrorBody, errorType: string): void {
  const keys = Object.keys(body).sort();
  expect(keys).to.deep.equal(
    errorType === 'ValidationError'
      ? ['errorMessage', 'errorType', 'errors', 'stackTrace']
      : ['errorMessage', 'errorType', 'stackTrace'],
  );
  expect(body.errorType).to.equal(errorType);
  expect(body.errorMessage).to.be.a('string').and.not.equal('');
  expect(body.stackTrace).to.be.an('array');
  for (const frame of body.stackTrace) expect(frame).to.match(/^at /);
}

describe('errors: the error body', () => {
  describe('each error class', () => {
    const cause = new Error('database unreachable');
    const cases: [FcError, string, string | RegExp][] = [
      [
        new ValidationError([{ path: 'a.b', constraints: { isInt: 'b must be an integer number' } }]),
        'ValidationError',
        'Event validation failed: a.b: b must be an integer number',
      ],
      [new EventDecodeError('Event body is empty; expected JSON'), 'EventDecodeError', 'Event body is empty'],
      [new PayloadTooLargeError(1024), 'PayloadTooLargeError', 'Request body exceeds the limit of 1024 bytes'],
      [
        new InitializationError('orders', cause),
        'InitializationError',
        'Initialization of function "orders" failed: database unreachable',
      ],
      [new FunctionNotFoundError('nope', ['a', 'b']), 'FunctionNotFoundError', 'No function named "nope"'],
      [new RouteNotFoundError('GET', '/invoke'), 'RouteNotFoundError', 'No route for GET /invoke'],
      [new TimeoutError('Function', 3), 'TimeoutError', 'Function timed out after 3 seconds'],
      [new BadRequestError('Bad request: malformed'), 'BadRequestError', 'Bad request: malformed'],
    ];
    for (const [error, errorType, message] of cases) {
      it(`${errorType}: errorType, name and body`, () => {
        expect(error.errorType).to.equal(errorType);
        expect(error.name).to.equal(errorType);
        expect(error).to.be.instanceOf(FcError).and.instanceOf(Error);
        const body = toErrorBody(error);
        expectErrorShape(body, errorType);
        expect(body.errorMessage).to.include(message);
        // Framework-handled errors show no frames; failures wrapping user code show the cause's.
        if (errorType === 'InitializationError') {
          expect(body.stackTrace.length).to.be.greaterThan(0);
          expect(body.stackTrace).to.deep.equal(toErrorBody(cause).stackTrace);
        } else {
          expect(body.stackTrace).to.deep.equal([]);
        }
        expect(JSON.parse(JSON.stringify(body))).to.deep.equal(body);
      });
    }

    it('ValidationError lists its field errors and says how many it left out of the message', () => {
      const errors = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, constraints: { c: `f${i} is bad` } }));
      const body = toErrorBody(new ValidationError(errors));
      expect(body.errors).to.deep.equal(errors);
      expect(body.errorMessage).to.equal(
        'Event validation failed: f0: f0 is bad; f1: f1 is bad; f2: f2 is bad; f3: f3 is bad; f4: f4 is bad; and 2 more',
      );
    });

    it('FunctionNotFoundError without a name says where the name comes from', () => {
      expect(new FunctionNotFoundError(undefined, ['a']).message).to.include('x-fc-function-name or FC_FUNCTION_NAME');
    });
  });

  describe('through dispatch: status 404 and x-fc-status 404', () => {
    const kernelOf = useTestKernels();

    it('every error the kernel raises', async () => {
      class Dto {
        @Matches(/^[a-z]+$/)
        word!: string;
      }
      let initFails = true;
      @FcFunction({ name: 'main' })
      class Main {
        @OnInitialize()
        init(): void {
          if (initFails) throw new Error('config missing');
        }
        @OnInvoke()
        handle(@Event() e: Dto): Promise<never> | string {
          if (e.word === 'hang') return new Promise<never>(() => undefined);
          if (e.word === 'bad') throw new BadRequestError('the user said so');
          return e.word;
        }
      }
      @FcFunction({ name: 'other' })
      class Other {
        @OnInvoke()
        handle(): void {}
      }
      const tk = kernelOf([Main, Other], { bodyLimit: 64 });
      const main = { 'x-fc-function-name': 'main' };
      const outcomes: [string, () => Promise<TestResponse>][] = [
        ['InitializationError', () => tk.invoke('{"word":"abc"}', { headers: main })],
        ['ValidationError', () => tk.invoke('{"word":"ABC"}', { headers: main })],
        ['EventDecodeError', () => tk.invoke('', { headers: main })],
        ['PayloadTooLargeError', () => tk.invoke(JSON.stringify({ word: 'a'.repeat(100) }), { headers: main })],
        ['FunctionNotFoundError', () => tk.invoke('{}', { functionName: 'missing' })],
        ['RouteNotFoundError', () => tk.dispatch({ method: 'GET', path: '/invoke', headers: main })],
        ['TimeoutError', () => tk.invoke('{"word":"hang"}', { headers: { ...main, 'x-fc-function-timeout': '0.02' } })],
        ['BadRequestError', () => tk.invoke('{"word":"bad"}', { headers: main })],
      ];
      for (const [errorType, run] of outcomes) {
        if (errorType === 'ValidationError') initFails = false;
        const body = errorOf(await run());
        expectErrorShape(body, errorType);
      }
    });
  });

  describe('thrown values', () => {
    const kernelOf = useTestKernels();

    class OrderRejected extends Error {
      override name = 'OrderRejected';
    }
    const thrown: [string, () => unknown, string, string][] = [
      ['an Error subclass', () => new OrderRejected('out of stock'), 'OrderRejected', 'out of stock'],
      ['a built-in error', () => new RangeError('too far'), 'RangeError', 'too far'],
      ['a string', () => 'plain string failure', 'Error', 'plain string failure'],
      ['undefined', () => undefined, 'Error', 'undefined'],
      ['a number', () => 42, 'Error', '42'],
      ['a plain object', () => ({ code: 'E1' }), 'Error', '{"code":"E1"}'],
      ['an object with a message', () => ({ message: 'card declined', code: 402 }), 'Error', 'card declined'],
      ['an array', () => ['E1', 2], 'Error', '["E1",2]'],
      ['null', () => null, 'Error', 'null'],
    ];
    for (const [label, make, errorType, errorMessage] of thrown) {
      it(`a handler throwing ${label}`, async () => {
        @FcFunction()
        class Throws {
          @OnInvoke()
          async handle(): Promise<void> {
            throw make();
          }
        }
        const tk = kernelOf([Throws]);
        const body = errorOf(await tk.invoke());
        expect(body.errorType).to.equal(errorType);
        expect(body.errorMessage).to.equal(errorMessage);
        expectErrorShape(body, errorType);
        if (make() instanceof Error) {
          expect(body.stackTrace.length).to.be.greaterThan(0);
          expect(body.stackTrace.some((frame) => frame.includes('errorBody.test'))).to.equal(true);
        } else {
          expect(body.stackTrace).to.deep.equal([]);
        }
      });
    }

    it('an object with a name uses it as errorType', async () => {
      @FcFunction()
      class ThrowsNamed {
        @OnInvoke()
        handle(): void {
          throw { name: 'LegacyFailure', toString: () => 'legacy failure' };
        }
      }
      const tk = kernelOf([ThrowsNamed]);
      const body = errorOf(await tk.invoke());
      expect(body).to.deep.include({ errorType: 'LegacyFailure', errorMessage: 'legacy failure' });
    });

    it('a value whose String() throws still becomes an error body', async () => {
      @FcFunction()
      class ThrowsHostile {
        @OnInvoke()
        handle(): void {
          throw Object.create(null);
        }
      }
      const tk = kernelOf([ThrowsHostile]);
      const body = errorOf(await tk.invoke());
      expect(body).to.deep.include({ errorType: 'Error', errorMessage: '{}' });
    });

    it("a thrown object's JSON is cut after MAX_MESSAGE_JSON_NODES values", async () => {
      const wide: Record<string, number> = {};
      for (let i = 0; i < 50_000; i++) wide[`k${i}`] = i;
      @FcFunction()
      class ThrowsWide {
        @OnInvoke()
        handle(): void {
          throw { wide };
        }
      }
      const tk = kernelOf([ThrowsWide]);
      const message = errorOf(await tk.invoke()).errorMessage;
      expect(message).to.match(/^\{"wide":\{"k0":0,"k1":1,/);
      expect(message).to.match(/,"k997":997,"k998":"…"\}\}$/);
    });

    it('a thrown object that cannot be JSON (a cycle) is named by its tag', async () => {
      @FcFunction()
      class ThrowsCycle {
        @OnInvoke()
        handle(): void {
          const cycle: Record<string, unknown> = { code: 'E1' };
          cycle.self = cycle;
          throw cycle;
        }
      }
      const tk = kernelOf([ThrowsCycle]);
      expect(errorOf(await tk.invoke())).to.deep.include({ errorType: 'Error', errorMessage: '[object Object]' });
    });

    it('an error whose name cannot be read is an Error', async () => {
      @FcFunction()
      class ThrowsOddName {
        @OnInvoke()
        handle(): void {
          const error = new Error('odd');
          Object.defineProperty(error, 'name', {
            get() {
              throw new Error('no name for you');
            },
          });
          throw error;
        }
      }
      const tk = kernelOf([ThrowsOddName]);
      expect(errorOf(await tk.invoke())).to.deep.include({ errorType: 'Error', errorMessage: 'odd' });
    });

    it('an error whose message getter throws still ends its invocation with a marker', async () => {
      @FcFunction()
      class ThrowsMessageless {
        @OnInvoke()
        handle(): void {
          const error = new Error('hidden');
          Object.defineProperty(error, 'message', {
            get() {
              throw new Error('no message for you');
            },
          });
          throw error;
        }
      }
      const tk = kernelOf([ThrowsMessageless]);
      const body = errorOf(await tk.invoke('{}', { requestId: 'm-1' }));
      expect(body.errorType).to.equal('Error');
      expect(body.errorMessage).to.equal('[object Error]');
      expect(markersIn(tk.logs).at(-1)).to.equal('FC Invoke End RequestId: m-1, Error: Unhandled function error');
    });

    it('a Proxy whose every trap throws still becomes an error body and an end marker', async () => {
      const hostile = new Proxy(
        {},
        new Proxy(
          {},
          {
            get() {
              return () => {
                throw new Error('trap');
              };
            },
          },
        ),
      );
      @FcFunction()
      class ThrowsProxy {
        @OnInvoke()
        handle(): void {
          throw hostile;
        }
      }
      const tk = kernelOf([ThrowsProxy]);
      const body = errorOf(await tk.invoke('{}', { requestId: 'p-1' }));
      expect(body).to.deep.equal({
        errorMessage: '[a value that cannot be printed]',
        errorType: 'Error',
        stackTrace: [],
      });
      expect(markersIn(tk.logs).at(-1)).to.equal('FC Invoke End RequestId: p-1, Error: Unhandled function error');
    });

    it('a synchronous throw is caught like an asynchronous one', async () => {
      @FcFunction()
      class ThrowsSync {
        @OnInvoke()
        handle(): void {
          throw new TypeError('sync');
        }
      }
      const tk = kernelOf([ThrowsSync]);
      expect(errorOf(await tk.invoke())).to.deep.include({ errorType: 'TypeError', errorMessage: 'sync' });
    });
  });

  describe('secrets', () => {
    const kernelOf = useTestKernels();

    it('a credential in a thrown message is redacted from the body', async () => {
      @FcFunction()
      class Leaky {
        @OnInvoke()
        handle(): void {
          const err = new Error(
            `login failed with ${HEADER_CREDENTIALS.accessKeySecret} / ${HEADER_CREDENTIALS.securityToken}`,
          );
          err.stack = `Error: ${err.message}\n    at leak (${HEADER_CREDENTIALS.accessKeyId}.js:1:1)`;
          throw err;
        }
      }
      const tk = kernelOf([Leaky]);
      const response = await tk.invoke('{}', { headers: fcHeaders() });
      const body = errorOf(response);
      expect(body.errorMessage).to.equal('login failed with [redacted] / [redacted]');
      expect(body.stackTrace).to.deep.equal(['at leak ([redacted].js:1:1)']);
      expect(response.logs.join('\n')).to.include(
        '[ERROR] Error: login failed with [redacted] / [redacted]\r    at leak ([redacted].js:1:1)',
      );
      for (const secret of Object.values(HEADER_CREDENTIALS)) {
        expect(String(response.raw)).to.not.include(secret);
        expect(response.logs.join('\n')).to.not.include(secret);
      }
    });

    it("a credential in a thrown object's JSON is redacted from the body", async () => {
      @FcFunction()
      class LeakyObject {
        @OnInvoke()
        handle(): void {
          throw { code: 'AUTH', secret: HEADER_CREDENTIALS.accessKeySecret };
        }
      }
      const tk = kernelOf([LeakyObject]);
      const response = await tk.invoke('{}', { headers: fcHeaders() });
      expect(errorOf(response).errorMessage).to.equal('{"code":"AUTH","secret":"[redacted]"}');
      expect(response.logs.join('\n')).to.include('[ERROR] Error: {"code":"AUTH","secret":"[redacted]"}');
      for (const secret of Object.values(HEADER_CREDENTIALS)) {
        expect(String(response.raw)).to.not.include(secret);
        expect(response.logs.join('\n')).to.not.include(secret);
      }
    });

    it('a credential from the environment is redacted from the body', async () => {
      const envSecret = 'EnvSecretValue-123456';
      @FcFunction()
      class LeakyEnv {
        @OnInvoke()
        handle(): void {
          throw `cannot sign with ${envSecret}`;
        }
      }
      const tk = kernelOf([LeakyEnv], {
        env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIenvKeyId', ALIBABA_CLOUD_ACCESS_KEY_SECRET: envSecret },
      });
      const body = errorOf(await tk.invoke());
      expect(body.errorMessage).to.equal('cannot sign with [redacted]');
    });

    it('a credential echoed by a validation message is redacted from the field errors too', async () => {
      class Login {
        @Matches(/^user-/, { message: 'token $value is not a user token' })
        token!: string;
      }
      @FcFunction()
      class ChecksToken {
        @OnInvoke()
        handle(@Event() e: Login): string {
          return e.token;
        }
      }
      const tk = kernelOf([ChecksToken]);
      const response = await tk.invoke({ token: HEADER_CREDENTIALS.accessKeySecret }, { headers: fcHeaders() });
      const body = errorOf(response);
      expect(body.errors).to.deep.equal([
        { path: 'token', constraints: { matches: 'token [redacted] is not a user token' } },
      ]);
      expect(String(response.raw)).to.not.include(HEADER_CREDENTIALS.accessKeySecret);
    });
  });
  describe('limits', () => {
    const encoded = (body: ErrorBody) => JSON.stringify(body);
    const sizeOf = (body: ErrorBody) => Buffer.byteLength(encoded(body));
    /** A body within FC's limit, valid JSON in FC's shape. */
    function expectBounded(error: unknown, errorType: string): ErrorBody {
      const body = toErrorBody(error);
      expect(sizeOf(body)).to.be.at.most(MAX_ERROR_BODY_BYTES);
      expectErrorShape(JSON.parse(encoded(body)) as ErrorBody, errorType);
      return body;
    }

    it('cuts a huge message, keeping its start and its end', () => {
      const body = expectBounded(new Error(`start ${'x'.repeat(30_000_000)} end`), 'Error');
      expect(body.errorMessage).to.match(/^start x+…\(\d+ bytes cut\)…x+ end$/);
    });

    it('stays within the limit for text that JSON escapes six times over', () => {
      const error = new Error('\u0001'.repeat(1_000_000));
      error.name = '\u0002'.repeat(100_000);
      expectBounded(error, toErrorBody(error).errorType);
    });

    it(`lists at most ${MAX_BODY_STACK_FRAMES} stack frames, each cut to its own limit`, () => {
      const error = new Error('deep');
      error.stack = `Error: deep\n${`    at frame (${'f'.repeat(50_000)}.js:1:1)\n`.repeat(10_000)}`;
      const body = expectBounded(error, 'Error');
      expect(body.stackTrace.length).to.be.at.most(MAX_BODY_STACK_FRAMES).and.greaterThan(0);
      for (const frame of body.stackTrace) expect(frame).to.match(/^at frame \(f+…\(\d+ bytes cut\)…f+\.js:1:1\)$/);
    });

    it('keeps the field errors that fit, each path and message cut, and the message says how many there were', () => {
      const errors = Array.from({ length: 1_000 }, (_, i) => ({
        path: `items.${i}.${'p'.repeat(100_000)}`,
        constraints: { isInt: '\u0003'.repeat(50_000), ['c'.repeat(10_000)]: 'm' },
      }));
      const body = expectBounded(new ValidationError(errors), 'ValidationError');
      expect(body.errors!.length).to.be.greaterThan(0).and.at.most(100);
      expect(body.errors![0]!.path).to.match(/^items\.0\.p+…\(\d+ bytes cut\)…p+$/);
      expect(body.errorMessage).to.match(/; and 995 more$/);
    });

    it('redacts before it cuts: a secret where a part is cut is redacted, not cut in two', () => {
      const secret = 'Secret-At-The-Cut-0123456789';
      // The message keeps 24,549 bytes of its start: the secret straddles that point.
      const error = new Error(`${'a'.repeat(24_545)}${secret}${'b'.repeat(40_000)}`);
      const body = toErrorBody(error, createRedactor([secret]));
      expect(body.errorMessage).to.match(/^a+\[red/);
      expect(encoded(body)).to.not.contain(secret.slice(0, 4));
      expect(toErrorBody(error).errorMessage).to.contain(secret.slice(0, 4));
    });
  });

  describe('a failure shared between invocations (RedactedFailure)', () => {
    const starter = createRedactor(['Starter-Secret-0001', 'Starter-Token-0002']);
    const joiner = createRedactor(['Joiner-Secret-0003']);

    it('carries none of the secrets of the invocation that produced it, and keeps its type, stack and handling', () => {
      const cause = new Error('login as Starter-Secret-0001 with Starter-Token-0002 (Joiner-Secret-0003)');
      const original = new InitializationError('orders', cause);
      const shared = new RedactedFailure(original, starter);
      expect(shared.errorType).to.equal('InitializationError');
      expect(shared.handled).to.equal(false);
      expect(shared.message).to.equal(
        'Initialization of function "orders" failed: login as [redacted] with [redacted] (Joiner-Secret-0003)',
      );
      const body = toErrorBody(shared, joiner);
      expect(body.errorMessage).to.equal(
        'Initialization of function "orders" failed: login as [redacted] with [redacted] ([redacted])',
      );
      expect(body.stackTrace).to.deep.equal(toErrorBody(original).stackTrace);
      expect(JSON.stringify(body)).to.not.match(/Starter-|Joiner-/);
    });

    it('keeps the field errors of a validation failure, redacted, and its handling', () => {
      const shared = new RedactedFailure(
        new ValidationError([{ path: 'Starter-Secret-0001', constraints: { x: 'bad Starter-Token-0002' } }]),
        starter,
      );
      expect(shared.handled).to.equal(true);
      expect(toErrorBody(shared, joiner).errors).to.deep.equal([
        { path: '[redacted]', constraints: { x: 'bad [redacted]' } },
      ]);
    });
  });
});
