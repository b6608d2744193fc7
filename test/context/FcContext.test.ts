import { expect } from 'chai';
import { inspect } from 'node:util';
import { Ctx, FcContext, FcFunction, FcLogger, Headers, OnInvoke } from '../../src';
import type { TestKernel } from '../../src/testing';
import { HEADER_CREDENTIALS, REQUEST_ID, fcHeaders } from '../helpers/fcHeaders';
import { okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';
import { withFrozenClock } from '../helpers/frozenClock';

const ENV_CREDENTIALS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEnvironmentKeyId',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'EnvironmentSecret-0a1b2c3d',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'CAISenvironmentToken==',
};

/** A context built the way the kernel builds one, without a kernel. */
function contextOf(headers: Record<string, string>, deadline = Infinity): FcContext {
  return new FcContext({
    requestId: headers['x-fc-request-id'] ?? 'req',
    headers,
    logger: new FcLogger(
      'req',
      () => undefined,
      (t) => t,
    ),
    deadline,
    signal: new AbortController().signal,
  });
}

describe('FcContext', () => {
  const kernelOf = useTestKernels();

  /** A test kernel whose handler hands its context out. */
  function capturing(env: NodeJS.ProcessEnv = {}): { tk: TestKernel; contexts: FcContext[] } {
    const contexts: FcContext[] = [];
    @FcFunction()
    class Captures {
      @OnInvoke()
      handle(@Ctx() ctx: FcContext): void {
        contexts.push(ctx);
      }
    }
    return { tk: kernelOf([Captures], { env }), contexts };
  }

  it('has every field of the contract from the headers', async () => {
    const { tk, contexts } = capturing();
    await tk.invoke('{}', { headers: fcHeaders() });
    const ctx = contexts[0]!;
    expect(ctx.requestId).to.equal(REQUEST_ID);
    expect(ctx.region).to.equal('cn-hangzhou');
    expect(ctx.accountId).to.equal('1234567890123456');
    expect(ctx.retryCount).to.equal(2);
    expect(ctx.function).to.deep.equal({
      name: 'create-order',
      handler: 'index.handler',
      memory: 512,
      timeout: 30,
      initializer: 'index.init',
      initializationTimeout: 12,
    });
    expect(ctx.service).to.deep.equal({
      name: 'orders-svc',
      logProject: 'orders-logs',
      logStore: 'orders-store',
      qualifier: 'LATEST',
      versionId: '3',
    });
    expect(ctx.tracing).to.deep.equal({
      openTracingSpanContext: '124ed43254b54966:124ed43254b54966:0:1',
      openTracingSpanBaggages: { tenant: 'acme', shard: '7' },
      jaegerEndpoint: 'http://tracing-analysis-dc-hz.aliyuncs.com/adapt_xxx/api/traces',
    });
    expect(ctx.credentials).to.deep.equal(HEADER_CREDENTIALS);
    expect(ctx.logger).to.be.instanceOf(FcLogger);
    expect(ctx.logger.requestId).to.equal(REQUEST_ID);
    expect(ctx.signal).to.be.instanceOf(AbortSignal);
    expect(ctx.signal.aborted).to.equal(false);
  });

  it('reads header names in any case when dispatch is called directly', async () => {
    const { tk, contexts } = capturing();
    await tk.dispatch({
      method: 'POST',
      path: '/invoke',
      headers: { 'X-Fc-Request-Id': 'upper-1', 'X-FC-REGION': 'cn-shanghai' },
      body: '{}',
    });
    expect(contexts[0]!.requestId).to.equal('upper-1');
    expect(contexts[0]!.region).to.equal('cn-shanghai');
  });

  it('says how FC invoked it: an asynchronous invocation, its retry and its task', async () => {
    const { tk, contexts } = capturing();
    const asyncHeaders = { 'x-fc-invocation-type': 'Async', 'x-fc-retry-count': '1', 'x-fc-async-task-id': 'task-7' };
    await tk.invoke('{}', { headers: fcHeaders(asyncHeaders) });
    await tk.invoke('{}', { headers: fcHeaders({ 'X-Fc-Invocation-Type': 'async' }) });
    await tk.invoke('{}', { headers: fcHeaders({ 'x-fc-invocation-type': 'Sync' }) });
    const [retried, lowerCase, sync] = contexts;
    expect(retried).to.deep.include({ invocationType: 'Async', retryCount: 1, asyncTaskId: 'task-7' });
    expect(retried!.toJSON()).to.deep.include({ invocationType: 'Async', retryCount: 1, asyncTaskId: 'task-7' });
    expect(lowerCase!.invocationType).to.equal('Async');
    expect(sync).to.deep.include({ invocationType: 'Sync', asyncTaskId: '' });
  });

  it('uses defaults when FC sends nothing', async () => {
    const { tk, contexts } = capturing();
    await tk.dispatch({ method: 'POST', path: '/invoke', headers: {}, body: '{}' });
    const ctx = contexts[0]!;
    expect(ctx.requestId).to.be.a('string').with.length.greaterThan(0);
    expect(ctx.region).to.equal('');
    expect(ctx.retryCount).to.equal(0);
    expect(ctx.invocationType).to.equal('Sync');
    expect(ctx.asyncTaskId).to.equal('');
    expect(ctx.function).to.deep.include({ memory: 0, timeout: 0, initializationTimeout: 0 });
    expect(ctx.tracing.openTracingSpanBaggages).to.deep.equal({});
    expect(ctx.credentials).to.deep.equal({ accessKeyId: '', accessKeySecret: '', securityToken: '' });
    expect(ctx.deadline).to.equal(Infinity);
    expect(ctx.remainingTimeMs()).to.equal(Infinity);
  });

  it('gives each request its own generated id when FC sends none', async () => {
    const { tk, contexts } = capturing();
    const bare = { method: 'POST', path: '/invoke', headers: {}, body: '{}' };
    await Promise.all([tk.dispatch(bare), tk.dispatch(bare)]);
    expect(contexts[0]!.requestId).to.not.equal(contexts[1]!.requestId);
  });

  for (const [label, value] of [
    ['not base64 JSON', '%%%not-base64%%%'],
    ['a JSON array', Buffer.from('[1,2]').toString('base64')],
    ['JSON null', Buffer.from('null').toString('base64')],
  ]) {
    it(`reads unreadable baggages (${label}) as {}`, () => {
      const ctx = contextOf(fcHeaders({ 'x-fc-tracing-opentracing-span-baggages': value }));
      expect(ctx.tracing.openTracingSpanBaggages).to.deep.equal({});
    });
  }

  it('reads non-numeric numbers as 0', () => {
    const ctx = contextOf(fcHeaders({ 'x-fc-function-memory': 'lots', 'x-fc-retry-count': '' }));
    expect(ctx.function.memory).to.equal(0);
    expect(ctx.retryCount).to.equal(0);
  });

  it('reads the first valid value of a repeated or unit-suffixed number, as the deadline does', () => {
    const ctx = contextOf(
      fcHeaders({
        'x-fc-function-memory': '512, 512',
        'x-fc-function-timeout': '3, 3',
        'x-fc-initialization-timeout': '12s',
        'x-fc-retry-count': '1, 1',
      }),
    );
    expect(ctx.function).to.include({ memory: 512, timeout: 3, initializationTimeout: 12 });
    expect(ctx.retryCount).to.equal(1);
  });

  it('derives deadline and remainingTimeMs from x-fc-function-timeout', async () => {
    const { tk, contexts } = capturing();
    await withFrozenClock(async (instant) => {
      await tk.invoke('{}', { timeoutSeconds: 30 });
      const ctx = contexts[0]!;
      expect(ctx.deadline).to.equal(instant + 30_000);
      expect(ctx.remainingTimeMs()).to.equal(30_000);
      Date.now = () => instant + 12_345;
      // Exactly the time left to the deadline at the moment it is read.
      expect(ctx.remainingTimeMs()).to.equal(30_000 - 12_345);
      Date.now = () => instant + 40_000;
      expect(ctx.remainingTimeMs()).to.equal(0);
    });
  });

  it('shows the deadline as an ISO time in JSON, or null without one', () => {
    const deadline = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    expect(JSON.parse(JSON.stringify(contextOf({}, deadline))).deadline).to.equal('2030-01-02T03:04:05.678Z');
    expect(JSON.parse(JSON.stringify(contextOf({}))).deadline).to.equal(null);
  });

  it('never reports a negative remaining time', () => {
    const fiveSecondsAgo = Date.now() - 5000;
    expect(contextOf({}, fiveSecondsAgo).remainingTimeMs()).to.equal(0);
  });

  describe('credentials stay out of sight', () => {
    const ctx = contextOf(fcHeaders());
    const secrets = Object.values(HEADER_CREDENTIALS);

    it('are readable through ctx.credentials', () => {
      expect(ctx.credentials).to.deep.equal(HEADER_CREDENTIALS);
    });

    const views: [string, () => string][] = [
      ['JSON.stringify(ctx)', () => JSON.stringify(ctx)],
      ['util.inspect(ctx)', () => inspect(ctx, { depth: Infinity })],
      [
        'util.inspect without custom inspection',
        () => inspect(ctx, { depth: Infinity, customInspect: false, showHidden: true }),
      ],
      ['Object.keys(ctx)', () => Object.keys(ctx).join(',')],
      ['String(ctx)', () => String(ctx)],
      ['`${ctx}` in a template', () => `${ctx as unknown as string}`],
      ['a spread copy', () => JSON.stringify({ ...ctx })],
      ['console-style formatting', () => inspect({ wrapped: { ctx } }, { depth: Infinity })],
    ];
    for (const [label, view] of views) {
      it(`are absent from ${label}`, () => {
        const text = view();
        for (const secret of secrets) expect(text).to.not.include(secret);
      });
    }

    it('show as [redacted] in JSON, with the public fields', () => {
      const json = JSON.parse(JSON.stringify(ctx)) as Record<string, unknown>;
      expect(json.credentials).to.equal('[redacted]');
      expect(json.requestId).to.equal(REQUEST_ID);
      expect(json.region).to.equal('cn-hangzhou');
      expect(Object.keys(ctx)).to.not.include('credentials');
      expect(inspect(ctx)).to.match(/^FcContext /);
    });
  });

  describe('credentials from the environment', () => {
    it('are used when the request carries none', async () => {
      const { tk, contexts } = capturing(ENV_CREDENTIALS);
      await tk.invoke('{}', { requestId: 'env-1' });
      expect(contexts[0]!.credentials).to.deep.equal({
        accessKeyId: ENV_CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_ID,
        accessKeySecret: ENV_CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
        securityToken: ENV_CREDENTIALS.ALIBABA_CLOUD_SECURITY_TOKEN,
      });
      expect(JSON.stringify(contexts[0])).to.not.include(ENV_CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
    });

    it('give way to the fresher ones in the headers', async () => {
      const { tk, contexts } = capturing(ENV_CREDENTIALS);
      await tk.invoke('{}', { headers: fcHeaders() });
      expect(contexts[0]!.credentials).to.deep.equal(HEADER_CREDENTIALS);
    });

    it("are FC 2.0 tooling's FC_ACCESS_KEY_ID, FC_ACCESS_KEY_SECRET, FC_SECURITY_TOKEN without ALIBABA_CLOUD_*", async () => {
      const fcEnv = {
        FC_ACCESS_KEY_ID: 'LTAI5tFcToolingKeyId',
        FC_ACCESS_KEY_SECRET: 'FcToolingSecret-77aa',
        FC_SECURITY_TOKEN: 'CAISfcToolingToken==',
      };
      const { tk, contexts } = capturing(fcEnv);
      await tk.invoke('{}', { requestId: 'env-fc' });
      expect(contexts[0]!.credentials).to.deep.equal({
        accessKeyId: fcEnv.FC_ACCESS_KEY_ID,
        accessKeySecret: fcEnv.FC_ACCESS_KEY_SECRET,
        securityToken: fcEnv.FC_SECURITY_TOKEN,
      });
      const both = capturing({ ...fcEnv, ...ENV_CREDENTIALS });
      await both.tk.invoke('{}', { requestId: 'env-both' });
      expect(both.contexts[0]!.credentials.accessKeyId).to.equal(ENV_CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_ID);
    });

    it('are not taken from process.env when env is given', async () => {
      const { tk, contexts } = capturing({});
      await tk.invoke('{}');
      expect(contexts[0]!.credentials.accessKeyId).to.equal('');
    });
  });

  describe('@Headers()', () => {
    it('hands over every header but the credentials', async () => {
      @FcFunction()
      class ReadsHeaders {
        @OnInvoke()
        handle(@Headers() headers: Record<string, string>, @Headers('x-fc-region') region: string): object {
          return { headers, region };
        }
      }
      const tk = kernelOf([ReadsHeaders]);
      const sent = { ...fcHeaders(), 'x-custom': 'kept' };
      // Sent as given: the test kernel's own headers (content type) would be handed over too.
      const answer = okBody(
        await tk.dispatch<{ headers: Record<string, string>; region: string }>({
          method: 'POST',
          path: '/invoke',
          headers: sent,
          body: '{}',
        }),
      );
      const expected: Record<string, string> = { ...sent };
      delete expected['x-fc-access-key-id'];
      delete expected['x-fc-access-key-secret'];
      delete expected['x-fc-security-token'];
      expect(answer.headers).to.deep.equal(expected);
      expect(answer.region).to.equal('cn-hangzhou');
    });

    it('gives undefined for a header that was not sent', async () => {
      @FcFunction()
      class ReadsMissing {
        @OnInvoke()
        handle(@Headers('x-fc-qualifier') qualifier: string | undefined): object {
          return { missing: qualifier === undefined };
        }
      }
      const tk = kernelOf([ReadsMissing]);
      expect(okBody(await tk.invoke('{}'))).to.deep.equal({ missing: true });
    });
  });
});
