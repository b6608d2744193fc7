import { expect } from 'chai';
import { ConfigurationError, createKernel, Ctx, FcContext, FcFunction, OnInvoke } from '../../src';
import { MAX_LOG_LINE_BYTES } from '../../src/logging/FcLogger';
import { JsonLogger } from '../../src/logging/JsonLogger';
import { createRedactor } from '../../src/logging/redaction';
import { fcHeaders, HEADER_CREDENTIALS, REQUEST_ID } from '../helpers/fcHeaders';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

@FcFunction({ name: 'chatty' })
class Chatty {
  @OnInvoke()
  handle(@Ctx() ctx: FcContext): string {
    ctx.logger.debug('details');
    ctx.logger.info('charged', { orderId: 'A-1', total: 3.5 });
    ctx.logger.warn(`token ${HEADER_CREDENTIALS.securityToken}\nsecond line`);
    console.error('from console');
    return 'ok';
  }
}

function run(options: { logFormat?: 'json' | 'text'; logLevel?: 'debug' | 'info' | 'warn' | 'error' }, env = {}) {
  const lines: string[] = [];
  const kernel = createKernel({ functions: [Chatty], logSink: (line) => lines.push(line), env, ...options });
  const headers = fcHeaders({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` });
  return kernel.dispatch({ method: 'POST', path: '/invoke', headers }).then(() => lines);
}

describe('JSON log lines (logFormat: json)', () => {
  it('writes one JSON object per line, starting with its time, with the request and trace ids and fields', async () => {
    const lines = await run({ logFormat: 'json' });
    // FC's marker lines stay exactly as FC needs them.
    expect(lines[0]).to.equal(`FC Invoke Start RequestId: ${REQUEST_ID}`);
    expect(lines[lines.length - 1]).to.equal(`FC Invoke End RequestId: ${REQUEST_ID}`);
    const logged = lines.slice(1, -1);
    expect(logged).to.have.length(4);
    for (const line of logged) expect(line).to.match(/^\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"/);
    const parsed = logged.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((line) => [line.level, line.message])).to.deep.equal([
      ['DEBUG', 'details'],
      ['INFO', 'charged'],
      ['WARN', 'token [redacted]\nsecond line'],
      ['ERROR', 'from console'],
    ]);
    expect(parsed[1]).to.deep.include({
      requestId: REQUEST_ID,
      traceId: TRACE_ID,
      spanId: '00f067aa0ba902b7',
      fields: { orderId: 'A-1', total: 3.5 },
    });
    expect(lines.join('\n')).to.not.include(HEADER_CREDENTIALS.securityToken);
  });

  it('is switched on by FC_KERNEL_LOG_FORMAT, and filtered by FC_KERNEL_LOG_LEVEL', async () => {
    const lines = await run({}, { FC_KERNEL_LOG_FORMAT: 'json', FC_KERNEL_LOG_LEVEL: 'warn' });
    const levels = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { level: string }).level);
    expect(levels).to.deep.equal(['WARN', 'ERROR']);
  });

  it('filters the text format too, and keeps it as it was by default', async () => {
    const filtered = await run({ logLevel: 'info' });
    expect(filtered.filter((line) => line.includes('[DEBUG]'))).to.deep.equal([]);
    const all = await run({});
    expect(all.filter((line) => / \[(DEBUG|INFO|WARN|ERROR)\] /.test(line))).to.have.length(4);
    expect(all[2]).to.match(new RegExp(`^\\S+Z ${REQUEST_ID} \\[INFO\\] charged \\{ orderId: 'A-1', total: 3.5 \\}$`));
  });

  it('refuses an unknown format or level at boot', () => {
    expect(() => createKernel({ functions: [Chatty], env: { FC_KERNEL_LOG_FORMAT: 'xml' } }))
      .to.throw(ConfigurationError, "FC_KERNEL_LOG_FORMAT must be one of 'text', 'json'")
      .with.property('code', 'INVALID_LOG_OPTION');
    expect(() => createKernel({ functions: [Chatty], logLevel: 'verbose' as 'debug' }))
      .to.throw(ConfigurationError, 'logLevel must be one of')
      .with.property('code', 'INVALID_LOG_OPTION');
  });

  it('cuts a line past the limit to a valid JSON object of at most the limit, redacted before the cut', () => {
    const lines: string[] = [];
    const secret = 'SecretValue-123456';
    const logger = new JsonLogger('req-big', (line) => lines.push(line), createRedactor([secret]));
    for (const filler of ['x', '"', '\u0001', '界']) {
      logger.info(`${secret} ${filler.repeat(MAX_LOG_LINE_BYTES)} ${secret}`, { kept: false });
    }
    for (const line of lines) {
      expect(Buffer.byteLength(line)).to.be.at.most(MAX_LOG_LINE_BYTES);
      const parsed = JSON.parse(line) as { message: string; fields?: unknown };
      expect(parsed.message)
        .to.match(/^\[redacted\] /)
        .and.match(/bytes cut/);
      expect(parsed.fields).to.equal(undefined);
      expect(line).to.not.include(secret);
    }
  });

  it('keeps an object it cannot serialise in the message', () => {
    const lines: string[] = [];
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    new JsonLogger(
      'req-cycle',
      (line) => lines.push(line),
      (text) => text,
    ).info('state', cyclic);
    const parsed = JSON.parse(lines[0]) as { message: string; fields?: unknown };
    expect(parsed.fields).to.equal(undefined);
    expect(parsed.message).to.include('<ref *1>').and.include("name: 'loop'");
  });
});
