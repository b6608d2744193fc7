import { createKernel, type Kernel, type KernelOptions } from '../../src';
import { captureLogs, type CapturedLogs } from './captureLogs';

export interface TestKernel {
  kernel: Kernel;
  logs: CapturedLogs;
}

/**
 * Call inside a `describe`: returns a factory of kernels whose log lines are captured, and closes
 * every kernel it made after each test, so singletons and timers do not outlive their test.
 */
export function useKernels(): (options: KernelOptions) => TestKernel {
  const made: Kernel[] = [];
  afterEach(async () => {
    const closing = made.splice(0).map((k) => k.close());
    await Promise.all(closing);
  });
  return (options) => {
    const logs = captureLogs();
    const kernel = createKernel({ logSink: logs.sink, env: {}, ...options });
    made.push(kernel);
    return { kernel, logs };
  };
}
