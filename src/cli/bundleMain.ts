import { createKernel } from '../index';
import { TRAINING_ENV } from './bundleLoader';
import { reportFailure } from './CliError';
import { withProcessDefaults } from './CliIo';
import { functionsOf } from './loadEntry';
import { serveFunctions } from './serve';

/**
 * What a bundle written by `fc-kernel build` runs, with the exports of the entry it was built
 * from (already loaded: the bundle holds it). An entry that exports `@FcFunction` classes is
 * served as `fc-kernel serve` serves it; one that exports none is the app's own main module,
 * which called `serve()` itself when it was loaded.
 *
 * In the build's run that records the code cache, the functions' kernel is created (so that its
 * boot is compiled and cached too) and nothing is served.
 */
export function startBundledEntry(exports: unknown, entry: string): void {
  const io = withProcessDefaults();
  const fail = (error: unknown): never => process.exit(reportFailure('fc-kernel', error, io));
  try {
    const functions = functionsOf(exports, entry);
    if (functions.length === 0) return;
    if (io.env[TRAINING_ENV] === '1') {
      void createKernel({ functions, logSink: () => undefined }).close();
      return;
    }
    serveFunctions({ name: entry, file: entry, functions }, io).catch(fail);
  } catch (error) {
    fail(error);
  }
}
