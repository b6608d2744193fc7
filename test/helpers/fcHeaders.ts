/** Credentials as FC sends them in headers; long enough to be redacted. */
export const HEADER_CREDENTIALS = {
  accessKeyId: 'STS.HeaderKeyId0001',
  accessKeySecret: 'HeaderSecret-9f8e7d6c5b4a',
  securityToken: 'CAISheaderSecurityToken+/xyz==',
};

/** A request id in FC 3.0's form. */
export const REQUEST_ID = '1-67a59f35-150c1267-f381ba1c085c';

/** Every header of FC-CONTRACT §3 with realistic values. */
export function fcHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'x-fc-request-id': REQUEST_ID,
    'x-fc-access-key-id': HEADER_CREDENTIALS.accessKeyId,
    'x-fc-access-key-secret': HEADER_CREDENTIALS.accessKeySecret,
    'x-fc-security-token': HEADER_CREDENTIALS.securityToken,
    'x-fc-function-name': 'create-order',
    'x-fc-function-handler': 'index.handler',
    'x-fc-function-memory': '512',
    'x-fc-function-timeout': '30',
    'x-fc-function-initializer': 'index.init',
    'x-fc-initialization-timeout': '12',
    'x-fc-instance-lifecycle-pre-stop-handler': 'index.preStop',
    'x-fc-instance-lifecycle-pre-freeze-handler': 'index.preFreeze',
    'x-fc-region': 'cn-hangzhou',
    'x-fc-account-id': '1234567890123456',
    'x-fc-qualifier': 'LATEST',
    'x-fc-version-id': '3',
    'x-fc-service-name': 'orders-svc',
    'x-fc-service-logproject': 'orders-logs',
    'x-fc-service-logstore': 'orders-store',
    'x-fc-control-path': '/invoke',
    'x-fc-retry-count': '2',
    'x-fc-tracing-opentracing-span-context': '124ed43254b54966:124ed43254b54966:0:1',
    'x-fc-tracing-opentracing-span-baggages': Buffer.from(JSON.stringify({ tenant: 'acme', shard: 7 })).toString(
      'base64',
    ),
    'x-fc-tracing-jaeger-endpoint': 'http://tracing-analysis-dc-hz.aliyuncs.com/adapt_xxx/api/traces',
    ...overrides,
  };
}
