import { expect } from 'chai';
import { IsString } from 'class-validator';
import { createKernel, Event, FcFunction, OnInvoke, type Kernel, type KernelOptions } from '../../src';
import { OnRecord, type BatchRecord } from '../../src/batch';
import { Idempotent, MemoryIdempotencyStore } from '../../src/idempotency';
import { telemetry } from '../../src/telemetry';
import { fcHeaders } from '../helpers/fcHeaders';
import { OtlpReceiver } from './otlpReceiver';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

class Refund {
  @IsString() orderId!: string;
}

describe('telemetry: what the idempotency and batch layers report to it', () => {
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

  function kernelOf(functions: KernelOptions['functions']): Kernel {
    const kernel = createKernel({
      functions,
      observers: [
        telemetry({
          traces: 'otlp',
          metrics: 'otlp',
          metricLines: true,
          protocol: 'http/json',
          endpoint: receiver.endpoint,
        }),
      ],
      idempotency: { store: new MemoryIdempotencyStore() },
      logSink: (line) => lines.push(line),
      logFormat: 'json',
      env: { FC_REGION: 'cn-hangzhou' },
    });
    kernels.push(kernel);
    return kernel;
  }

  /** FC's headers of a function with no pre-freeze hook: telemetry is exported before each answer. */
  function headersWith(extra: Record<string, string>): Record<string, string> {
    const headers = fcHeaders(extra);
    delete headers['x-fc-instance-lifecycle-pre-freeze-handler'];
    delete headers['x-fc-tracing-opentracing-span-context'];
    return headers;
  }

  function metricLines(): Record<string, unknown>[] {
    return lines
      .filter((line) => line.includes('"metric":"fc_kernel.invocation"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  // Classes are decorated in each test: other suites reset the decorators' records between tests.
  it('counts an answer replayed by @Idempotent as replayed, and a first delivery as not', async () => {
    @FcFunction({ name: 'charge' })
    class Charge {
      @OnInvoke()
      @Idempotent()
      handle(@Event() refund: Refund): unknown {
        return { charged: refund.orderId };
      }
    }
    const kernel = kernelOf([Charge]);
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
    const kernel = kernelOf([Refunds]);
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
});
