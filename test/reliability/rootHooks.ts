/*
 * The suite's root hooks (loaded with mocha's `--require`): output capture starts before the
 * first test; after the last one, every captured text is scanned for the planted credentials,
 * the built-in prototypes are checked once more, and the summary line is printed. The run fails
 * on any lost request or leak.
 */
import { capturedCount, captureProcessOutput, scanForLeaks, tally } from './capture';
import { expectNoPollution, killFixtures, prototypeSnapshot } from './harness';

captureProcessOutput();
const pristine = prototypeSnapshot();

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await killFixtures();
    expectNoPollution(pristine);
    const leaks = scanForLeaks();
    const summary =
      `reliability summary: inputs tried ${tally.inputsTried}, ` +
      `faults injected ${tally.faultsInjected}, faults survived ${tally.faultsSurvived}, ` +
      `requests sent ${tally.requestsSent}, requests lost ${tally.requestsLost}, ` +
      `leaks found ${leaks.length} (in ${capturedCount()} captured texts)`;
    process.stdout.write(`\n${summary}\n`);
    for (const leak of leaks.slice(0, 20)) process.stdout.write(`  leak: ${leak}\n`);
    if (tally.requestsLost > 0 || leaks.length > 0) {
      throw new Error(`${tally.requestsLost} request(s) lost and ${leaks.length} leak(s) found`);
    }
  },
};
