import { expect } from 'chai';
import { incomingTraceContext } from '../../src/context/traceContext';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('ctx.trace: the trace context a request arrived with', () => {
  it('reads W3C traceparent, tracestate and baggage, and carries them on', () => {
    const trace = incomingTraceContext({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      tracestate: 'acs=1',
      baggage: 'tenant=acme',
    });
    expect(trace).to.deep.equal({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      sampled: true,
      headers: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'acs=1', baggage: 'tenant=acme' },
    });
  });

  it("falls back to FC's older span context (Jaeger's, ids padded) when traceparent is absent or invalid", () => {
    const legacy = { 'x-fc-tracing-opentracing-span-context': '124ed43254b54966:7fa9c3a5e2b1d0c4:0:0' };
    for (const traceparent of [
      undefined,
      `ff-${TRACE_ID}-${SPAN_ID}-01`,
      `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `00-${TRACE_ID}-${SPAN_ID}-01-extra`,
      'garbage',
    ]) {
      const trace = incomingTraceContext(traceparent === undefined ? legacy : { ...legacy, traceparent });
      expect(trace, String(traceparent)).to.deep.include({
        traceId: '0000000000000000124ed43254b54966',
        spanId: '7fa9c3a5e2b1d0c4',
        sampled: false,
      });
    }
  });

  it('accepts a later version with more fields, and is undefined with nothing valid', () => {
    expect(incomingTraceContext({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-03-more` })?.sampled).to.equal(true);
    expect(incomingTraceContext({})).to.equal(undefined);
    expect(incomingTraceContext({ 'x-fc-tracing-opentracing-span-context': '0:0:0:1' })).to.equal(undefined);
    expect(incomingTraceContext({ 'x-fc-tracing-opentracing-span-context': 'a:b:c' })).to.equal(undefined);
  });
});
