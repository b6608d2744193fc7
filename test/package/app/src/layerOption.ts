// A layer's own kernel option, added by module augmentation against the installed declarations,
// and read by its provider: the project compiles only if the seam reaches the published types.
import { createKernel, type InterceptorProvider, type Kernel } from 'fc-kernel';
import { CountItems } from './countItems';

declare module 'fc-kernel' {
  interface KernelOptions {
    /** Prefixes every answer of the functions that use `tagged`. */
    tagging?: { tag: string };
  }
}

export const tagged: InterceptorProvider = {
  forHandler: (setup) => {
    const tag = setup.options.tagging?.tag;
    return tag === undefined ? null : async (_invocation, next) => `${tag} ${JSON.stringify(await next())}`;
  },
};

export function taggedKernel(): Kernel {
  return createKernel({ functions: [CountItems], interceptors: [tagged], tagging: { tag: 'v1' }, logSink: () => {} });
}
