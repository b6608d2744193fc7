/*
 * Concurrency soak through the real server: 200 invocations in flight for 30 s, each with a
 * random delay, checking that nothing of one invocation ever shows up in another.
 */
import { expect } from 'chai';
import {
  Ctx,
  currentInvocation,
  Event,
  FC_CONTEXT,
  FcContext,
  FcFunction,
  Inject,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  scoped,
  type FcHttpServer,
} from '../../src';
import { tally } from './capture';
import { capturedKernel, expectFcAnswer, fcHeaders, keepAliveAgent, listen, send, sendChecked, sleep } from './harness';

/** How long the soak runs (30 s; shorter with RELIABILITY_SOAK_MS for a quick local run). */
const SOAK_MS = Number(process.env.RELIABILITY_SOAK_MS ?? 30_000);
const IN_FLIGHT = 200;

let constructed = 0;

/** Request-scoped: one per invocation, remembering which one built it. */
@scoped(Lifecycle.ContainerScoped)
class RequestState {
  readonly serial = ++constructed;
  readonly requestId: string;
  constructor(@Inject(FC_CONTEXT) ctx: FcContext) {
    this.requestId = ctx.requestId;
  }
}

interface Job {
  id: string;
  delayMs: number;
}

interface JobResult {
  id: string;
  requestId: string;
  serial: number;
  stateRequestId: string;
  sameState: boolean;
}

@FcFunction({ name: 'soak' })
class SoakFunction {
  @OnInvoke()
  async run(
    @Event() event: object,
    @Ctx() ctx: FcContext,
    @Inject(RequestState) state: RequestState,
    @Inject(RequestState) again: RequestState,
  ): Promise<JobResult> {
    const job = event as Job;
    ctx.logger.info(`job ${job.id} begins`);
    await sleep(job.delayMs / 2);
    // After an await, the invocation is found from the async context alone.
    const invocation = currentInvocation()!;
    invocation.logger.info(`job ${job.id} halfway`);
    const late = invocation.container.resolve(RequestState);
    await sleep(job.delayMs / 2);
    ctx.logger.info(`job ${job.id} ends`);
    return {
      id: job.id,
      requestId: ctx.requestId,
      serial: state.serial,
      stateRequestId: state.requestId,
      sameState: state === again && state === late,
    };
  }
}

let initStarted = false;
let releaseInit: () => void = () => undefined;
let initAborted = 0;

/** An initializer that waits to be released, and gives up when its signal aborts. */
@FcFunction({ name: 'shared-start' })
class SharedStartFunction {
  @OnInitialize()
  async warmUp(@Ctx() ctx: FcContext): Promise<void> {
    initStarted = true;
    await new Promise<void>((resolve, reject) => {
      releaseInit = resolve;
      ctx.signal.addEventListener('abort', () => {
        initAborted++;
        reject(ctx.signal.reason as Error);
      });
    });
  }

  @OnInvoke()
  handle(@Ctx() ctx: FcContext): string {
    return ctx.requestId;
  }
}

describe('shared initialization', function () {
  this.timeout(30_000);

  it('goes on for 20 waiting invocations when the /initialize caller goes away', async () => {
    const { kernel, close } = capturedKernel('shared-start kernel', { functions: [SharedStartFunction] });
    const server: FcHttpServer = await listen(kernel);
    const agent = keepAliveAgent(32);
    try {
      const caller = new AbortController();
      const initializing = send(server.port, {
        path: '/initialize',
        headers: fcHeaders(),
        signal: caller.signal,
        counted: false,
        source: 'shared-start http',
      }).catch((error: unknown) => error);
      while (!initStarted) await sleep(5);
      const invocations = Array.from({ length: 20 }, (_, i) =>
        send(server.port, { headers: fcHeaders({ 'x-fc-request-id': `joiner-${i}` }), body: '{}', agent }),
      );
      await sleep(100);
      tally.faultsInjected++;
      caller.abort();
      await initializing;
      await sleep(50);
      releaseInit();
      const answers = await Promise.all(invocations);
      for (const answer of answers) expectFcAnswer(answer.statusCode, answer.headers, answer.body);
      const failed = answers.filter((a) => a.statusCode !== 200).map((a) => a.body.toString().slice(0, 120));
      expect(failed, failed[0]).to.deep.equal([]);
      expect(answers.map((a) => a.body.toString())).to.deep.equal(answers.map((_, i) => `joiner-${i}`));
      expect(initAborted).to.equal(0);
      tally.faultsSurvived++;
    } finally {
      agent.destroy();
      await server.close();
      await close();
    }
  });
});

describe('concurrency soak', function () {
  this.timeout(SOAK_MS + 60_000);

  it(`keeps ${IN_FLIGHT} concurrent invocations apart for ${SOAK_MS / 1000} s`, async () => {
    const { kernel, lines } = capturedKernel('soak kernel', { functions: [SoakFunction] });
    const server: FcHttpServer = await listen(kernel);
    const agent = keepAliveAgent(IN_FLIGHT);
    const serials = new Set<number>();
    const sent = new Set<string>();
    const stopAt = Date.now() + SOAK_MS;
    let completed = 0;
    let random = 0x2545f491;
    const nextDelay = () => {
      // A fixed xorshift sequence: random delays, the same every run.
      random ^= random << 13;
      random ^= random >>> 17;
      random ^= random << 5;
      return (random >>> 0) % 200;
    };

    const worker = async (w: number) => {
      for (let n = 0; Date.now() < stopAt; n++) {
        const job: Job = { id: `w${w}-${n}`, delayMs: nextDelay() };
        const requestId = `soak-${job.id}`;
        sent.add(requestId);
        const answer = await sendChecked(server.port, {
          headers: fcHeaders({ 'x-fc-request-id': requestId }),
          body: JSON.stringify(job),
          agent,
          source: 'soak http',
        });
        expect(answer.statusCode).to.equal(200);
        const result = JSON.parse(answer.body.toString()) as JobResult;
        expect(result).to.deep.include({ id: job.id, requestId, stateRequestId: requestId, sameState: true });
        expect(serials.has(result.serial), `request-scoped instance ${result.serial} reused`).to.equal(false);
        serials.add(result.serial);
        completed++;
      }
    };
    try {
      await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
    } finally {
      agent.destroy();
      await server.close();
    }

    expect(completed).to.equal(sent.size);
    expect(completed).to.be.greaterThan(IN_FLIGHT * 10);
    // Every line of a job carries that job's own request id.
    let jobLines = 0;
    for (const line of lines) {
      const match = / (\S+) \[INFO\] job (\S+) (?:begins|halfway|ends)$/.exec(line);
      if (!match) continue;
      jobLines++;
      expect(match[1], line).to.equal(`soak-${match[2]}`);
    }
    expect(jobLines).to.equal(completed * 3);
    const starts = lines.filter((l) => l.startsWith('FC Invoke Start RequestId: soak-'));
    expect(new Set(starts.map((l) => l.slice(l.lastIndexOf(' ') + 1)))).to.deep.equal(sent);
    process.stdout.write(`      soak: ${completed} invocations, ${lines.length} log lines\n`);
  });
});
