import { expect } from 'chai';
import { Agent } from 'node:http';
import { Ctx, Event, FcFunction, OnInvoke, type FcContext } from '../../src';
import { closeServers, deferred, expectOk, invoke, sleep, startServer } from './helpers';

const CONCURRENCY = 200;

function declareFunction(stats: { inFlight: number; maxInFlight: number }) {
  const allStarted = deferred();
  // If the server never lets every invocation run at once, the barrier opens anyway and the
  // in-flight maximum fails the test instead of a timeout.
  const fallback = setTimeout(allStarted.resolve, 5_000);

  @FcFunction({ name: 'concurrent' })
  class Concurrent {
    @OnInvoke()
    async handle(@Event() event: { payloadId: string }, @Ctx() ctx: FcContext) {
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      if (stats.inFlight === CONCURRENCY) {
        clearTimeout(fallback);
        allStarted.resolve();
      }
      try {
        await allStarted.promise;
        await sleep(Math.random() * 50);
        ctx.logger.info(`handled ${event.payloadId} for ${ctx.requestId}`);
        return { requestId: ctx.requestId, payloadId: event.payloadId };
      } finally {
        stats.inFlight--;
      }
    }
  }
  return Concurrent;
}

describe('e2e: 200 concurrent invocations', () => {
  afterEach(closeServers);

  it('keeps request id, payload and log lines of each invocation its own', async () => {
    const stats = { inFlight: 0, maxInFlight: 0 };
    const lines: string[] = [];
    const { port } = await startServer({ functions: [declareFunction(stats)], logSink: (l) => lines.push(l) });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    try {
      const ids = Array.from({ length: CONCURRENCY }, (_, i) => ({
        requestId: `1-6789abcd-${String(i).padStart(8, '0')}-req`,
        payloadId: `payload-${i}-${Math.random().toString(36).slice(2)}`,
      }));
      const answers = await Promise.all(
        ids.map(({ requestId, payloadId }) => invoke(port, { payloadId }, { 'x-fc-request-id': requestId }, agent)),
      );

      answers.forEach((answer, i) => expect(expectOk(answer).json()).to.deep.equal(ids[i]));
      expect(stats.maxInFlight).to.equal(CONCURRENCY);

      for (const { requestId, payloadId } of ids) {
        const start = lines.indexOf(`FC Invoke Start RequestId: ${requestId}`);
        const end = lines.indexOf(`FC Invoke End RequestId: ${requestId}`);
        const own = lines.findIndex((l) => l.endsWith(` handled ${payloadId} for ${requestId}`));
        expect(start, requestId).to.be.at.least(0);
        expect(own, payloadId).to.be.greaterThan(start);
        expect(end, requestId).to.be.greaterThan(own);
        expect(lines[own]!.split(' ')[1], 'the line carries its own request id').to.equal(requestId);
      }
      // Every handler line names the request it ran for in both its prefix and its message.
      const handled = lines.filter((l) => l.includes(' [INFO] handled '));
      expect(handled).to.have.length(CONCURRENCY);
      for (const line of handled) expect(line.split(' ')[1]).to.equal(line.split(' ').at(-1));
    } finally {
      agent.destroy();
    }
  });
});
