import { expect } from 'chai';
import type { ErrorBody } from '../../src';
import type { TestResponse } from '../../src/testing';

/** Asserts a 200 answer (status and `x-fc-status`) and returns its decoded body. */
export function okBody<T>(response: TestResponse<T>): T {
  expect(response.ok, response.raw.toString('utf8')).to.equal(true);
  return response.body;
}

/** Asserts FC's failure answer (404, `x-fc-status: 404`, a JSON body) and returns its error body. */
export function errorOf(response: TestResponse): ErrorBody {
  expect(response.statusCode, response.raw.toString('utf8')).to.equal(404);
  expect(response.xFcStatus).to.equal(404);
  expect(response.headers['content-type']).to.match(/^application\/json/);
  return response.error!;
}
