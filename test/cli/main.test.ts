import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { CLI_MAIN, ORDER_ACCEPTED, ORDER_ENTRY, PROJECT_ROOT, fixture, spawnCli, stopClis } from './helpers';

describe('the compiled CLI (dist/src/cli/main.js) as its own process', () => {
  afterEach(stopClis);

  it('starts with a node shebang, so that npm can link it as a bin', () => {
    expect(readFileSync(CLI_MAIN, 'utf8').split('\n')[0]).to.equal('#!/usr/bin/env node');
  });

  it('invoke: the event from a stdin pipe, exactly the answer on stdout, exit 0', async () => {
    const event = readFileSync(`${PROJECT_ROOT}/samples/order-service/event.json`, 'utf8');
    const run = await spawnCli(['invoke', ORDER_ENTRY, '--event', '-'], { stdin: event });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(JSON.stringify(ORDER_ACCEPTED));
    expect(run.stderr).to.match(/^FC Initialize Start RequestId: /);
  });

  it('invoke: an error answer exits 1, a usage error 2', async () => {
    const failed = await spawnCli(['invoke', ORDER_ENTRY, '--event', '-'], { stdin: '[]' });
    expect(failed.code).to.equal(1);
    expect(JSON.parse(failed.stdout)).to.include({ errorType: 'ValidationError' });
    const usage = await spawnCli(['invoke', ORDER_ENTRY, '--header', 'oops']);
    expect(usage).to.deep.include({ code: 2, stdout: '' });
  });

  it("invoke: what the handler writes to stdout goes to stderr; a stray rejection is logged; its timers don't hold the exit", async () => {
    // The fixture leaves a one-minute timer behind: the command must exit without waiting for it.
    const run = await spawnCli(['invoke', fixture('noisy')]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal('the answer');
    expect(run.stderr).to.include('console.log from the handler');
    expect(run.stderr).to.include('process.stdout.write from the handler');
    expect(run.stderr).to.match(/\[ERROR\] Unhandled promise rejection: Error: a background task failed/);
  });

  it('no arguments: the help on stderr, exit 2; --help: exit 0', async () => {
    const bare = await spawnCli([]);
    expect(bare.code).to.equal(2);
    expect(bare.stderr).to.match(/^Usage: fc-kernel/);
    const help = await spawnCli(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: fc-kernel/);
  });
});
