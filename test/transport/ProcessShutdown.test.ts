import { expect } from 'chai';
import type { FcHttpServer, ShutdownOutcome } from '../../src';
import { ProcessShutdown } from '../../src/transport/ProcessShutdown';
import { settle } from '../helpers/async';
import { captureStderr } from '../helpers/stderrCapture';

/** A server whose close() resolves with `outcome` (or rejects with it when it is an Error). */
function fakeServer(outcome: ShutdownOutcome | Error): { server: FcHttpServer; closes: () => number } {
  let closes = 0;
  const server = {
    close: () => {
      closes++;
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  } as unknown as FcHttpServer;
  return { server, closes: () => closes };
}

/** Runs `fn` with stderr writes collected instead of printed. */
async function quietly(fn: () => Promise<void>): Promise<string[]> {
  const stderr = captureStderr();
  try {
    await fn();
  } finally {
    stderr.restore();
  }
  return stderr.written;
}

const clean: ShutdownOutcome = { lost: 0, preStopFailed: [] };

describe('ProcessShutdown', () => {
  it('closes the server once, however often it is asked, and exits 0 when nothing was lost', async () => {
    const { server, closes } = fakeServer(clean);
    const codes: number[] = [];
    const shutdown = new ProcessShutdown(server, (code) => codes.push(code));
    const said = await quietly(async () => {
      expect(shutdown.startedAt).to.equal(undefined);
      shutdown.begin();
      shutdown.begin();
      await settle();
    });
    expect(shutdown.startedAt).to.be.a('number');
    expect(closes()).to.equal(1);
    expect(codes).to.deep.equal([0]);
    expect(said).to.deep.equal([]);
  });

  for (const [what, outcome, message] of [
    ['a request went unanswered', { lost: 2, preStopFailed: [] }, '2 request(s) unanswered'],
    ['a pre-stop hook failed', { lost: 0, preStopFailed: ['orders'] }, '@OnPreStop of "orders" failed or timed out'],
    ['the shutdown failed', new Error('dispose broke'), 'shutdown failed: dispose broke'],
  ] as [string, ShutdownOutcome | Error, string][]) {
    it(`exits 1 and says so when ${what}`, async () => {
      const codes: number[] = [];
      const shutdown = new ProcessShutdown(fakeServer(outcome).server, (code) => codes.push(code));
      const said = await quietly(async () => {
        shutdown.begin();
        await settle();
      });
      expect(codes).to.deep.equal([1]);
      expect(said.join('')).to.contain(message);
    });
  }

  it('exits 1 after a clean drain when a fault started it, or came during it', async () => {
    for (const order of ['fault first', 'fault during']) {
      const codes: number[] = [];
      const shutdown = new ProcessShutdown(fakeServer(clean).server, (code) => codes.push(code));
      const said = await quietly(async () => {
        if (order === 'fault first') shutdown.begin('uncaught exception');
        else {
          shutdown.begin();
          shutdown.begin('uncaught exception');
        }
        await settle();
      });
      expect(codes, order).to.deep.equal([1]);
      expect(said.join('')).to.contain('fc-kernel: uncaught exception: shutting down');
    }
  });
});
