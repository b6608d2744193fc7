// The telemetry layer's kernel option beside the application's own (layerOption.ts): both
// augmentations of KernelOptions hold in one program, against the installed declarations.
import { createKernel, type Kernel } from 'fc-kernel';
import { telemetry } from 'fc-kernel/telemetry';
import { CountItems } from './countItems';

export function tracedKernel(): Kernel {
  return createKernel({
    functions: [CountItems],
    observers: [telemetry()],
    telemetry: { traces: 'none', flushTimeoutMs: 500 },
    tagging: { tag: 'v1' },
    logFormat: 'json',
    logSink: () => {},
  });
}
