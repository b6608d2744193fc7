import { expect } from 'chai';
import { inspect } from 'node:util';
import { FcContext } from '../../src';
import { createTestContext } from '../../src/testing';
import { withFrozenClock } from '../helpers/frozenClock';

/** A service under test, used without a kernel. */
class Greeter {
  greet(name: string, ctx: FcContext): string {
    ctx.logger.info(`greeting ${name}\nin ${ctx.region}`);
    ctx.logger.warn('key', ctx.credentials.accessKeySecret);
    return `hello ${name} from ${ctx.function.name}`;
  }
}

describe('fc-kernel/testing: createTestContext', () => {
  it("is an FcContext whose logger's lines are kept, formatted as FC's runtime does and redacted", () => {
    const ctx = createTestContext({
      requestId: 'unit-1',
      headers: {
        'X-Fc-Region': 'cn-shanghai',
        'x-fc-function-name': 'greeter',
        'x-fc-access-key-id': 'STS.unit-key',
        'x-fc-access-key-secret': 'unit-secret-value',
      },
    });
    expect(ctx).to.be.instanceOf(FcContext);
    expect(new Greeter().greet('ada', ctx)).to.equal('hello ada from greeter');
    expect(ctx.logs).to.have.length(2);
    expect(ctx.logs[0]).to.match(/^\d{4}-\d\d-\d\dT\S+Z unit-1 \[INFO\] greeting ada\rin cn-shanghai$/);
    expect(ctx.logs[1]).to.match(/ unit-1 \[WARN\] key \[redacted\]$/);
    expect(ctx.credentials).to.deep.equal({
      accessKeyId: 'STS.unit-key',
      accessKeySecret: 'unit-secret-value',
      securityToken: '',
    });
    expect(inspect(ctx)).to.not.include('unit-secret-value');
  });

  it('has FC-style defaults: a new request id, no deadline, a signal that never aborts', () => {
    const ctx = createTestContext();
    expect(ctx.requestId).to.match(/^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$/);
    expect(createTestContext().requestId).to.not.equal(ctx.requestId);
    expect(ctx.deadline).to.equal(Infinity);
    expect(ctx.remainingTimeMs()).to.equal(Infinity);
    expect(ctx.signal.aborted).to.equal(false);
    expect(ctx.region).to.equal('');
    expect(ctx.logs).to.deep.equal([]);
  });

  it('takes the request id from the headers when not given', () => {
    expect(createTestContext({ headers: { 'x-fc-request-id': 'from-header' } }).requestId).to.equal('from-header');
  });

  it('timeoutSeconds sets the deadline, and the signal aborts with a TimeoutError when it passes', async () => {
    const { ctx, instant } = await withFrozenClock((now) => ({
      ctx: createTestContext({ timeoutSeconds: 0.03 }),
      instant: now,
    }));
    expect(ctx.function.timeout).to.equal(0.03);
    expect(ctx.deadline).to.equal(instant + 30);
    const reason = await new Promise<unknown>((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason)),
    );
    expect(reason).to.have.property('errorType', 'TimeoutError');
    expect(reason).to.have.property('message', 'Function timed out after 0.03 seconds');
  });

  it('follows a given signal, with or without a timeout', () => {
    for (const timeoutSeconds of [undefined, 60]) {
      const caller = new AbortController();
      const ctx = createTestContext({ signal: caller.signal, timeoutSeconds });
      expect(ctx.signal.aborted).to.equal(false);
      caller.abort(new Error('gone'));
      expect(ctx.signal.aborted).to.equal(true);
      expect(String(ctx.signal.reason)).to.equal('Error: gone');
    }
  });

  it('also hands every line to logSink', () => {
    const seen: string[] = [];
    const ctx = createTestContext({ logSink: (line) => seen.push(line) });
    ctx.logger.error('bad');
    expect(seen).to.deep.equal(ctx.logs);
    expect(seen[0]).to.match(/ \[ERROR\] bad$/);
  });
});
