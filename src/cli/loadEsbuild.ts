import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';
import { CliError } from './CliError';

/**
 * esbuild, an optional peer dependency of fc-kernel: from the first of `from` (files) whose
 * `require('esbuild')` finds it.
 *
 * @throws CliError (exit 2) saying how to install it when none does.
 */
export function loadEsbuild(from: readonly string[]): typeof Esbuild {
  for (const file of from) {
    try {
      return createRequire(file)('esbuild') as typeof Esbuild;
    } catch (error) {
      // Not found from here, as opposed to found but broken (its platform binary missing, say).
      const missing =
        (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
        (error as Error).message.startsWith("Cannot find module 'esbuild'");
      if (!missing) throw error;
    }
  }
  throw new CliError(
    'fc-kernel build bundles with esbuild, which is not installed: add it to the project (npm install --save-dev esbuild)',
  );
}
