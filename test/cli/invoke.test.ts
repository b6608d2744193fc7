import { expect } from 'chai';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BODY_LIMIT } from '../../src';
import { credentialDigest, type ProbeAnswer } from './fixtures/probe';
import { cli, fixture, ORDER_ACCEPTED, ORDER_ENTRY, ORDER_EVENT } from './helpers';

const PROBE = fixture('probe');
const CREDENTIALS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tCliTestKeyId0001',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'cliTestSecret-7f6e5d4c3b2a',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'CAIScliTestSecurityToken+/==',
};

/** Where a marker or log line sits in stderr: -1 when absent. */
function lineIndex(stderr: string, pattern: RegExp): number {
  return stderr.split('\n').findIndex((line) => pattern.test(line));
}

describe('fc-kernel invoke <entry> (in-process)', () => {
  describe('the order sample', () => {
    it('initializes, invokes with event.json, runs @OnPreStop: the result on stdout, logs on stderr, exit 0', async () => {
      const run = await cli(['invoke', ORDER_ENTRY, '--event', ORDER_EVENT]);
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal(ORDER_ACCEPTED);
      // The body and a newline, nothing else on stdout (a pipe too: the next line starts on its own).
      expect(run.stdout).to.equal(JSON.stringify(ORDER_ACCEPTED) + '\n');
      const initStart = lineIndex(
        run.stderr,
        /^FC Initialize Start RequestId: 1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$/,
      );
      const invokeStart = lineIndex(run.stderr, /^FC Invoke Start RequestId: 1-/);
      expect(initStart).to.be.at.least(0);
      expect(invokeStart).to.be.greaterThan(initStart);
      expect(run.stderr).to.include('[INFO] order repository ready');
      expect(run.stderr).to.include('[INFO] accepted order A-1001: 4 item(s), total 60.07');
      expect(run.stderr).to.match(/\[INFO\] flushed 1 order\(s\)\nFC PreStop End RequestId: /);
    });

    it('an invalid order: FC error JSON on stdout, exit 1', async () => {
      const run = await cli(['invoke', ORDER_ENTRY, '--event', '-'], {
        stdin: JSON.stringify({ orderId: 'A-2', customerEmail: 'ada@', items: [] }),
      });
      expect(run.code).to.equal(1);
      const body = JSON.parse(run.stdout) as { errorType: string; errors: { path: string }[] };
      expect(body.errorType).to.equal('ValidationError');
      expect(body.errors.map((e) => e.path)).to.deep.equal(['customerEmail', 'items']);
      expect(run.stderr).to.include(', Error: Handled function error');
    });

    it('reads the event from stdin with --event -', async () => {
      const run = await cli(['invoke', ORDER_ENTRY, '--event', '-'], {
        stdin: JSON.stringify({
          orderId: 'A-3',
          customerEmail: 'ada@example.com',
          items: [{ sku: 'PEN-2', quantity: 3, unitPrice: 0.1 }],
        }),
      });
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal({ orderId: 'A-3', itemCount: 3, total: 0.3, status: 'ACCEPTED' });
    });

    it('sends an empty event when --event is absent: the function says it is not JSON', async () => {
      const run = await cli(['invoke', ORDER_ENTRY]);
      expect(run.code).to.equal(1);
      expect(JSON.parse(run.stdout)).to.include({ errorType: 'EventDecodeError' });
    });

    it("passes a file's bytes as they are: invalid JSON is the function's answer (exit 1), not a usage error", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fc-kernel-cli-'));
      try {
        const file = join(dir, 'broken.json');
        writeFileSync(file, '{"orderId": "A-4",');
        const run = await cli(['invoke', ORDER_ENTRY, '--event', file]);
        expect(run.code).to.equal(1);
        expect(JSON.parse(run.stdout)).to.include({ errorType: 'EventDecodeError' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    describe('an event over the body limit (32 MiB): exit 2, nothing invoked, read no further than the limit', () => {
      const over = `more than ${DEFAULT_BODY_LIMIT} bytes`;

      it('a file: refused by its size, before it is read', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'fc-kernel-cli-'));
        try {
          const file = join(dir, 'huge.json');
          // Sparse: 4 GiB that no disk holds, which reading whole would take minutes and all memory.
          truncateSync((writeFileSync(file, ''), file), 4 * 1024 ** 3);
          const run = await cli(['invoke', ORDER_ENTRY, '--event', file]);
          expect(run.code).to.equal(2);
          expect(run.stderr).to.include(`the event file ${file} holds ${over}`);
          expect(run.stderr).to.not.include('FC Invoke Start');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('a device that never ends (/dev/zero): read up to the limit, then refused', async () => {
        const run = await cli(['invoke', ORDER_ENTRY, '--event', '/dev/zero']);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include(`the event file /dev/zero holds ${over}`);
      });

      it('stdin', async () => {
        const run = await cli(['invoke', ORDER_ENTRY, '--event', '-'], { stdin: Buffer.alloc(DEFAULT_BODY_LIMIT + 1) });
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include(`the event on stdin holds ${over}`);
      });

      it('at the limit exactly, the event is sent: the function answers', async () => {
        const run = await cli(['invoke', ORDER_ENTRY, '--event', '-'], {
          stdin: Buffer.alloc(DEFAULT_BODY_LIMIT, 0x20),
        });
        expect(run.code).to.equal(1);
        expect(JSON.parse(run.stdout)).to.include({ errorType: 'EventDecodeError' });
      });
    });

    it('accepts the entry as a directory, its index.js resolved as require() would', async () => {
      const run = await cli(['invoke', 'dist/samples/order-service', '-e', ORDER_EVENT]);
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal(ORDER_ACCEPTED);
    });
  });

  describe("FC's request", () => {
    it('carries a request id, the function name, the timeout and the --header options', async () => {
      const run = await cli([
        'invoke',
        PROBE,
        '--timeout',
        '7',
        '--header',
        'x-fc-region=cn-shanghai',
        '-H',
        'X-Tenant=acme',
      ]);
      expect(run.code, run.stderr).to.equal(0);
      const answer = JSON.parse(run.stdout) as ProbeAnswer;
      expect(answer.requestId).to.match(/^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$/);
      expect(answer.functionName).to.equal('probe');
      expect(answer.timeout).to.equal(7);
      expect(answer.initializationTimeout).to.equal(7);
      expect(answer.headers).to.include({
        'x-fc-region': 'cn-shanghai',
        'x-tenant': 'acme',
        'x-fc-control-path': '/invoke',
        'content-type': 'application/octet-stream',
      });
    });

    it("uses FC's default timeout of 3 s when --timeout is absent, and a --header overrides what the CLI sends", async () => {
      const run = await cli(['invoke', PROBE, '-H', 'x-fc-request-id=1-mine', '-H', 'x-fc-function-timeout=9']);
      expect(run.code, run.stderr).to.equal(0);
      const answer = JSON.parse(run.stdout) as ProbeAnswer;
      expect(answer.requestId).to.equal('1-mine');
      expect(answer.timeout).to.equal(9);
      expect(answer.initializationTimeout).to.equal(3);
    });

    it('passes the ALIBABA_CLOUD_* credentials as FC passes the role, and never prints them', async () => {
      const run = await cli(['invoke', PROBE], { env: CREDENTIALS });
      expect(run.code, run.stderr).to.equal(0);
      const answer = JSON.parse(run.stdout) as ProbeAnswer;
      expect(answer.credentials).to.equal(
        credentialDigest(
          CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_ID,
          CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
          CREDENTIALS.ALIBABA_CLOUD_SECURITY_TOKEN,
        ),
      );
      expect(run.stderr).to.include('[INFO] credentials [redacted] [redacted] [redacted]');
      for (const secret of Object.values(CREDENTIALS)) {
        expect(run.stdout).to.not.include(secret);
        expect(run.stderr).to.not.include(secret);
      }
    });

    it('without credentials in the environment, sends them empty, as FC does for a function without a role', async () => {
      const run = await cli(['invoke', PROBE]);
      expect((JSON.parse(run.stdout) as ProbeAnswer).credentials).to.equal(credentialDigest('', '', ''));
    });
  });

  describe('--no-init', () => {
    it('without it, POST /initialize runs first, with its own markers', async () => {
      const run = await cli(['invoke', PROBE]);
      expect(run.code, run.stderr).to.equal(0);
      const initStart = lineIndex(run.stderr, /^FC Initialize Start /);
      expect(initStart).to.be.at.least(0);
      expect(lineIndex(run.stderr, /^FC Initialize End /)).to.be.lessThan(lineIndex(run.stderr, /^FC Invoke Start /));
    });

    it('with it, no POST /initialize: the invocation initializes the function before its own markers', async () => {
      const run = await cli(['invoke', PROBE, '--no-init']);
      expect(run.code, run.stderr).to.equal(0);
      const invokeStart = lineIndex(run.stderr, /^FC Invoke Start /);
      expect(lineIndex(run.stderr, /^FC Initialize Start /)).to.be.at.least(0);
      expect(lineIndex(run.stderr, /^FC Initialize End /)).to.be.lessThan(invokeStart);
      expect(lineIndex(run.stderr, /\[INFO\] probe initialized$/)).to.be.lessThan(invokeStart);
    });

    it('a failing initializer ends the command with its InitializationError (exit 1); /invoke is not sent', async () => {
      const run = await cli(['invoke', fixture('initFails')]);
      expect(run.code).to.equal(1);
      const body = JSON.parse(run.stdout) as { errorType: string; errorMessage: string };
      expect(body.errorType).to.equal('InitializationError');
      expect(body.errorMessage).to.include('the database is unreachable');
      expect(run.stderr).to.not.include('FC Invoke Start');
    });
  });

  describe('--timeout', () => {
    it('a function that hangs is answered with TimeoutError: exit 1', async () => {
      const run = await cli(['invoke', fixture('hang'), '--timeout', '0.2']);
      expect(run.code).to.equal(1);
      const body = JSON.parse(run.stdout) as { errorType: string; errorMessage: string };
      expect(body.errorType).to.equal('TimeoutError');
      expect(body.errorMessage).to.equal('Function timed out after 0.2 seconds');
      expect(run.stderr).to.include(', Error: Unhandled function error');
    });

    for (const bad of ['abc', '0', '-1', '86401', '']) {
      it(`refuses --timeout ${JSON.stringify(bad)}: exit 2`, async () => {
        const run = await cli(['invoke', PROBE, `--timeout=${bad}`]);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include('--timeout');
        expect(run.stdout).to.equal('');
      });
    }
  });

  describe('--function with a multi-function entry (a default array)', () => {
    it('invokes the function named', async () => {
      const shout = await cli(['invoke', fixture('multi'), '--function', 'shout', '-e', '-'], { stdin: 'hello' });
      expect(shout.code, shout.stderr).to.equal(0);
      expect(shout.stdout).to.equal('HELLO\n');
      const echo = await cli(['invoke', fixture('multi'), '-f', 'echo', '-e', '-'], {
        stdin: Buffer.from([0, 1, 255]),
      });
      expect(echo.code, echo.stderr).to.equal(0);
      // A binary answer is written exactly: a newline would change its bytes.
      expect([...echo.stdoutBytes]).to.deep.equal([0, 1, 255]);
    });

    it('without --function, takes FC_FUNCTION_NAME as a container would', async () => {
      const run = await cli(['invoke', fixture('multi'), '-e', '-'], {
        stdin: 'hi',
        env: { FC_FUNCTION_NAME: 'shout' },
      });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal('HI\n');
    });

    it('without either, refuses and lists the functions: exit 2', async () => {
      const run = await cli(['invoke', fixture('multi')]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include('has several functions (echo, shout): choose one with --function');
    });

    it('an unknown function: exit 2 with the known names', async () => {
      const run = await cli(['invoke', fixture('multi'), '--function', 'whisper']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include('has no function named "whisper"; its functions: echo, shout');
      expect(run.stdout).to.equal('');
    });

    it('an unknown function in a one-function entry: exit 2 too', async () => {
      const run = await cli(['invoke', ORDER_ENTRY, '--function', 'create-ordr']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include('its functions: create-order');
    });
  });

  describe('the answer on a terminal', () => {
    it('gets a newline after it, so the prompt starts on its own line', async () => {
      const run = await cli(['invoke', fixture('multi'), '-f', 'shout', '-e', '-'], { stdin: 'hi', tty: true });
      expect(run.stdout).to.equal('HI\n');
    });

    it('a binary one too, and a text one that ends in a newline gets no second', async () => {
      const binary = await cli(['invoke', fixture('multi'), '-f', 'echo', '-e', '-'], { stdin: 'bytes', tty: true });
      expect(binary.stdout).to.equal('bytes\n');
      const ended = await cli(['invoke', fixture('multi'), '-f', 'shout', '-e', '-'], { stdin: 'hi\n' });
      expect(ended.stdout).to.equal('HI\n');
    });
  });
});
