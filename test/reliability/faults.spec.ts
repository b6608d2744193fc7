/*
 * Fault injection: user code that fails in every way it can, each with the behaviour the
 * framework decided for it, and proof that the instance goes on serving afterwards.
 */
import { expect } from 'chai';
import {
  Ctx,
  Event,
  FcContext,
  FcFunction,
  Inject,
  injectable,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  OnPreStop,
  scoped,
  type FcHttpServer,
  type Kernel,
} from '../../src';
import { tally } from './capture';
import {
  capturedKernel,
  dispatchChecked,
  expectClean,
  expectFcError,
  fcHeaders,
  fixturePort,
  killFixtures,
  listen,
  nextRequestId,
  send,
  sendChecked,
  sleep,
  startFixture,
  type FcErrorBody,
} from './harness';

/** `promise`, or a rejection naming `label` if it has not settled after `seconds`. */
function withinSeconds<T>(seconds: number, label: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A value that cannot be JSON: it refers to itself. */
function circular(): object {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = { parent: node };
  return node;
}

/** How the `faulty` function fails, chosen by the event. */
type Fault =
  | 'ok'
  | 'throw-error'
  | 'throw-string'
  | 'throw-undefined'
  | 'throw-bare-object'
  | 'throw-symbol'
  | 'reject'
  | 'circular'
  | 'bigint'
  | 'hang';

let abortedSignals = 0;
let scopedConstructions = 0;

/** A request-scoped service whose constructor fails when the invocation asks it to. */
@scoped(Lifecycle.ContainerScoped)
class Fragile {
  constructor(@Inject(FcContext) ctx: FcContext) {
    scopedConstructions++;
    if (ctx.function.handler === 'break-fragile') throw new Error('Fragile could not be built');
  }
}

@FcFunction({ name: 'faulty' })
class FaultyFunction {
  @OnInvoke()
  async fail(@Event() fault: string, @Ctx() ctx: FcContext): Promise<unknown> {
    switch (fault as Fault) {
      case 'ok':
        return { ok: true, requestId: ctx.requestId };
      case 'throw-error':
        throw new Error('the handler broke');
      case 'throw-string':
        throw 'a thrown string';
      case 'throw-undefined':
        throw undefined;
      case 'throw-bare-object':
        // No prototype: String() of it throws.
        throw Object.create(null);
      case 'throw-symbol':
        throw Symbol('odd');
      case 'reject':
        return Promise.reject(new TypeError('a rejected promise'));
      case 'circular':
        return circular();
      case 'bigint':
        return { order: { total: 10n } };
      case 'hang':
        ctx.signal.addEventListener('abort', () => abortedSignals++);
        return new Promise(() => undefined);
      default:
        throw new Error(`unknown fault ${fault}`);
    }
  }
}

@FcFunction({ name: 'fragile' })
class FragileFunction {
  @OnInvoke()
  use(@Event() _event: string, @Inject(Fragile) fragile: Fragile): string {
    return fragile instanceof Fragile ? 'built' : 'not built';
  }
}

let initAttempts = 0;

/** Its initializer fails the first time, hangs the second, succeeds the third. */
@FcFunction({ name: 'slow-starter' })
class SlowStarterFunction {
  @OnInitialize()
  async warmUp(@Ctx() ctx: FcContext): Promise<void> {
    initAttempts++;
    if (initAttempts === 1) throw new Error('the database was not reachable');
    if (initAttempts === 2) {
      ctx.signal.addEventListener('abort', () => abortedSignals++);
      await new Promise(() => undefined);
    }
  }

  @OnInvoke()
  handle(): string {
    return `initialized after ${initAttempts} attempts`;
  }
}

let dependencyBuilds = 0;

/** A constructor dependency that fails to build the first time. */
@injectable()
class FlakyDependency {
  constructor() {
    dependencyBuilds++;
    if (dependencyBuilds === 1) throw new Error('FlakyDependency failed to connect');
  }
}

@FcFunction({ name: 'needs-dependency' })
class NeedsDependencyFunction {
  constructor(readonly dependency: FlakyDependency) {}

  @OnInvoke()
  handle(): string {
    return this.dependency instanceof FlakyDependency ? 'ready' : 'not ready';
  }
}

@FcFunction({ name: 'bad-pre-stop' })
class BadPreStopFunction {
  @OnInvoke()
  handle(): string {
    return 'ok';
  }

  @OnPreStop()
  stop(): void {
    throw new Error('pre-stop hook failed');
  }
}

describe('fault injection', function () {
  this.timeout(30_000);

  after(() => killFixtures());

  /** Injects one fault, asserts its decided outcome, then that the instance still serves. */
  async function injectFault<T>(fault: () => Promise<T>, stillServing: () => Promise<void>): Promise<T> {
    tally.faultsInjected++;
    const outcome = await fault();
    await stillServing();
    tally.faultsSurvived++;
    return outcome;
  }

  describe('in handlers', () => {
    const { kernel, lines, close } = capturedKernel('faults kernel', { functions: [FaultyFunction, FragileFunction] });
    let server: FcHttpServer;

    before(async () => {
      server = await listen(kernel);
    });
    after(async () => {
      await server.close();
      await close();
    });

    const invoke = (fault: Fault, extra: Record<string, string> = {}) =>
      dispatchChecked(
        kernel,
        {
          method: 'POST',
          path: '/invoke',
          headers: fcHeaders({ 'x-fc-function-name': 'faulty', ...extra }),
          body: fault,
        },
        'faults dispatch',
      );
    const invokeHttp = (fault: Fault, extra: Record<string, string> = {}) =>
      sendChecked(server.port, {
        headers: fcHeaders({ 'x-fc-function-name': 'faulty', ...extra }),
        body: fault,
        source: 'faults http',
      });
    type Send = (
      fault: Fault,
      extra?: Record<string, string>,
    ) => Promise<{ statusCode: number; headers: object; body: Buffer | string }>;
    const transports: Send[] = [invoke, invokeHttp];
    const healthy = async () => {
      const answer = await invoke('ok');
      expect(answer.statusCode).to.equal(200);
      const overHttp = await invokeHttp('ok');
      expect(overHttp.statusCode).to.equal(200);
    };

    /** The decided answer to each fault: error type, message, whether user frames are shown. */
    const decided: [Fault, string, RegExp, boolean][] = [
      ['throw-error', 'Error', /^the handler broke$/, true],
      ['throw-string', 'Error', /^a thrown string$/, false],
      ['throw-undefined', 'Error', /^undefined$/, false],
      ['throw-bare-object', 'Error', /^\{\}$/, false],
      ['throw-symbol', 'Error', /^Symbol\(odd\)$/, false],
      ['reject', 'TypeError', /^a rejected promise$/, true],
      ['circular', 'TypeError', /circular structure/i, true],
      ['bigint', 'TypeError', /BigInt/, true],
    ];

    for (const [fault, errorType, message, hasStack] of decided) {
      it(`answers a handler that fails with ${fault} by an FC error (${errorType}), over dispatch and HTTP`, async () => {
        for (const send of transports) {
          const requestId = nextRequestId('fault');
          const answer = await injectFault(() => send(fault, { 'x-fc-request-id': requestId }), healthy);
          const error = expectFcError(answer);
          expect(error.errorType).to.equal(errorType);
          expect(error.errorMessage).to.match(message);
          expect(error.stackTrace.length > 0).to.equal(hasStack);
          // Logged under its request id, between markers that call it the function's own error.
          expect(lines.some((l) => l.includes(` ${requestId} [ERROR] ${errorType}: `))).to.equal(true);
          expect(lines).to.include(`FC Invoke End RequestId: ${requestId}, Error: Unhandled function error`);
        }
      });
    }

    it('answers a handler that never resolves with TimeoutError at x-fc-function-timeout, aborts ctx.signal, keeps serving', async () => {
      const before = abortedSignals;
      for (const send of transports) {
        const answer = await injectFault(() => send('hang', { 'x-fc-function-timeout': '0.2' }), healthy);
        const error = expectFcError(answer);
        expect(error.errorType).to.equal('TimeoutError');
        expect(error.errorMessage).to.equal('Function timed out after 0.2 seconds');
      }
      expect(abortedSignals - before).to.equal(2);
    });

    it('times out a hung handler whose x-fc-function-timeout came twice (joined by node) or with a unit', async () => {
      const repeated = (fault: Fault) =>
        sendChecked(server.port, {
          // node:http sends an array as two header lines, and the server joins them with ', '.
          headers: {
            ...fcHeaders({ 'x-fc-function-name': 'faulty' }),
            'x-fc-function-timeout': ['0.2', '0.2'],
          } as unknown as Record<string, string>,
          body: fault,
          source: 'faults http',
        });
      const attacks: [string, () => Promise<{ statusCode: number; headers: object; body: Buffer | string }>][] = [
        ['0.2, 0.2 over dispatch', () => invoke('hang', { 'x-fc-function-timeout': '0.2, 0.2' })],
        ['two header lines over HTTP', () => repeated('hang')],
        ['0.2s over dispatch', () => invoke('hang', { 'x-fc-function-timeout': '0.2s' })],
        ['0.2s over HTTP', () => invokeHttp('hang', { 'x-fc-function-timeout': '0.2s' })],
      ];
      for (const [label, attack] of attacks) {
        const answer = await injectFault(() => withinSeconds(5, label, attack()), healthy);
        const error = expectFcError(answer);
        expect(error.errorType, label).to.equal('TimeoutError');
        expect(error.errorMessage, label).to.equal('Function timed out after 0.2 seconds');
      }
    });

    it('answers an @Inject service whose constructor throws with an FC error, and builds it next time', async () => {
      const send = (handler: string) =>
        dispatchChecked(kernel, {
          method: 'POST',
          path: '/invoke',
          headers: fcHeaders({ 'x-fc-function-name': 'fragile', 'x-fc-function-handler': handler }),
          body: '"x"',
        });
      const error = expectFcError(
        await injectFault(
          () => send('break-fragile'),
          async () => {
            expect((await send('index.handler')).body).to.equal('built');
          },
        ),
      );
      expect(error.errorType).to.equal('Error');
      expect(error.errorMessage).to.equal('Fragile could not be built');
      expect(scopedConstructions).to.be.at.least(2);
    });
  });

  describe('in lifecycle hooks', () => {
    const post = (kernel: Kernel, path: string, fn: string, extra: Record<string, string> = {}) =>
      dispatchChecked(
        kernel,
        {
          method: path === '/pre-stop' ? 'GET' : 'POST',
          path,
          headers: fcHeaders({ 'x-fc-function-name': fn, ...extra }),
          body: path === '/invoke' ? '{}' : undefined,
        },
        'lifecycle dispatch',
      );

    it('retries an initializer that throws, then one that hangs past x-fc-initialization-timeout, until it succeeds', async () => {
      const { kernel, close } = capturedKernel('lifecycle kernel', { functions: [SlowStarterFunction] });
      const timeout = { 'x-fc-initialization-timeout': '0.2' };
      try {
        const before = abortedSignals;
        const failed = expectFcError(
          await injectFault(
            () => post(kernel, '/initialize', 'slow-starter', timeout),
            async () => undefined,
          ),
        );
        expect(failed.errorType).to.equal('InitializationError');
        expect(failed.errorMessage).to.contain('the database was not reachable');

        const hung = expectFcError(
          await injectFault(
            () => post(kernel, '/initialize', 'slow-starter', timeout),
            async () => undefined,
          ),
        );
        expect(hung.errorType).to.equal('TimeoutError');
        expect(hung.errorMessage).to.equal('Initialization timed out after 0.2 seconds');
        expect(abortedSignals - before).to.equal(1);

        const retried = await post(kernel, '/initialize', 'slow-starter', timeout);
        expect(retried.statusCode).to.equal(200);
        expect((await post(kernel, '/invoke', 'slow-starter')).body).to.equal('initialized after 3 attempts');
      } finally {
        await close();
      }
    });

    it('answers a constructor dependency that throws at initialization with InitializationError, and retries', async () => {
      const { kernel, close } = capturedKernel('lifecycle kernel', { functions: [NeedsDependencyFunction] });
      try {
        const error = expectFcError(
          await injectFault(
            () => post(kernel, '/initialize', 'needs-dependency'),
            async () => {
              expect((await post(kernel, '/invoke', 'needs-dependency')).body).to.equal('ready');
            },
          ),
        );
        expect(error.errorType).to.equal('InitializationError');
        expect(error.errorMessage).to.contain('FlakyDependency failed to connect');
      } finally {
        await close();
      }
    });

    it('answers a pre-stop hook that throws with 404 on /pre-stop', async () => {
      const { kernel, close } = capturedKernel('lifecycle kernel', { functions: [BadPreStopFunction] });
      try {
        expect((await post(kernel, '/invoke', 'bad-pre-stop')).statusCode).to.equal(200);
        const error: FcErrorBody = expectFcError(
          await injectFault(
            () => post(kernel, '/pre-stop', 'bad-pre-stop'),
            async () => {
              expect((await post(kernel, '/invoke', 'bad-pre-stop')).statusCode).to.equal(200);
            },
          ),
        );
        expect(error.errorMessage).to.equal('pre-stop hook failed');
      } finally {
        await close();
      }
    });
  });

  describe('in the process (serve() in a child)', () => {
    it('logs a rejection nobody handled under the request id that started the work, and keeps serving', async () => {
      const fixture = startFixture('server');
      const port = await fixturePort(fixture);
      const requestId = 'rel-background-1';
      tally.faultsInjected++;
      const first = await sendChecked(port, {
        headers: fcHeaders({ 'x-fc-request-id': requestId }),
        body: JSON.stringify({ id: 'bg', rejectLater: true }),
      });
      expect(first.statusCode).to.equal(200);
      const logged = await fixture.waitForLine(/Unhandled promise rejection/);
      expect(logged).to.match(new RegExp(`^\\S+ ${requestId} \\[ERROR\\] Unhandled promise rejection`));
      expect(logged).to.contain('background task of bg failed');
      expectClean(logged);
      await sleep(50);
      const after = await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: 'after' }) });
      expect(JSON.parse(after.body.toString())).to.include({ id: 'after' });
      tally.faultsSurvived++;
      fixture.child.kill('SIGTERM');
      expect(await fixture.exited).to.equal(0);
    });

    for (const [what, work] of [
      ['a rejection whose inspect hook throws', { rejectUnprintable: 'inspect' }],
      ['a rejection whose stack getter throws', { rejectUnprintable: 'stack' }],
    ] as const) {
      it(`logs ${what} without throwing itself, and keeps serving`, async () => {
        const fixture = startFixture('server');
        const port = await fixturePort(fixture);
        tally.faultsInjected++;
        const requestId = nextRequestId('unprintable');
        const first = await sendChecked(port, {
          headers: fcHeaders({ 'x-fc-request-id': requestId }),
          body: JSON.stringify({ id: 'odd', ...work }),
        });
        expect(first.statusCode).to.equal(200);
        const logged = await fixture.waitForLine(/Unhandled promise rejection/);
        expect(logged).to.match(new RegExp(`^\\S+ ${requestId} \\[ERROR\\] Unhandled promise rejection`));
        expectClean(logged);
        await sleep(50);
        const after = await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: 'after' }) });
        expect(JSON.parse(after.body.toString())).to.include({ id: 'after' });
        fixture.child.kill('SIGTERM');
        expect(await fixture.exited).to.equal(0);
        tally.faultsSurvived++;
      });
    }

    for (const [what, work] of [
      ['a throw in a timer a handler started', { throwLater: true }],
      ["an 'error' event nobody listens to", { emitErrorLater: true }],
    ] as const) {
      it(`answers every request in flight after ${what}, logs it redacted, runs @OnPreStop and exits 1`, async () => {
        const fixture = startFixture('server', { FIXTURE_DRAIN_MS: '20000' });
        const port = await fixturePort(fixture);
        const inFlight = Array.from({ length: 20 }, (_, i) =>
          send(port, {
            headers: fcHeaders(),
            body: JSON.stringify({ id: `busy-${i}`, delayMs: 400 + i * 20 }),
            agent: false,
          }).catch((error: Error) => error),
        );
        for (let i = 0; i < 20; i++) await fixture.waitForLine(new RegExp(` work busy-${i} started$`));
        tally.faultsInjected++;
        const requestId = nextRequestId('uncaught');
        const fatal = await sendChecked(port, {
          headers: fcHeaders({ 'x-fc-request-id': requestId }),
          body: JSON.stringify({ id: 'fatal', ...work }),
        });
        expect(fatal.statusCode).to.equal(200);

        const outcomes = await Promise.all(inFlight);
        const lost = outcomes.filter((o) => o instanceof Error);
        expect(lost.map(String).slice(0, 3), `${lost.length} of 20 lost`).to.deep.equal([]);
        expect(await fixture.exited).to.equal(1);
        const logged = fixture.stdout.find((l) => l.includes('[ERROR] Uncaught exception'));
        expect(logged, fixture.stderr.join('\n')).to.match(
          new RegExp(`^\\S+ ${requestId} \\[ERROR\\] Uncaught exception`),
        );
        expect(logged).to.contain('fatal');
        for (const line of [...fixture.stdout, ...fixture.stderr]) expectClean(line);
        expect(fixture.stdout.some((l) => / \[INFO\] pre-stop flushed 21: /.test(l))).to.equal(true);
        tally.faultsSurvived++;
      });
    }

    for (const mode of ['throw', 'hang']) {
      it(`exits 1 on SIGTERM when the pre-stop hook ${mode}s (bounded by the pre-stop budget)`, async () => {
        const fixture = startFixture('server', {
          FIXTURE_PRE_STOP: mode,
          FIXTURE_DRAIN_MS: '1000',
          FIXTURE_PRE_STOP_TIMEOUT_MS: '500',
        });
        const port = await fixturePort(fixture);
        // Initialize the function, so that shutdown has a pre-stop hook to run.
        await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: 'warm' }) });
        tally.faultsInjected++;
        fixture.child.kill('SIGTERM');
        expect(await fixture.exited).to.equal(1);
        const end = fixture.stdout.find((l) => l.startsWith('FC PreStop End RequestId: shutdown-'));
        expect(end, fixture.stdout.join('\n')).to.match(/, Error: Unhandled function error$/);
        expect(fixture.stderr.join('\n')).to.contain('@OnPreStop of "work" failed');
        tally.faultsSurvived++;
      });
    }
  });
});
