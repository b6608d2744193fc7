// tsyringe needs the Reflect polyfill before it loads, and a test may import the kit first.
import 'reflect-metadata';

/**
 * `fc-kernel/testing`: the production kernel in-process for tests, contexts for testing a service
 * alone, and the builders of FC's trigger payloads (`fixtures`, also in `fc-kernel/events`).
 *
 * @example
 * ```ts
 * const tk = createTestKernel(OnUpload);
 * const res = await tk.invoke(fixtures.oss({ key: 'uploads/a.png', mimeType: 'image/png' }));
 * ```
 */
export { createTestKernel, TestKernel, type TestCallOptions, type TestKernelOptions } from './TestKernel';
export type { TestResponse } from './TestResponse';
export { deliver, Delivery, type DeliveryOptions } from './Delivery';
export {
  deliverBatch,
  BatchDelivery,
  type BatchDeliveryOptions,
  type BatchDeliveryOutcome,
  type PushRetryStrategy,
} from './BatchDelivery';
export type { Override } from './overrides';
export { createTestContext, TestContext, type TestContextInit } from './TestContext';
// The payload builders and their override types, the same as fc-kernel/events exports.
export * from '../events/fixtures';
