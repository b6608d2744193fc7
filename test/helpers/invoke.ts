import { expect } from 'chai';
import type { Kernel, KernelResponse, RequestHeaders } from '../../src';

/** `POST /invoke` with `body`, the way FC calls a function. */
export function invoke(
  kernel: Kernel,
  body?: Buffer | string | object,
  headers: RequestHeaders = {},
): Promise<KernelResponse> {
  const raw = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return kernel.dispatch({ method: 'POST', path: '/invoke', headers, body: raw });
}

/** Any route with no body (`/initialize`, `/pre-stop`, `/pre-freeze`). */
export function call(
  kernel: Kernel,
  method: string,
  path: string,
  headers: RequestHeaders = {},
): Promise<KernelResponse> {
  return kernel.dispatch({ method, path, headers });
}

/** Asserts a 200 answer and returns its body parsed as JSON. */
export function okJson(response: KernelResponse): unknown {
  expect(response.statusCode, String(response.body)).to.equal(200);
  expect(response.headers['x-fc-status']).to.equal('200');
  return JSON.parse(String(response.body));
}
