import { expect } from 'chai';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { FcContext, FcLogger, type FcCredentials, type RequestHeaders } from '../../src';
import { headerNumber, headerSeconds, headerValue } from '../../src/context/headers';

const STRING_HEADERS = [
  'x-fc-region',
  'x-fc-account-id',
  'x-fc-function-name',
  'x-fc-function-handler',
  'x-fc-function-initializer',
  'x-fc-service-name',
  'x-fc-service-logproject',
  'x-fc-service-logstore',
  'x-fc-qualifier',
  'x-fc-version-id',
  'x-fc-tracing-opentracing-span-context',
  'x-fc-tracing-jaeger-endpoint',
  'x-fc-access-key-id',
  'x-fc-access-key-secret',
  'x-fc-security-token',
  'x-fc-async-task-id',
];
const INVOCATION_TYPE = 'x-fc-invocation-type';
const NUMERIC_HEADERS = [
  'x-fc-retry-count',
  'x-fc-function-memory',
  'x-fc-function-timeout',
  'x-fc-initialization-timeout',
];
const BAGGAGES = 'x-fc-tracing-opentracing-span-baggages';

/** The fields every context has, in the order a random test reads them. */
const FIELDS = [
  'region',
  'accountId',
  'retryCount',
  'invocationType',
  'asyncTaskId',
  'function',
  'service',
  'tracing',
  'credentials',
] as const;

/**
 * What the context held when it parsed every header in its constructor: the specification the
 * fields read on demand must keep to.
 */
function eagerFields(h: RequestHeaders, fallback: FcCredentials | undefined): Record<string, unknown> {
  let baggages: Record<string, string> = {};
  const encoded = headerValue(h, BAGGAGES);
  if (encoded) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        baggages = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
      }
    } catch {
      baggages = {};
    }
  }
  const fromHeaders = {
    accessKeyId: headerValue(h, 'x-fc-access-key-id'),
    accessKeySecret: headerValue(h, 'x-fc-access-key-secret'),
    securityToken: headerValue(h, 'x-fc-security-token'),
  };
  return {
    region: headerValue(h, 'x-fc-region'),
    accountId: headerValue(h, 'x-fc-account-id'),
    retryCount: headerNumber(h, 'x-fc-retry-count') ?? 0,
    invocationType: /^\s*async\s*$/i.test(headerValue(h, INVOCATION_TYPE)) ? 'Async' : 'Sync',
    asyncTaskId: headerValue(h, 'x-fc-async-task-id'),
    function: {
      name: headerValue(h, 'x-fc-function-name'),
      handler: headerValue(h, 'x-fc-function-handler'),
      memory: headerNumber(h, 'x-fc-function-memory') ?? 0,
      timeout: headerSeconds(h, 'x-fc-function-timeout') ?? 0,
      initializer: headerValue(h, 'x-fc-function-initializer'),
      initializationTimeout: headerSeconds(h, 'x-fc-initialization-timeout') ?? 0,
    },
    service: {
      name: headerValue(h, 'x-fc-service-name'),
      logProject: headerValue(h, 'x-fc-service-logproject'),
      logStore: headerValue(h, 'x-fc-service-logstore'),
      qualifier: headerValue(h, 'x-fc-qualifier'),
      versionId: headerValue(h, 'x-fc-version-id'),
    },
    tracing: {
      openTracingSpanContext: headerValue(h, 'x-fc-tracing-opentracing-span-context'),
      openTracingSpanBaggages: baggages,
      jaegerEndpoint: headerValue(h, 'x-fc-tracing-jaeger-endpoint'),
    },
    credentials: fromHeaders.accessKeyId || !fallback ? fromHeaders : { ...fallback },
  };
}

/** A header value as node:http or a caller of `dispatch` may give it. */
function headerValueArbitrary(text: fc.Arbitrary<string>): fc.Arbitrary<string | string[] | undefined> {
  return fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const numericText = fc.oneof(
  fc.constantFrom('0', '3', '2.5', '.5', '3s', '3ms', '-1', '1e3', 'Infinity', 'abc', '', ' 7 ', '1, 2', 'x, 4s'),
  fc.double({ noNaN: true }).map(String),
  fc.string(),
);

const baggagesText = fc.oneof(
  fc
    .dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)))
    .map((o) => Buffer.from(JSON.stringify(o)).toString('base64')),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
  fc.string(),
);

const headersArbitrary: fc.Arbitrary<RequestHeaders> = fc
  .record(
    Object.fromEntries([
      ...STRING_HEADERS.map((name) => [name, headerValueArbitrary(fc.string())]),
      ...NUMERIC_HEADERS.map((name) => [name, headerValueArbitrary(numericText)]),
      [BAGGAGES, headerValueArbitrary(baggagesText)],
      [
        INVOCATION_TYPE,
        headerValueArbitrary(fc.oneof(fc.constantFrom('Async', 'async', ' ASYNC', 'Sync', ''), fc.string())),
      ],
    ]) as Record<string, fc.Arbitrary<string | string[] | undefined>>,
    { requiredKeys: [] },
  )
  .map((headers) => headers as RequestHeaders);

const fallbackArbitrary = fc.option(
  fc.record({ accessKeyId: fc.string(), accessKeySecret: fc.string(), securityToken: fc.string() }),
  { nil: undefined },
);

function contextOf(headers: RequestHeaders, fallbackCredentials?: FcCredentials, deadline = Infinity): FcContext {
  return new FcContext({
    requestId: 'req-lazy',
    headers,
    logger: new FcLogger(
      'req-lazy',
      () => undefined,
      (t) => t,
    ),
    deadline,
    signal: () => new AbortController().signal,
    fallbackCredentials,
  });
}

describe('FcContext reads its headers on demand', () => {
  it('gives, in any order of reading, exactly the fields, JSON and inspection it gave when it parsed them all at once', () => {
    fc.assert(
      fc.property(
        headersArbitrary,
        fallbackArbitrary,
        fc.shuffledSubarray([...FIELDS], { minLength: 0 }),
        fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: undefined }),
        (headers, fallback, readFirst, deadline) => {
          const expected = eagerFields(headers, fallback);
          const ctx = contextOf(headers, fallback, deadline ?? Infinity);
          for (const field of readFirst) expect(ctx[field], field).to.deep.equal(expected[field]);
          for (const field of FIELDS) {
            expect(ctx[field], field).to.deep.equal(expected[field]);
            // Parsed once: the same object on every read.
            expect(ctx[field], field).to.equal(ctx[field]);
          }
          const { credentials: _hidden, ...shown } = expected;
          const json: Record<string, unknown> = {
            requestId: 'req-lazy',
            ...shown,
            deadline: deadline === undefined ? null : new Date(deadline).toISOString(),
            credentials: '[redacted]',
          };
          expect(ctx.toJSON()).to.deep.equal(json);
          expect(JSON.stringify(ctx)).to.equal(JSON.stringify(json));
          expect(inspect(ctx)).to.equal(`FcContext ${inspect(json, { depth: 4 })}`);
          // Asked for in another order, a fresh context prints the same.
          expect(inspect(contextOf(headers, fallback, deadline ?? Infinity))).to.equal(inspect(ctx));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads no header until a field is asked for, then only that field’s', () => {
    const read: string[] = [];
    const headers = new Proxy<RequestHeaders>(
      { 'x-fc-region': 'cn-hangzhou', 'x-fc-function-memory': '512' },
      {
        get(target, name) {
          if (typeof name === 'string') read.push(name);
          return target[name as string];
        },
      },
    );
    const ctx = contextOf(headers);
    expect(ctx.requestId).to.equal('req-lazy');
    void ctx.deadline;
    void ctx.logger;
    expect(read).to.deep.equal([]);
    expect(ctx.region).to.equal('cn-hangzhou');
    expect(read).to.deep.equal(['x-fc-region']);
    expect(ctx.function.memory).to.equal(512);
    expect(ctx.function.name).to.equal('');
    expect(read).to.have.length(7);
  });

  it('never shows the credentials, whatever was read before', () => {
    const secret = 'lazy-secret-value-0123';
    const ctx = contextOf({ 'x-fc-access-key-id': 'STS.lazy', 'x-fc-access-key-secret': secret });
    for (const shown of [inspect(ctx), JSON.stringify(ctx), inspect(ctx, { showHidden: true, depth: 10 })]) {
      expect(shown).to.not.include(secret);
    }
    expect(ctx.credentials.accessKeySecret).to.equal(secret);
    for (const shown of [inspect(ctx), JSON.stringify(ctx), inspect(ctx, { showHidden: true, depth: 10 })]) {
      expect(shown).to.not.include(secret);
    }
    expect(Object.keys(ctx)).to.not.include('credentials');
  });
});
