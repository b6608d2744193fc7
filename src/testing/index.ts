// tsyringe needs the Reflect polyfill before it loads, and a test may import the kit first.
import 'reflect-metadata';

/**
 * `fc-kernel/testing`: the production kernel in-process for tests, and contexts for testing a
 * service alone.
 */
export { createTestKernel, TestKernel, type TestCallOptions, type TestKernelOptions } from './TestKernel';
export type { TestResponse } from './TestResponse';
export type { Override } from './overrides';
export { createTestContext, TestContext, type TestContextInit } from './TestContext';
