'use strict';

/*
 * What both servers receive. The headers are the set FC sends on every invocation (with a role,
 * so the credential headers are present and redaction is active, as in production).
 */

const FC_HEADERS = {
  'content-type': 'application/octet-stream',
  'x-fc-request-id': '1-67a59f35-150c1267-f381ba1c085c',
  'x-fc-access-key-id': 'STS.NUbenchAccessKeyId0001',
  'x-fc-access-key-secret': 'benchAccessKeySecretValue0000000000000001',
  'x-fc-security-token': 'CAISbenchSecurityTokenValue000000000000000000000000000000000001',
  'x-fc-function-name': 'bench',
  'x-fc-function-handler': 'index.handler',
  'x-fc-function-memory': '512',
  'x-fc-function-timeout': '60',
  'x-fc-region': 'cn-hangzhou',
  'x-fc-account-id': '1234567890123456',
  'x-fc-qualifier': 'LATEST',
  'x-fc-version-id': '',
  'x-fc-control-path': '/invoke',
  'x-fc-retry-count': '0',
};

/** A ~200-byte event; the handler answers `{ id }`. */
const JSON_EVENT = {
  id: 'evt-7f3c2a1e-5b8d-4c6e-9a0f-1d2e3f4a5b6c',
  source: 'acs.bench',
  type: 'bench.ping',
  time: '2024-05-01T12:00:00Z',
  data: { message: 'hello from the benchmark', count: 3, tags: ['alpha', 'beta', 'gamma'] },
};

/** The order sample's event with 5 items: the workload of every contender. */
const ORDER_EVENT = {
  orderId: 'ord-20240501-0001',
  customerEmail: 'alice@example.com',
  items: [
    { sku: 'SKU-RED-001', quantity: 2, unitPrice: 19.99 },
    { sku: 'SKU-BLU-002', quantity: 1, unitPrice: 5.5 },
    { sku: 'SKU-GRN-003', quantity: 4, unitPrice: 2.25 },
    { sku: 'SKU-YEL-004', quantity: 3, unitPrice: 0.99 },
    { sku: 'SKU-BLK-005', quantity: 1, unitPrice: 120 },
  ],
  couponCode: 'WELCOME10',
};

/** What every contender must answer for `ORDER_EVENT` (the sample's pricing, in cents). */
const ORDER_RESULT = { orderId: 'ord-20240501-0001', itemCount: 11, total: 177.45, status: 'ACCEPTED' };

/** An order every contender must refuse: a property the DTO does not declare, a quantity of 0. */
const INVALID_ORDER_EVENT = {
  ...ORDER_EVENT,
  note: 'not a property of CreateOrder',
  items: [{ sku: 'SKU-RED-001', quantity: 0, unitPrice: 19.99 }],
};

module.exports = {
  FC_HEADERS,
  JSON_EVENT,
  JSON_BODY: JSON.stringify(JSON_EVENT),
  ORDER_EVENT,
  ORDER_BODY: JSON.stringify(ORDER_EVENT),
  ORDER_RESULT,
  INVALID_ORDER_BODY: JSON.stringify(INVALID_ORDER_EVENT),
  MALFORMED_BODY: '{"orderId": "ord-1", "items": [',
};
