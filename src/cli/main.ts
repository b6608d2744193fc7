#!/usr/bin/env node
import { reserveStdout } from './reserveStdout';
import { runCli } from './runCli';

const argv = process.argv.slice(2);
const stdout = argv[0] === 'invoke' ? reserveStdout() : undefined;

void runCli(argv, { stdout }).then(async (exitCode) => {
  await stdout?.flush();
  // An invocation that timed out may leave its handler's timers behind: the answer is out, so the
  // command ends now rather than when they fire.
  process.exit(exitCode);
});
