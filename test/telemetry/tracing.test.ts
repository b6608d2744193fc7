import { expect } from 'chai';
import {
  annotateInvocation,
  createKernel,
  runRecord,
  Ctx,
  Event,
  FcContext,
  FcFunction,
  OnInitialize,
  OnInvoke,
  type Kernel,
  type KernelOptions,
} from '../../src';
import { IsString } from 'class-validator';
import { OnRecord, type BatchRecord } from '../../src/batch';
import { TimerEvent } from '../../src/events';
import { Idempotent, MemoryIdempotencyStore } from '../../src/idempotency';
import { telemetry, type TelemetryOptions } from '../../src/telemetry';
import { fcHeaders, HEADER_CREDENTIALS } from '../helpers/fcHeaders';
import { OtlpReceiver } from './otlpReceiver';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TIMER_BODY = JSON.stringify({
  triggerTime: '2026-12-08T01:00:00Z',
  triggerName: 'every-minute',
  payload: 'tick',
});

class Refund {
  @IsString() orderId!: string;
}

@FcFunction({ name: 'tick' })
class Tick {
  @OnInitialize() warmUp(): void {}

  @OnInvoke()
  handle(@Event() event: TimerEvent, @Ctx() ctx: FcContext): unknown {
    ctx.logger.info('ticked', { payload: event.payload });
    annotateInvocation({ 'tick.payload': event.payload });
    if (event.payload === 'fail') throw new Error(`refused with ${HEADER_CREDENTIALS.securityToken}`);
    if (event.payload === 'replay') annotateInvocation({ 'fc_kernel.replayed': true });
    return { trace: ctx.trace ?? null };
  }
}

@FcFunction({ name: 'orders' })
class Orders {
  @OnInvoke()
  async handle(@Event(Array) batch: { id: string }[]): Promise<string> {
    for (const [index, order] of batch.entries()) {
      await runRecord({ index, id: order.id }, async () => {
        if (order.id === 'bad') throw new Error('bad record');
      }).catch(() => annotateInvocation({ 'fc_kernel.records.failed': 1 }));
    }
    return 'done';
  }
}

describe('telemetry: traces over OTLP/HTTP to a collector on 127.0.0.1', () => {
  let receiver: OtlpReceiver;
  let lines: string[];
  const kernels: Kernel[] = [];

  beforeEach(async () => {
    receiver = await OtlpReceiver.start();
    lines = [];
  });
  afterEach(async () => {
    for (const kernel of kernels.splice(0)) await kernel.preStop({ timeoutMs: 1000 });
    await receiver.close();
  });

  function kernelWith(options: TelemetryOptions = {}, more: Partial<KernelOptions> = {}): Kernel {
    const kernel = createKernel({
      functions: [Tick],
      observers: [telemetry({ traces: 'otlp', protocol: 'http/json', endpoint: receiver.endpoint, ...options })],
      logSink: (line) => lines.push(line),
      logFormat: 'json',
      env: { FC_REGION: 'cn-hangzhou', OTEL_SERVICE_NAME: 'ticker' },
      ...more,
    });
    kernels.push(kernel);
    return kernel;
  }

  function invoke(kernel: Kernel, payload: string, headers: Record<string, string>) {
    const body = JSON.stringify({ ...(JSON.parse(TIMER_BODY) as object), payload });
    return kernel.dispatch({ method: 'POST', path: '/invoke', headers, body });
  }

  /** FC's headers of a function without a pre-freeze hook, with `extra`. */
  /** The metric lines written so far, parsed. */
  function metricLines(): Record<string, unknown>[] {
    return lines
      .filter((line) => line.includes('"metric":"fc_kernel.invocation"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  function headersWith(extra: Record<string, string>): Record<string, string> {
    const headers = fcHeaders(extra);
    delete headers['x-fc-instance-lifecycle-pre-freeze-handler'];
    delete headers['x-fc-tracing-opentracing-span-context'];
    return { ...headers, ...extra };
  }

  it('exports a server span, child of the incoming traceparent, before the answer leaves', async () => {
    const kernel = kernelWith();
    const answer = await invoke(kernel, 'tick', headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }));
    expect(answer.statusCode).to.equal(200);
    // No waiting: the span is at the collector once the answer is.
    const [span] = receiver.spans.filter((each) => each.name === 'tick');
    expect(span, 'the span reached the collector before the answer').to.not.equal(undefined);
    expect(span.traceId).to.equal(TRACE_ID);
    expect(span.parentSpanId).to.equal(PARENT_ID);
    expect(span.kind).to.equal(2); // SERVER
    expect(span.attributes).to.deep.include({
      'faas.trigger': 'timer',
      'faas.invocation_id': fcHeaders()['x-fc-request-id'],
      'faas.name': 'create-order',
      'faas.coldstart': true,
      'cloud.provider': 'alibaba_cloud',
      'cloud.platform': 'alibaba_cloud_fc',
      'cloud.region': 'cn-hangzhou',
      'tick.payload': 'tick',
    });
    expect(span.resource).to.deep.include({ 'service.name': 'ticker', 'cloud.platform': 'alibaba_cloud_fc' });
    expect(span.status.code ?? 0).to.not.equal(2);

    // The handler's ctx.trace is the server span: its outgoing calls are the span's children.
    const { trace } = JSON.parse(String(answer.body)) as {
      trace: { traceId: string; spanId: string; headers: Record<string, string> };
    };
    expect(trace.traceId).to.equal(TRACE_ID);
    expect(trace.spanId).to.equal(span.spanId);
    expect(trace.headers.traceparent).to.equal(`00-${TRACE_ID}-${span.spanId}-01`);

    // The JSON log lines carry the same trace and span ids; the markers stay FC's text.
    const logged = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ticked = logged.find((line) => line.message === 'ticked');
    expect(ticked).to.deep.include({
      traceId: TRACE_ID,
      spanId: span.spanId,
      level: 'INFO',
      fields: { payload: 'tick' },
    });
    expect(lines.filter((line) => line.startsWith('FC Invoke'))).to.have.length(2);

    // The second invocation of the instance is warm.
    await invoke(kernel, 'tick', headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }));
    expect(
      receiver.spans.filter((each) => each.name === 'tick').map((each) => each.attributes['faas.coldstart']),
    ).to.deep.equal([true, false]);
  });

  it('marks a failed invocation: error status, exception event, error.type, no secret', async () => {
    const kernel = kernelWith();
    const answer = await invoke(kernel, 'fail', headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }));
    expect(answer.statusCode).to.equal(404);
    const [span] = receiver.spans.filter((each) => each.name === 'tick');
    expect(span.status.code).to.equal(2); // ERROR
    expect(span.attributes['error.type']).to.equal('Error');
    const exception = span.events.find((event) => event.name === 'exception');
    expect(exception?.attributes['exception.type']).to.equal('Error');
    expect(exception?.attributes['exception.message']).to.equal('refused with [redacted]');
    const exported = Buffer.concat(receiver.received.map((each) => each.body)).toString('utf8');
    expect(exported).to.not.include(HEADER_CREDENTIALS.securityToken);
  });

  it("takes FC's older span context when no traceparent came", async () => {
    const kernel = kernelWith();
    const headers = headersWith({ 'x-fc-tracing-opentracing-span-context': '124ed43254b54966:7fa9c3a5e2b1d0c4:0:1' });
    await invoke(kernel, 'tick', headers);
    const [span] = receiver.spans.filter((each) => each.name === 'tick');
    expect(span.traceId).to.equal('0000000000000000124ed43254b54966');
    expect(span.parentSpanId).to.equal('7fa9c3a5e2b1d0c4');
  });

  it("keeps FC's sampling decision: a trace it did not sample is not exported, and its context goes on unsampled", async () => {
    const kernel = kernelWith();
    const answer = await invoke(kernel, 'tick', headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-00` }));
    expect(receiver.spans).to.deep.equal([]);
    const { trace } = JSON.parse(String(answer.body)) as { trace: { traceId: string; sampled: boolean } };
    expect(trace).to.deep.include({ traceId: TRACE_ID, sampled: false });
  });

  it('with a sampler at 0 %, a trace started here is not exported', async () => {
    const kernel = kernelWith({ sampleRatio: 0 });
    await invoke(kernel, 'tick', headersWith({}));
    expect(receiver.spans).to.deep.equal([]);
  });

  it('exports at /pre-freeze, not before the answer, when FC says a pre-freeze hook is configured', async () => {
    const kernel = kernelWith();
    const headers = {
      ...headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }),
      'x-fc-instance-lifecycle-pre-freeze-handler': 'preFreeze',
    };
    await invoke(kernel, 'tick', headers);
    expect(receiver.spans, 'nothing exported at the answer').to.deep.equal([]);
    const frozen = await kernel.dispatch({ method: 'GET', path: '/pre-freeze', headers });
    expect(frozen.statusCode).to.equal(200);
    expect(receiver.spans.map((span) => span.traceId)).to.deep.equal([TRACE_ID]);
  });

  it('traces /initialize as a span of its own', async () => {
    const kernel = kernelWith();
    await kernel.dispatch({
      method: 'POST',
      path: '/initialize',
      headers: headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }),
    });
    const [span] = receiver.spans;
    expect(span).to.deep.include({ name: 'initialize tick', traceId: TRACE_ID, parentSpanId: PARENT_ID });
  });

  it('answers within the flush bound when the collector never answers', async function () {
    this.timeout(5000);
    receiver.hang();
    const kernel = kernelWith({ flushTimeoutMs: 200 });
    const answer = await invoke(kernel, 'tick', headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }));
    expect(answer.statusCode).to.equal(200);
    expect(receiver.received.length, 'the export was attempted').to.be.greaterThan(0);
  });

  it('answers when nothing listens at the endpoint', async () => {
    const kernel = kernelWith({ endpoint: 'http://127.0.0.1:9' });
    const answer = await invoke(kernel, 'tick', headersWith({}));
    expect(answer.statusCode).to.equal(200);
  });

  it('sends http/protobuf with the headers of OTEL_EXPORTER_OTLP_HEADERS, switched on by OTEL_TRACES_EXPORTER', async () => {
    const kernel = createKernel({
      functions: [Tick],
      observers: [telemetry()],
      logSink: (line) => lines.push(line),
      env: {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=acme',
      },
    });
    kernels.push(kernel);
    await invoke(kernel, 'tick', headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }));
    const [sent] = receiver.received.filter((each) => each.path === '/v1/traces');
    expect(sent.headers['content-type']).to.equal('application/x-protobuf');
    expect(sent.headers).to.deep.include({ authorization: 'Bearer abc', 'x-tenant': 'acme' });
    // The trace id travels as its 16 raw bytes in the protobuf message.
    expect(sent.body.includes(Buffer.from(TRACE_ID, 'hex'))).to.equal(true);
  });

  it('writes a metric line per invocation, replays and cold start included, and OpenTelemetry metrics', async () => {
    const kernel = kernelWith({ metricLines: true, metrics: 'otlp' });
    await invoke(kernel, 'tick', headersWith({}));
    await invoke(kernel, 'fail', headersWith({}));
    await invoke(kernel, 'replay', headersWith({}));
    const metrics = metricLines();
    expect(metrics.map((line) => [line.outcome, line.errorType, line.coldStart, line.replayed])).to.deep.equal([
      ['success', undefined, true, false],
      ['error', 'Error', false, false],
      ['success', undefined, false, true],
    ]);
    expect(metrics[0].coldStartMs).to.be.a('number');
    expect(metrics[1].durationMs).to.be.a('number');
    expect(receiver.metricNames).to.include.members([
      'faas.invocations',
      'faas.errors',
      'faas.invoke_duration',
      'fc_kernel.replayed_invocations',
    ]);
  });

  it('makes each record handed to runRecord a root span of its own, linked to the invocation', async () => {
    const kernel = kernelWith({}, { functions: [Orders] });
    const body = JSON.stringify([{ id: 'm-1' }, { id: 'bad' }]);
    const headers = headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    await kernel.dispatch({ method: 'POST', path: '/invoke', headers, body });
    const invocation = receiver.spans.find((span) => span.name === 'orders')!;
    const records = receiver.spans.filter((span) => span.name === 'orders record');
    expect(
      records.map((span) => [span.attributes['messaging.message.id'], span.attributes['fc_kernel.record.index']]),
    ).to.deep.equal([
      ['m-1', 0],
      ['bad', 1],
    ]);
    for (const record of records) {
      expect(record.parentSpanId).to.equal('');
      expect(record.traceId).to.not.equal(TRACE_ID);
      expect(record.kind).to.equal(5); // CONSUMER
      expect(record.links).to.deep.equal([{ traceId: TRACE_ID, spanId: invocation.spanId }]);
    }
    expect(records.map((span) => span.status.code ?? 0)).to.deep.equal([0, 2]);
    expect(invocation.attributes['fc_kernel.records.failed']).to.equal(1);
  });

  // The layers' classes are decorated in their tests: other suites reset the decorators' records.
  it('counts an answer @Idempotent replays as replayed, and a first delivery as not', async () => {
    @FcFunction({ name: 'charge' })
    class Charge {
      @OnInvoke()
      @Idempotent()
      handle(@Event() refund: Refund): unknown {
        return { charged: refund.orderId };
      }
    }
    const kernel = kernelWith(
      { metricLines: true, metrics: 'otlp' },
      { functions: [Charge], idempotency: { store: new MemoryIdempotencyStore() } },
    );
    const headers = headersWith({ 'x-fc-request-id': 'req-charge-1' });
    const body = JSON.stringify({ orderId: 'o-1' });
    const first = await kernel.dispatch({ method: 'POST', path: '/invoke', headers, body });
    const again = await kernel.dispatch({ method: 'POST', path: '/invoke', headers, body });
    expect([first.statusCode, again.statusCode]).to.deep.equal([200, 200]);
    expect(String(again.body)).to.equal(String(first.body));
    expect(metricLines().map((line) => line.replayed)).to.deep.equal([false, true]);
    expect(receiver.metricNames).to.include('fc_kernel.replayed_invocations');
  });

  it('makes each record of an @OnRecord batch a span of its own, and counts the records', async () => {
    @FcFunction({ name: 'refunds' })
    class Refunds {
      @OnRecord([Refund], { remember: false })
      refund(record: BatchRecord<Refund>): void {
        if (record.body.orderId === 'bad') throw new Error('refused');
      }
    }
    const kernel = kernelWith({ metricLines: true }, { functions: [Refunds] });
    const headers = headersWith({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    const body = JSON.stringify([{ orderId: 'o-1' }, { orderId: 'bad' }, { orderId: 'o-3' }]);
    const res = await kernel.dispatch({ method: 'POST', path: '/invoke', headers, body });
    expect(res.statusCode).to.equal(404);
    const invocation = receiver.spans.find((span) => span.name === 'refunds')!;
    const records = receiver.spans.filter((span) => span.name === 'refunds record');
    expect(records.map((span) => span.attributes['fc_kernel.record.index'])).to.deep.equal([0, 1, 2]);
    for (const record of records) {
      expect(record.links).to.deep.equal([{ traceId: TRACE_ID, spanId: invocation.spanId }]);
    }
    expect(invocation.attributes['fc_kernel.records.succeeded']).to.equal(2);
    expect(invocation.attributes['fc_kernel.records.failed']).to.equal(1);
    const [line] = metricLines();
    expect([line.recordsSucceeded, line.recordsFailed]).to.deep.equal([2, 1]);
  });

  it('observes nothing when nothing is switched on', () => {
    const kernel = createKernel({ functions: [Tick], observers: [telemetry()], env: {}, logSink: () => {} });
    kernels.push(kernel);
    expect(
      telemetry().forRoute({
        functionName: 'tick',
        functionClass: Tick,
        kind: 'invoke',
        eventType: TimerEvent,
        options: { functions: [Tick], env: {} },
        container: kernel.root,
      }),
    ).to.equal(null);
  });
});
