import { expect } from 'chai';
import { inspect } from 'node:util';
import { Ctx, FcContext, FcFunction, FcLogger, OnInvoke, OnPreStop, type LogLevel } from '../../src';
import { MAX_LOG_LINE_BYTES } from '../../src/logging/FcLogger';
import { environmentSecrets } from '../../src/context/credentials';
import { createRedactor, prepareSecrets, REDACTED } from '../../src/logging/redaction';
import { HEADER_CREDENTIALS, fcHeaders } from '../helpers/fcHeaders';
import { linesOf } from '../helpers/logLines';
import { useTestKernels } from '../helpers/testKernels';

/** FC's official Node.js runtime line format, for one request id. */
function lineFormat(requestId: string): RegExp {
  const id = requestId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${id} \\[(DEBUG|INFO|WARN|ERROR)\\] `);
}

/** A sink that keeps the lines a logger writes. */
function recorder(): { lines: string[]; sink: (line: string) => void } {
  const lines: string[] = [];
  return { lines, sink: (line) => void lines.push(line) };
}

describe('FcLogger', () => {
  describe('on its own', () => {
    it('writes one line per call in FC format, at each level', () => {
      const logs = recorder();
      const logger = new FcLogger('req-1', logs.sink, (t) => t);
      logger.debug('d');
      logger.info('i');
      logger.log('l');
      logger.warn('w');
      logger.error('e');
      expect(logs.lines).to.have.length(5);
      for (const line of logs.lines) expect(line).to.match(lineFormat('req-1'));
      const levels = logs.lines.map((line) => /\[(\w+)\] (.*)$/.exec(line)!.slice(1).join(' '));
      expect(levels).to.deep.equal(['DEBUG d', 'INFO i', 'INFO l', 'WARN w', 'ERROR e']);
    });

    it('stamps each line with the time it was written, to the millisecond', () => {
      const logs = recorder();
      const logger = new FcLogger('req-time', logs.sink, (t) => t);
      const now = Date.now;
      const clock = [
        Date.UTC(2026, 0, 1, 12, 0, 0, 1),
        Date.UTC(2026, 0, 1, 12, 0, 0, 1),
        Date.UTC(2026, 0, 1, 12, 0, 0, 2),
      ];
      try {
        for (const ms of clock) {
          Date.now = () => ms;
          logger.info('tick');
        }
      } finally {
        Date.now = now;
      }
      expect(logs.lines.map((line) => line.split(' ')[0])).to.deep.equal([
        '2026-01-01T12:00:00.001Z',
        '2026-01-01T12:00:00.001Z',
        '2026-01-01T12:00:00.002Z',
      ]);
    });

    it('formats its arguments like console.log', () => {
      const logs = recorder();
      new FcLogger('req-2', logs.sink, (t) => t).info('%s has %d items', 'cart', 3, { total: 9.5 });
      expect(logs.lines[0]).to.match(/\[INFO\] cart has 3 items \{ total: 9\.5 \}$/);
    });

    it('turns every line break inside a message into \\r', () => {
      const logs = recorder();
      const logger = new FcLogger('req-3', logs.sink, (t) => t);
      logger.info('first\nsecond\r\nthird\n');
      logger.error(new Error('boom'));
      expect(logs.lines).to.have.length(2);
      expect(logs.lines[0]).to.match(/\[INFO\] first\rsecond\rthird\r$/);
      for (const line of logs.lines) expect(line).to.not.include('\n');
      // An Error's stack spans lines: it stays one log line.
      expect(logs.lines[1]).to.match(/\[ERROR\] Error: boom\r {4}at /);
    });

    it('cuts a line to MAX_LOG_LINE_BYTES, after redacting it whole', () => {
      const logs = recorder();
      const secret = 'Cut-Here-Secret-0123456789';
      const logger = new FcLogger('req-cap', logs.sink, createRedactor([secret]));
      // Secrets just where the start and the end of the line would be cut: after the 40 bytes of
      // time, id and level, the start keeps 49,125 bytes and the end 16,375.
      const near = (n: number) => 'a'.repeat(n);
      logger.info(`${near(49_080)}${secret}${near(1_000)}${secret}${near(16_360)}`);
      logger.raw(`FC Invoke Start RequestId: ${'r'.repeat(100_000)}`);
      for (const line of logs.lines) expect(Buffer.byteLength(line)).to.be.at.most(MAX_LOG_LINE_BYTES);
      expect(logs.lines[0]).to.match(/…\(\d+ bytes cut\)…/);
      for (const fragment of [secret.slice(0, 6), secret.slice(-6)])
        expect(logs.lines.join('')).to.not.contain(fragment);
    });

    it('keeps a secret whole for redaction where util.inspect would have cut it', () => {
      const logs = recorder();
      const secret = 'Inspect-Cut-Secret-0123456789';
      new FcLogger('req-long', logs.sink, createRedactor([secret])).info({ blob: 'x'.repeat(9_990) + secret });
      expect(logs.lines[0]).to.contain(REDACTED).and.not.contain(secret.slice(0, 6));
    });

    it('logs values whose inspection throws instead of throwing', () => {
      const logs = recorder();
      const hostile = {
        [inspect.custom]() {
          throw new Error('no');
        },
      };
      expect(() => new FcLogger('req-h', logs.sink, (t) => t).error('failed:', hostile)).to.not.throw();
      expect(logs.lines[0]).to.match(/\[ERROR\] failed: \[unprintable object/);
    });

    it('writes raw lines verbatim, after redaction', () => {
      const logs = recorder();
      new FcLogger('r', logs.sink, createRedactor(['top-secret'])).raw('FC Invoke Start RequestId: top-secret');
      expect(logs.lines).to.deep.equal(['FC Invoke Start RequestId: [redacted]']);
    });
  });

  describe('redaction', () => {
    it('replaces every occurrence of every secret, longest first', () => {
      const redact = createRedactor(['abcd', 'abcdefgh', '']);
      expect(redact('x abcdefgh y abcd z abcdabcd')).to.equal(`x ${REDACTED} y ${REDACTED} z ${REDACTED}${REDACTED}`);
    });

    it('ignores values too short to tell apart from ordinary text', () => {
      const redact = createRedactor(['abc', '']);
      expect(redact('abc and more')).to.equal('abc and more');
    });

    it('merges prepared secrets with the given ones, longest first across both', () => {
      const prepared = prepareSecrets(['abcdef', 'abc', 'abcdef', 'zzzzzzzzzz']);
      expect([...prepared]).to.deep.equal(['zzzzzzzzzz', 'abcdef']);
      const redact = createRedactor(['abcd', 'abcdefgh', 'abcdef', ''], prepared);
      expect(redact('abcdefgh abcdef abcd zzzzzzzzzz')).to.equal(`${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED}`);
      // A prepared secret containing a given one is still replaced whole.
      expect(createRedactor(['zzzz'], prepared)('zzzzzzzzzz')).to.equal(REDACTED);
    });

    it('redacts the prepared secrets alone when no other is given, and nothing when none', () => {
      expect(createRedactor(['', 'ab'], prepareSecrets(['secret-value']))('a secret-value')).to.equal(`a ${REDACTED}`);
      expect(createRedactor([], prepareSecrets([]))('a secret-value')).to.equal('a secret-value');
    });

    it("takes ALIBABA_CLOUD_* and FC 2.0 tooling's FC_* credentials from the environment and nothing else", () => {
      expect(
        environmentSecrets({
          ALIBABA_CLOUD_ACCESS_KEY_ID: 'id-value',
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret-value',
          ALIBABA_CLOUD_SECURITY_TOKEN: 'token-value',
          ALIBABA_CLOUD_REGION: 'cn-hangzhou',
          FC_ACCESS_KEY_ID: 'fc-id-value',
          FC_ACCESS_KEY_SECRET: 'fc-secret-value',
          FC_SECURITY_TOKEN: 'fc-token-value',
          FC_FUNCTION_NAME: 'fn',
          FC_SERVER_PORT: '9000',
          MY_SECRET: 'unrelated',
          ALIBABA_CLOUD_EMPTY_TOKEN: '',
        }).sort(),
      ).to.deep.equal(['fc-id-value', 'fc-secret-value', 'fc-token-value', 'id-value', 'secret-value', 'token-value']);
    });
  });

  describe('as ctx.logger', () => {
    const kernelOf = useTestKernels();
    const envSecret = 'EnvironmentSecret-0a1b2c3d';

    function loggingKernel(messages: (ctx: FcContext) => void) {
      @FcFunction()
      class Logs {
        @OnInvoke()
        handle(@Ctx() ctx: FcContext): void {
          messages(ctx);
        }
      }
      return kernelOf([Logs], {
        env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEnvironmentKeyId', ALIBABA_CLOUD_ACCESS_KEY_SECRET: envSecret },
      });
    }

    it('writes lines in FC format with the request id', async () => {
      const tk = loggingKernel((ctx) => {
        for (const level of ['DEBUG', 'INFO', 'WARN', 'ERROR'] as LogLevel[]) ctx.logger.write(level, [`at ${level}`]);
      });
      await tk.invoke('{}', { requestId: 'req-fmt' });
      const lines = linesOf(tk.logs, 'req-fmt');
      expect(lines).to.have.length(4);
      for (const line of lines) expect(line).to.match(lineFormat('req-fmt'));
    });

    it('keeps a multi-line message on one line', async () => {
      const tk = loggingKernel((ctx) => ctx.logger.info('line one\nline two'));
      await tk.invoke('{}', { requestId: 'req-nl' });
      expect(linesOf(tk.logs, 'req-nl')).to.have.length(1);
      expect(linesOf(tk.logs, 'req-nl')[0]).to.match(/\[INFO\] line one\rline two$/);
    });

    it('replaces header credentials and environment credentials', async () => {
      const tk = loggingKernel((ctx) => {
        ctx.logger.info('creds', ctx.credentials);
        ctx.logger.warn(`env secret ${envSecret} and token ${HEADER_CREDENTIALS.securityToken}`);
      });
      await tk.invoke('{}', { headers: fcHeaders({ 'x-fc-request-id': 'req-sec' }) });
      const text = tk.logs.join('\n');
      for (const secret of [...Object.values(HEADER_CREDENTIALS), envSecret]) expect(text).to.not.include(secret);
      expect(linesOf(tk.logs, 'req-sec')[1]).to.match(/\[WARN\] env secret \[redacted\] and token \[redacted\]$/);
    });

    it('redacts environment credentials outside any request: pre-stop and unhandled rejections', async () => {
      @FcFunction()
      class Stops {
        @OnInvoke()
        handle(): void {}
        @OnPreStop()
        stop(@Ctx() ctx: FcContext): void {
          ctx.logger.info(`closing with ${envSecret}`);
        }
      }
      const tk = kernelOf([Stops], { env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: envSecret } });
      await tk.invoke('{}');
      await tk.kernel.preStop({ requestId: 'stop-1' });
      tk.kernel.logUnhandledRejection(new Error(`lost ${envSecret}`));
      expect(linesOf(tk.logs, 'stop-1')).to.have.length(1);
      expect(linesOf(tk.logs, 'stop-1')[0]).to.match(/\[INFO\] closing with \[redacted\]$/);
      expect(linesOf(tk.logs, '-')[0]).to.match(/\[ERROR\] Unhandled promise rejection: Error: lost \[redacted\]/);
      expect(tk.logs.join('\n')).to.not.include(envSecret);
    });

    for (const how of ['on /pre-stop', 'at shutdown']) {
      it(`redacts the credentials of earlier requests in pre-stop ${how}, and outside any request`, async () => {
        const rotated = {
          'x-fc-access-key-id': 'STS.RotatedKeyId0002',
          'x-fc-access-key-secret': 'RotatedSecret-1a2b3c4d5e',
          'x-fc-security-token': 'CAISrotatedSecurityToken+/abc==',
        };
        const kept: FcContext['credentials'][] = [];
        @FcFunction()
        class Remembers {
          @OnInvoke()
          handle(@Ctx() ctx: FcContext): void {
            kept.push({ ...ctx.credentials });
          }
          @OnPreStop()
          stop(@Ctx() ctx: FcContext): void {
            ctx.logger.info('flushing', kept);
            throw new Error(`flush failed for ${kept.map((c) => c.accessKeySecret).join(', ')}`);
          }
        }
        const tk = kernelOf([Remembers]);
        await tk.invoke('{}', { headers: fcHeaders() });
        await tk.invoke('{}', { headers: fcHeaders(rotated) });
        const answers: string[] = [];
        if (how === 'on /pre-stop') {
          const answer = await tk.preStop({ requestId: 'ps' });
          answers.push(answer.raw.toString('utf8'));
        } else {
          await tk.kernel.preStop({ requestId: 'ps' });
        }
        tk.kernel.logUnhandledRejection(new Error(`lost ${HEADER_CREDENTIALS.securityToken}`));
        expect(linesOf(tk.logs, 'ps')[0]).to.match(/\[INFO\] flushing \[[\s\S]*\[redacted\]/);
        expect(linesOf(tk.logs, 'ps')[1]).to.match(
          /\[ERROR\] Error: flush failed for \[redacted\], \[redacted\]\r {4}at /,
        );
        expect(linesOf(tk.logs, '-')[0]).to.match(/Unhandled promise rejection: Error: lost \[redacted\]/);
        const everything = [...answers, ...tk.logs].join('\n');
        for (const secret of [...Object.values(HEADER_CREDENTIALS), ...Object.values(rotated)]) {
          expect(everything).to.not.include(secret);
        }
      });
    }

    it('also redacts the error line the kernel writes for a failure', async () => {
      const tk = loggingKernel(() => {
        throw new Error(`denied for ${HEADER_CREDENTIALS.accessKeySecret}`);
      });
      await tk.invoke('{}', { headers: fcHeaders({ 'x-fc-request-id': 'req-err' }) });
      const errorLines = linesOf(tk.logs, 'req-err');
      expect(errorLines).to.have.length(1);
      expect(errorLines[0])
        .to.match(lineFormat('req-err'))
        .and.match(/\[ERROR\] Error: denied for \[redacted\]\r {4}at /);
    });
  });
});
