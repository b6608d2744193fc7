import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../helpers/async';

const FIXTURE = join(__dirname, 'fixtures', 'stdoutLogger.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the fixture with stdout a pipe (read only after `readAfterMs`, as a log collector that is
 * behind) or a file.
 */
async function runFixture(args: string[], stdout: 'pipe' | 'file', readAfterMs = 0): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'fc-kernel-stdout-'));
  const file = join(dir, 'stdout.log');
  const fd = stdout === 'file' ? openSync(file, 'w') : undefined;
  try {
    const child = spawn(process.execPath, [FIXTURE, ...args], { stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    let out = '';
    if (child.stdout) {
      child.stdout.pause();
      await sleep(readAfterMs);
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stdout.resume();
    }
    const code = await exited;
    return { code, stdout: fd === undefined ? out : readFileSync(file, 'utf8'), stderr: err };
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines `count` sequential invocations print, in order, as the fixture logs them. */
function expectedLines(count: number, filler = ''): RegExp[] {
  const lines: RegExp[] = [];
  for (let n = 0; n < count; n++) {
    const id = `req-${n}`;
    lines.push(new RegExp(`^FC Invoke Start RequestId: ${id}$`));
    lines.push(new RegExp(`^\\S+Z ${id} \\[INFO\\] first of ${n}${filler}$`));
    lines.push(new RegExp(`^\\S+Z ${id} \\[WARN\\] second of ${n}$`));
    lines.push(new RegExp(`^\\S+Z ${id} \\[INFO\\] third of ${n}$`));
    lines.push(new RegExp(`^FC Invoke End RequestId: ${id}$`));
  }
  return lines;
}

function expectInOrder(stdout: string, expected: RegExp[]): void {
  const lines = stdout.split('\n');
  expect(lines.pop(), 'ends with a newline').to.equal('');
  expect(lines).to.have.length(expected.length);
  lines.forEach((line, i) => expect(expected[i]!.test(line), `line ${i}: ${line.slice(0, 120)}`).to.equal(true));
}

describe('the default log sink (stdout)', function () {
  this.timeout(60_000);

  for (const stdout of ['pipe', 'file'] as const) {
    it(`writes every line in order before process.exit in the same turn (stdout a ${stdout})`, async () => {
      const run = await runFixture(['exit', '300'], stdout);
      expect(run.code, run.stderr).to.equal(0);
      expectInOrder(run.stdout, expectedLines(300));
    });

    it(`writes every line in order before an uncaught exception ends the process (stdout a ${stdout})`, async () => {
      const run = await runFixture(['throw', '300'], stdout);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include('crashed right after logging');
      expectInOrder(run.stdout, expectedLines(300));
    });

    it(`writes every line in order when the event loop runs dry (stdout a ${stdout})`, async () => {
      const run = await runFixture(['dry', '300'], stdout);
      expect(run.code, run.stderr).to.equal(0);
      expectInOrder(run.stdout, expectedLines(300));
    });
  }

  it('prints console output from outside any invocation after the lines logged before it', async () => {
    const run = await runFixture(['console', '300'], 'pipe');
    expect(run.code, run.stderr).to.equal(0);
    expectInOrder(run.stdout, [...expectedLines(300), /^printed after the invocations$/]);
  });

  it('loses no line to a pipe that is full (EAGAIN) when the process exits', async () => {
    // 500 invocations of 4 KB lines: 2 MB, far more than the pipe and the reader's buffers hold
    // while the reader waits.
    const run = await runFixture(['flood', '500'], 'pipe', 500);
    expect(run.code, run.stderr).to.equal(0);
    expectInOrder(run.stdout, expectedLines(500, ' x{4000}'));
  });
});
