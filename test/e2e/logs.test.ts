import { expect } from 'chai';
import { IsInt, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { Ctx, Event, FcFunction, OnInitialize, OnInvoke, type FcContext } from '../../src';
import { closeServers, expectFcError, expectOk, invoke, lifecycle, startServer, type HttpAnswer } from './helpers';

class Order {
  @IsInt()
  @Min(1)
  quantity!: number;
}

const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\S+) \[(DEBUG|INFO|WARN|ERROR)\] (.*)$/s;

const MARKER = /^FC \w+ (?:Start|End) RequestId: ([^,\s]+)(?:, Error: .*)?$/;

function declareFunctions(seen: { credentials: string[] }) {
  @FcFunction({ name: 'orders' })
  class Orders {
    @OnInitialize()
    init(@Ctx() ctx: FcContext) {
      ctx.logger.info('warming up');
    }

    @OnInvoke()
    handle(@Event() order: Order, @Ctx() ctx: FcContext) {
      ctx.logger.info(`handling ${order.quantity} unit(s)`);
      if (order.quantity === 13) throw new Error('unlucky quantity');
      return 'ok';
    }
  }

  @FcFunction({ name: 'leaky' })
  class Leaky {
    @OnInvoke()
    handle(@Event() _event: object, @Ctx() ctx: FcContext) {
      const { accessKeyId, accessKeySecret, securityToken } = ctx.credentials;
      seen.credentials.push(accessKeyId, accessKeySecret, securityToken);
      ctx.logger.info(ctx.credentials);
      ctx.logger.info('%o', ctx.credentials);
      ctx.logger.info(JSON.stringify(ctx));
      ctx.logger.info(inspect(ctx, { showHidden: true, depth: 10 }));
      ctx.logger.info(ctx);
      ctx.logger.warn('signing with', accessKeyId, accessKeySecret, securityToken);
      throw new Error(`request signature rejected for ${accessKeyId}:${accessKeySecret} (token ${securityToken})`);
    }
  }
  return [Orders, Leaky];
}

describe('e2e: log lines', () => {
  afterEach(closeServers);

  async function serveWithLog(env?: NodeJS.ProcessEnv) {
    const lines: string[] = [];
    const seen = { credentials: [] as string[] };
    const server = await startServer({ functions: declareFunctions(seen), logSink: (l) => lines.push(l), env });
    return { port: server.port, lines, seen };
  }

  /** The lines written for one request id, markers included. */
  const linesOf = (lines: string[], requestId: string) =>
    lines.filter((l) => MARKER.exec(l)?.[1] === requestId || LOG_LINE.exec(l)?.[1] === requestId);

  it("surrounds the handler's lines with FC's marker lines", async () => {
    const { port, lines } = await serveWithLog();
    expectOk(await lifecycle(port, '/initialize', { 'x-fc-request-id': 'i-1', 'x-fc-function-name': 'orders' }));
    expectOk(await invoke(port, { quantity: 2 }, { 'x-fc-request-id': 'r-1', 'x-fc-function-name': 'orders' }));

    expect(lines[0]).to.equal('FC Initialize Start RequestId: i-1');
    expect(lines[1]).to.match(/ i-1 \[INFO\] warming up$/);
    expect(lines[2]).to.equal('FC Initialize End RequestId: i-1');
    expect(lines.slice(3)).to.have.length(3);
    expect(lines[3]).to.equal('FC Invoke Start RequestId: r-1');
    expect(lines[4]).to.match(LOG_LINE);
    expect(LOG_LINE.exec(lines[4]!)!.slice(1)).to.deep.equal(['r-1', 'INFO', 'handling 2 unit(s)']);
    expect(lines[5]).to.equal('FC Invoke End RequestId: r-1');
  });

  it('ends an invocation whose handler throws with "Unhandled function error"', async () => {
    const { port, lines } = await serveWithLog();
    expectFcError(
      await invoke(port, { quantity: 13 }, { 'x-fc-request-id': 'r-2', 'x-fc-function-name': 'orders' }),
      'Error',
    );
    const own = linesOf(lines, 'r-2');
    // The first /invoke initialized the function: the Initialize markers came first.
    expect(own.filter((l) => l.startsWith('FC '))[2]).to.equal('FC Invoke Start RequestId: r-2');
    expect(own.at(-1)).to.equal('FC Invoke End RequestId: r-2, Error: Unhandled function error');
    // Its stack follows on the same line, `\r` for each line break, where a trigger's failure is read.
    const failure = own.map((l) => LOG_LINE.exec(l)?.slice(2).join(' ')).find((l) => l?.startsWith('ERROR '));
    expect(failure).to.match(/^ERROR Error: unlucky quantity\r {4}at Orders\.handle \(.*logs\.test\.js:\d+:\d+\)\r/);
    expect(failure).to.not.include('\n');
  });

  it('ends an invocation that fails validation with "Handled function error"', async () => {
    const { port, lines } = await serveWithLog();
    expectFcError(
      await invoke(port, { quantity: 0 }, { 'x-fc-request-id': 'r-3', 'x-fc-function-name': 'orders' }),
      'ValidationError',
    );
    const own = linesOf(lines, 'r-3');
    // The first /invoke initialized the function: the Initialize markers came first.
    expect(own.filter((l) => l.startsWith('FC '))[2]).to.equal('FC Invoke Start RequestId: r-3');
    expect(own.at(-1)).to.equal('FC Invoke End RequestId: r-3, Error: Handled function error');
  });

  it('keeps every credential out of log lines and response bodies', async () => {
    const planted = {
      keyId: `PLANTED-KEY-ID-${randomUUID()}`,
      secret: `PLANTED-SECRET-${randomUUID()}`,
      token: `PLANTED-TOKEN-${randomUUID()}`,
      envKeyId: `PLANTED-ENV-KEY-ID-${randomUUID()}`,
      envSecret: `PLANTED-ENV-SECRET-${randomUUID()}`,
      envToken: `PLANTED-ENV-TOKEN-${randomUUID()}`,
    };
    const { port, lines, seen } = await serveWithLog({
      ALIBABA_CLOUD_ACCESS_KEY_ID: planted.envKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: planted.envSecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: planted.envToken,
    });

    const answers: HttpAnswer[] = [
      // Credentials from FC's headers...
      await invoke(
        port,
        {},
        {
          'x-fc-request-id': 'r-secret-1',
          'x-fc-function-name': 'leaky',
          'x-fc-access-key-id': planted.keyId,
          'x-fc-access-key-secret': planted.secret,
          'x-fc-security-token': planted.token,
        },
      ),
      // ...and, when a request carries none, from the environment.
      await invoke(port, {}, { 'x-fc-request-id': 'r-secret-2', 'x-fc-function-name': 'leaky' }),
    ];

    // The handler did receive every credential, so the test below checks something real.
    expect(seen.credentials).to.deep.equal([
      planted.keyId,
      planted.secret,
      planted.token,
      planted.envKeyId,
      planted.envSecret,
      planted.envToken,
    ]);
    for (const answer of answers) {
      const body = expectFcError(answer, 'Error');
      expect(body.errorMessage).to.match(/^request signature rejected for \[redacted\]:\[redacted\]/);
    }
    expect(linesOf(lines, 'r-secret-1')).to.have.length(9);
    const everything = [...lines, ...answers.map((a) => a.text)].join('\n');
    for (const value of Object.values(planted)) {
      expect(everything).not.to.include(value);
    }
  });
});
