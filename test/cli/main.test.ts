import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { CLI_MAIN, ORDER_ACCEPTED, ORDER_ENTRY, PROJECT_ROOT, fixture, spawnCli, stopClis } from './helpers';

describe('the compiled CLI (dist/src/cli/main.js) as its own process', () => {
  afterEach(stopClis);

  it('starts with a node shebang, so that npm can link it as a bin', () => {
    expect(readFileSync(CLI_MAIN, 'utf8').split('\n')[0]).to.equal('#!/usr/bin/env node');
  });

  it('is executable after npm run build, so that `npx fc-kernel` runs it without node in front', async () => {
    expect(statSync(CLI_MAIN).mode & 0o111, 'the exec bits').to.equal(0o111);
    // Run as a program, as npm's bin link runs it: the kernel reads the shebang.
    const { stdout } = await promisify(execFile)(CLI_MAIN, ['--help']);
    expect(stdout).to.match(/^Usage: fc-kernel/);
  });

  it('invoke: the event from a stdin pipe, exactly the answer and a newline on stdout, exit 0', async () => {
    const event = readFileSync(`${PROJECT_ROOT}/samples/order-service/event.json`, 'utf8');
    const run = await spawnCli(['invoke', ORDER_ENTRY, '--event', '-'], { stdin: event });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(JSON.stringify(ORDER_ACCEPTED) + '\n');
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
    expect(run.stdout).to.equal('the answer\n');
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
