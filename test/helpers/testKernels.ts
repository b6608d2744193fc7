import { createTestKernel, type TestKernel } from '../../src/testing';

/**
 * Call inside a `describe`: returns `createTestKernel`, and closes every test kernel it made after
 * each test, so singletons and timers do not outlive their test.
 */
export function useTestKernels(): typeof createTestKernel {
  const made: TestKernel[] = [];
  afterEach(() => Promise.all(made.splice(0).map((tk) => tk.close())));
  return (functions, options) => {
    const tk = createTestKernel(functions, options);
    made.push(tk);
    return tk;
  };
}
