/*
 * Memory soak: 200,000 invocations through `dispatch` in a child process run with --expose-gc
 * (fixtures/memorySoak.ts), valid and invalid events mixed, comparing heap and RSS after full GCs
 * at 20,000 and at 200,000.
 */
import { expect } from 'chai';
import { tally } from './capture';
import { fixtureReport, killFixtures, startFixture } from './harness';

interface MemoryReport {
  invocations: number;
  valid: number;
  invalid: number;
  failures: number;
  heapAtFirstMark: number;
  heapAtEnd: number;
  rssAtFirstMark: number;
  rssAtEnd: number;
  created: number;
  collected: number;
  tracked: number;
  firstAlive: number;
  lines: number;
}

const MB = 1024 * 1024;

describe('memory soak', function () {
  this.timeout(120_000);

  after(() => killFixtures());

  it('keeps heap and RSS flat over 200,000 valid and invalid invocations and releases every invocation container', async () => {
    const fixture = startFixture('memorySoak', {}, ['--expose-gc']);
    const report = await fixtureReport<MemoryReport>(fixture);
    expect(await fixture.exited).to.equal(0);
    tally.requestsSent += report.invocations;
    tally.requestsLost += report.failures;
    process.stdout.write(
      `      memory: heap ${(report.heapAtFirstMark / MB).toFixed(1)} MB at 20k, ${(report.heapAtEnd / MB).toFixed(1)} MB at 200k; ` +
        `rss ${(report.rssAtFirstMark / MB).toFixed(0)} MB, ${(report.rssAtEnd / MB).toFixed(0)} MB\n`,
    );

    expect(report.failures).to.equal(0);
    expect(report.valid).to.equal(report.invocations / 2);
    expect(report.invalid).to.equal(report.invocations / 2);
    // A leak of a dozen bytes per invocation would add 2 MB over the 180,000 between the marks.
    expect(report.heapAtEnd - report.heapAtFirstMark).to.be.below(2 * MB);
    expect(report.rssAtEnd - report.rssAtFirstMark).to.be.below(32 * MB);
    // Every request-scoped service (and so its invocation's container) was collected. A valid
    // event's handler gets one; an invalid event may have made one before its validation failed.
    expect(report.created).to.be.at.least(report.valid).and.at.most(report.invocations);
    expect(report.collected).to.be.at.least(report.created - 100);
    expect(report.tracked).to.equal(1000);
    expect(report.firstAlive).to.equal(0);
    // Markers and a line each: the handler's two, or the failure's.
    expect(report.lines).to.be.at.least(report.valid * 4 + report.invalid * 3);
  });
});
