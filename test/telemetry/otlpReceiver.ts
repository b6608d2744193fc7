import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One export request as the receiver got it. */
export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An OTLP attribute value in OTLP/JSON. */
type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };

/** A span decoded from OTLP/JSON, its attributes as plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  status: { code?: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string }[];
}

/**
 * An OTLP/HTTP collector on 127.0.0.1 for tests: records every export request and decodes the
 * OTLP/JSON ones (`/v1/traces` into spans). With `hang`, it takes requests and never answers, as
 * a collector behind a dead network would.
 */
export class OtlpReceiver {
  readonly received: ReceivedExport[] = [];
  private readonly server: Server;
  private hanging = false;

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
        if (this.hanging) return;
        response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
        response.end(request.headers['content-type']?.includes('json') ? '{}' : '');
      });
    });
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** `http://127.0.0.1:<port>`: the base endpoint (`/v1/traces` is appended). */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on requests are taken and never answered. */
  hang(): void {
    this.hanging = true;
  }

  /** Every span received so far over OTLP/JSON. */
  get spans(): ReceivedSpan[] {
    return this.received
      .filter((each) => each.path === '/v1/traces' && String(each.headers['content-type']).includes('json'))
      .flatMap((each) => decodeTraces(JSON.parse(each.body.toString('utf8')) as TracesData));
  }

  /** Every metric name received so far over OTLP/JSON. */
  get metricNames(): string[] {
    return this.received
      .filter((each) => each.path === '/v1/metrics' && String(each.headers['content-type']).includes('json'))
      .flatMap((each) => {
        const data = JSON.parse(each.body.toString('utf8')) as MetricsData;
        return data.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)));
      });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface TracesData {
  resourceSpans: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans: {
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: KeyValue[];
        status?: { code?: number; message?: string };
        events?: { name: string; attributes?: KeyValue[] }[];
        links?: { traceId: string; spanId: string }[];
      }[];
    }[];
  }[];
}

interface MetricsData {
  resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[];
}

function decodeTraces(data: TracesData): ReceivedSpan[] {
  return data.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind,
        attributes: attributesOf(span.attributes),
        resource: attributesOf(rs.resource?.attributes),
        status: span.status ?? {},
        events: (span.events ?? []).map((event) => ({ name: event.name, attributes: attributesOf(event.attributes) })),
        links: (span.links ?? []).map((link) => ({ traceId: link.traceId, spanId: link.spanId })),
      })),
    ),
  );
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) {
    out[key] =
      value.stringValue ??
      value.boolValue ??
      (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue);
  }
  return out;
}
