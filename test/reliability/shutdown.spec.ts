/*
 * Shutdown of a process run by serve(): SIGTERM with 200 requests in flight or still queued, and
 * a second SIGTERM while one is stuck.
 */
import { expect } from 'chai';
import type { Work } from './fixtures/server';
import { fcHeaders, fixturePort, killFixtures, send, sendChecked, startFixture } from './harness';

describe('shutdown on SIGTERM', function () {
  this.timeout(60_000);

  after(() => killFixtures());

  it('answers all 200 requests in flight or queued, then exits 0 within the drain deadline', async () => {
    const fixture = startFixture('server', { FIXTURE_DRAIN_MS: '20000' });
    const port = await fixturePort(fixture);
    await sendChecked(port, { headers: fcHeaders(), body: JSON.stringify({ id: 'warm-up' }) });

    // One connection each, so that the last ones are still in the accept queue at the signal.
    const answers = Array.from({ length: 200 }, (_, i) => {
      const work: Work = { id: `job-${i}`, delayMs: 300 + ((i * 37) % 700) };
      return sendChecked(port, { headers: fcHeaders(), body: JSON.stringify(work), agent: false }).then((answer) => ({
        sent: work.id,
        answer,
      }));
    });
    await fixture.waitForLine(/ \[INFO\] work job-\d+ started$/);
    fixture.child.kill('SIGTERM');

    for (const { sent, answer } of await Promise.all(answers)) {
      expect(answer.statusCode).to.equal(200);
      expect(JSON.parse(answer.body.toString())).to.include({ id: sent });
    }
    expect(await fixture.exited).to.equal(0);
    expect(fixture.stderr.join('\n')).to.not.contain('drain deadline passed');
    // Every invocation ran to its end marker before the process left.
    const ends = fixture.stdout.filter((l) => /^FC Invoke End RequestId: /.test(l));
    expect(ends.length).to.equal(201);
  });

  it('exits at once (code 1) on a second SIGTERM while a request is stuck', async () => {
    const fixture = startFixture('server', { FIXTURE_DRAIN_MS: '60000' });
    const port = await fixturePort(fixture);
    // Deliberately never answered: not a request the suite counts as lost.
    const stuck = send(port, {
      headers: fcHeaders(),
      body: JSON.stringify({ id: 'stuck', hang: true }),
      counted: false,
    }).catch((error: unknown) => error);
    await fixture.waitForLine(/ \[INFO\] work stuck started$/);
    fixture.child.kill('SIGTERM');
    // The first signal drains: the stuck request holds the process.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fixture.child.exitCode).to.equal(null);
    fixture.child.kill('SIGTERM');
    expect(await fixture.exited).to.equal(1);
    expect(fixture.stderr.join('\n')).to.contain('SIGTERM again, exiting now');
    expect(await stuck).to.be.instanceOf(Error);
  });
});
