import { expect } from 'chai';
import {
  container,
  Event,
  FC_CONTEXT,
  FC_LOGGER,
  FcContext,
  FcFunction,
  FcLogger,
  Inject,
  inject,
  injectable,
  Lifecycle,
  OnInvoke,
  scoped,
  singleton,
  type Disposable,
} from '../../src';
import { createTestKernel, type Override, type TestKernel } from '../../src/testing';
import { useTestKernels } from '../helpers/testKernels';

let trailsMade = 0;

/** The production service: one per invocation. */
@scoped(Lifecycle.ContainerScoped)
class AuditTrail {
  readonly id = `real-${++trailsMade}`;
  readonly requestId: string = '';
}

/** Transient, depending on the scoped service: must get the invocation's own instance. */
@injectable()
class Auditor {
  constructor(readonly trail: AuditTrail) {}
}

@singleton()
class Clock {
  now(): string {
    return 'real time';
  }
}

const GREETING = Symbol('greeting');
const OTHER_GREETING = Symbol('other greeting');
container.register(GREETING, { useValue: 'hello from the global container' });

/** What the handler got: who made each injection, and the instance ids. */
interface Seen {
  ids: string[];
  requestIds: string[];
  now: string;
  greeting: string;
}

@FcFunction({ name: 'kit-audited' })
class Audited {
  constructor(private readonly clock: Clock) {}

  @OnInvoke()
  handle(
    @Event() _event: object,
    @Inject(AuditTrail) first: AuditTrail,
    @Inject(AuditTrail) second: AuditTrail,
    @Inject(Auditor) auditor: Auditor,
    @Inject(GREETING) greeting: string,
  ): Seen {
    const trails = [first, second, auditor.trail];
    return {
      ids: trails.map((t) => t.id),
      requestIds: trails.map((t) => t.requestId),
      now: this.clock.now(),
      greeting,
    };
  }
}

let fakesMade = 0;

/** The replacement: takes the invocation's context, as a request-scoped service may. */
@injectable()
class FakeAuditTrail implements Disposable {
  static disposed: string[] = [];
  readonly id = `fake-${++fakesMade}`;
  constructor(@inject(FC_CONTEXT) private readonly ctx: FcContext) {}
  get requestId(): string {
    return this.ctx.requestId;
  }
  dispose(): void {
    FakeAuditTrail.disposed.push(this.id);
  }
}

/** A replacement that may live for the whole instance: it holds nothing of an invocation. */
@injectable()
class SharedFakeAuditTrail implements Disposable {
  static disposed: string[] = [];
  readonly id = `shared-fake-${++fakesMade}`;
  readonly requestId = '';
  dispose(): void {
    SharedFakeAuditTrail.disposed.push(this.id);
  }
}

class FixedClock {
  now(): string {
    return 'fixed time';
  }
}

describe('fc-kernel/testing: overrides', () => {
  const kernelOf = useTestKernels();
  const kit = (overrides: readonly Override[]) => kernelOf(Audited, { overrides });
  beforeEach(() => (FakeAuditTrail.disposed = []));

  /** Two invocations, one after the other. */
  async function twice(tk: TestKernel): Promise<[Seen, Seen, string[]]> {
    const a = await tk.invoke<Seen>({});
    const b = await tk.invoke<Seen>({});
    expect(a.ok, JSON.stringify(a.error)).to.equal(true);
    return [a.body, b.body, [a.requestId, b.requestId]];
  }

  it('without overrides, the handler gets the real services (the baseline)', async () => {
    const [a, b] = await twice(kit([]));
    expect(a.ids[0]).to.match(/^real-/);
    expect(new Set(a.ids).size).to.equal(1);
    expect(b.ids[0]).to.not.equal(a.ids[0]);
    expect(a.now).to.equal('real time');
    expect(a.greeting).to.equal('hello from the global container');
  });

  describe('of a @scoped(Lifecycle.ContainerScoped) service', () => {
    it('useClass: the handler and its services share one replacement per invocation', async () => {
      const [a, b, requestIds] = await twice(kit([[AuditTrail, { useClass: FakeAuditTrail }]]));
      expect(a.ids[0]).to.match(/^fake-/);
      expect(a.ids).to.deep.equal([a.ids[0], a.ids[0], a.ids[0]]);
      expect(b.ids).to.deep.equal([b.ids[0], b.ids[0], b.ids[0]]);
      expect(b.ids[0]).to.not.equal(a.ids[0]);
      // Resolved in the invocation's container: it sees that invocation's context...
      expect(a.requestIds).to.deep.equal([requestIds[0], requestIds[0], requestIds[0]]);
      expect(b.requestIds[0]).to.equal(requestIds[1]);
      // ...and is disposed with it.
      expect(FakeAuditTrail.disposed).to.deep.equal([a.ids[0], b.ids[0]]);
    });

    it('useFactory: the factory runs once per invocation, in its container', async () => {
      const calls: string[] = [];
      const tk = kit([
        [
          AuditTrail,
          {
            useFactory: (c) => {
              const ctx = c.resolve(FC_CONTEXT);
              calls.push(ctx.requestId);
              return { id: `factory-${calls.length}`, requestId: ctx.requestId };
            },
          },
        ],
      ]);
      const [a, b, requestIds] = await twice(tk);
      expect(a.ids).to.deep.equal(['factory-1', 'factory-1', 'factory-1']);
      expect(b.ids).to.deep.equal(['factory-2', 'factory-2', 'factory-2']);
      expect(calls).to.deep.equal(requestIds);
    });

    it('useValue: the same value in every invocation', async () => {
      const value = { id: 'the-value', requestId: 'none' };
      const [a, b] = await twice(kit([[AuditTrail, { useValue: value }]]));
      expect([...a.ids, ...b.ids]).to.deep.equal(Array(6).fill('the-value'));
    });

    it('useToken: whatever the other token resolves to', async () => {
      const SHARED = Symbol('shared trail');
      const [a] = await twice(
        kit([
          [SHARED, { useValue: { id: 'aliased', requestId: '' } }],
          [AuditTrail, { useToken: SHARED }],
        ]),
      );
      expect(a.ids).to.deep.equal(['aliased', 'aliased', 'aliased']);
    });
  });

  describe('lifecycle', () => {
    it('Transient: a new replacement for every injection', async () => {
      const [a] = await twice(kit([[AuditTrail, { useClass: FakeAuditTrail }, { lifecycle: Lifecycle.Transient }]]));
      expect(new Set(a.ids).size).to.equal(3);
    });

    it('Singleton: one replacement for the test kernel, disposed when it closes', async () => {
      SharedFakeAuditTrail.disposed = [];
      const tk = kit([[AuditTrail, { useClass: SharedFakeAuditTrail }, { lifecycle: Lifecycle.Singleton }]]);
      const [a, b] = await twice(tk);
      expect(new Set([...a.ids, ...b.ids]).size).to.equal(1);
      expect(SharedFakeAuditTrail.disposed).to.deep.equal([]);
      await tk.close();
      expect(SharedFakeAuditTrail.disposed).to.deep.equal([a.ids[0]]);
    });

    it('refuses, at creation, a Singleton replacement that takes the per-invocation context', () => {
      expect(() => kit([[AuditTrail, { useClass: FakeAuditTrail }, { lifecycle: Lifecycle.Singleton }]])).to.throw(
        /injects FC_CONTEXT, which exists per invocation/,
      );
    });

    it('a factory: Transient runs it for every injection, Singleton once', async () => {
      let calls = 0;
      const factory = () => ({ id: `call-${++calls}`, requestId: '' });
      const [transient] = await twice(kit([[AuditTrail, { useFactory: factory }, { lifecycle: Lifecycle.Transient }]]));
      expect(transient.ids).to.deep.equal(['call-1', 'call-2', 'call-3']);
      calls = 0;
      const [first, second] = await twice(
        kit([[AuditTrail, { useFactory: factory }, { lifecycle: Lifecycle.Singleton }]]),
      );
      expect([...first.ids, ...second.ids]).to.deep.equal(Array(6).fill('call-1'));
    });

    it('refuses a lifecycle a provider cannot have', () => {
      expect(() =>
        createTestKernel(Audited, {
          overrides: [[AuditTrail, { useFactory: () => ({}) }, { lifecycle: Lifecycle.ResolutionScoped }]],
        }),
      ).to.throw(TypeError, 'A useFactory override cannot be ResolutionScoped');
      expect(() =>
        createTestKernel(Audited, {
          overrides: [[AuditTrail, { useValue: {} }, { lifecycle: Lifecycle.Singleton }]],
        }),
      ).to.throw(TypeError, 'A useValue override takes no lifecycle');
    });
  });

  it("replaces a function's constructor dependency (a @singleton service)", async () => {
    const [a, b] = await twice(kit([[Clock, { useClass: FixedClock }]]));
    expect([a.now, b.now]).to.deep.equal(['fixed time', 'fixed time']);
  });

  it('replaces a token registered on the global container', async () => {
    const [a] = await twice(kit([[GREETING, { useValue: 'hello from the test' }]]));
    expect(a.greeting).to.equal('hello from the test');
  });

  it('keeps overrides to their own kernel: other kernels and the global container never see them', async () => {
    const faked = kit([
      [GREETING, { useValue: 'faked' }],
      [Clock, { useClass: FixedClock }],
      [AuditTrail, { useClass: FakeAuditTrail }],
      [OTHER_GREETING, { useValue: 'new token' }],
    ]);
    const plain = kit([]);
    const [fakedAnswer, plainAnswer] = await Promise.all([faked.invoke<Seen>({}), plain.invoke<Seen>({})]);
    expect(fakedAnswer.body).to.include({ greeting: 'faked', now: 'fixed time' });
    expect(plainAnswer.body).to.include({ greeting: 'hello from the global container', now: 'real time' });
    expect(plainAnswer.body.ids[0]).to.match(/^real-/);
    expect(container.resolve(Clock).now()).to.equal('real time');
    expect(container.isRegistered(OTHER_GREETING, true)).to.equal(false);
  });

  it('registers under a given container', async () => {
    const parent = container.createChildContainer();
    parent.register(GREETING, { useValue: 'from the parent' });
    const tk = kernelOf(Audited, { container: parent, overrides: [[Clock, { useClass: FixedClock }]] });
    expect((await tk.invoke<Seen>({})).body).to.include({ greeting: 'from the parent', now: 'fixed time' });
  });

  for (const [name, token] of [
    ['FC_CONTEXT', FC_CONTEXT],
    ['FcContext', FcContext],
    ['FC_LOGGER', FC_LOGGER],
    ['FcLogger', FcLogger],
  ] as const) {
    it(`refuses to override ${name}, which each invocation makes for itself`, () => {
      expect(() => createTestKernel(Audited, { overrides: [[token, { useValue: {} }]] })).to.throw(
        TypeError,
        `${name} cannot be overridden`,
      );
    });
  }
});
