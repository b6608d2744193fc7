import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import {
  container,
  Ctx,
  Event,
  FcFunction,
  Inject,
  injectable,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  scoped,
  type Disposable,
  type FcContext,
} from '../../src';
import { closeServers, expectOk, invoke, lifecycle, sleep, startServer } from './helpers';

function declareFunction(disposed: { id: string; requestId: string }[]) {
  /** One per invocation: carries the invocation's request id into whatever it is given to. */
  @scoped(Lifecycle.ContainerScoped)
  class UnitOfWork implements Disposable {
    readonly id = randomUUID();
    requestId = '';

    dispose() {
      disposed.push({ id: this.id, requestId: this.requestId });
    }
  }

  /** Depends on the scoped service: must receive the invocation's own instance. */
  @injectable()
  class Auditor {
    constructor(readonly work: UnitOfWork) {}
  }

  @FcFunction({ name: 'scoped' })
  class ScopedFunction {
    @OnInvoke()
    async handle(
      @Event() event: { delayMs: number },
      @Ctx() ctx: FcContext,
      @Inject(UnitOfWork) first: UnitOfWork,
      @Inject(UnitOfWork) second: UnitOfWork,
      @Inject(Auditor) auditor: Auditor,
    ) {
      first.requestId = ctx.requestId;
      // Overlapping invocations must not see each other's instance.
      await sleep(event.delayMs);
      return {
        requestId: ctx.requestId,
        ids: [first.id, second.id, auditor.work.id],
        seenRequestId: second.requestId,
        disposedYet: disposed.some((d) => d.id === first.id),
      };
    }
  }
  return ScopedFunction;
}

/** Registers its scoped service only when it initializes, after the server has started. */
function declareLateRegisteringFunction() {
  class Session {
    readonly id = randomUUID();
  }
  const SESSION = Symbol('Session');

  @FcFunction({ name: 'late' })
  class LateRegistering {
    @OnInitialize()
    init() {
      container.register(SESSION, { useClass: Session }, { lifecycle: Lifecycle.ContainerScoped });
    }

    @OnInvoke()
    handle(@Event() _event: object, @Inject(SESSION) first: Session, @Inject(SESSION) second: Session) {
      return [first.id, second.id];
    }
  }
  return LateRegistering;
}

describe('e2e: container-scoped services', () => {
  afterEach(closeServers);

  it('gives each invocation its own instance, shared within it, disposed after it', async () => {
    const disposed: { id: string; requestId: string }[] = [];
    const { port } = await startServer({ functions: [declareFunction(disposed)] });

    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => invoke(port, { delayMs: (i * 7) % 30 }, { 'x-fc-request-id': `r-${i}` })),
    );
    const results = answers.map((a) =>
      expectOk(a).json<{ requestId: string; ids: string[]; seenRequestId: string; disposedYet: boolean }>(),
    );

    const perRequest = new Set<string>();
    results.forEach((result, i) => {
      expect(result.requestId).to.equal(`r-${i}`);
      expect(new Set(result.ids).size, 'one instance within an invocation').to.equal(1);
      expect(result.seenRequestId).to.equal(`r-${i}`);
      expect(result.disposedYet).to.equal(false);
      perRequest.add(result.ids[0]!);
    });
    expect(perRequest.size, 'a fresh instance per invocation').to.equal(results.length);

    // Disposed when its invocation ended, which was before the answer was written.
    expect(disposed.map((d) => d.id).sort()).to.deep.equal([...perRequest].sort());
    for (const d of disposed) {
      expect(results.find((r) => r.ids[0] === d.id)!.requestId).to.equal(d.requestId);
    }
  });

  it('keeps a scoped service registered after the server started per invocation', async () => {
    const { port } = await startServer({ functions: [declareLateRegisteringFunction()] });
    expectOk(await lifecycle(port, '/initialize'));
    const answers = await Promise.all(Array.from({ length: 5 }, () => invoke(port, {})));
    const ids = answers.map((a) => expectOk(a).json<string[]>());
    for (const [first, second] of ids) expect(first).to.equal(second);
    expect(new Set(ids.map(([first]) => first)).size).to.equal(ids.length);
  });
});
