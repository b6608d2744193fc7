import { reportFailure } from './CliError';
import { withProcessDefaults } from './CliIo';
import { functionsOf } from './loadEntry';
import { serveFunctions } from './serve';

/**
 * What a bundle written by `fc-kernel build` runs, with the exports of the entry it was built
 * from (already loaded: the bundle holds it). An entry that exports `@FcFunction` classes is
 * served as `fc-kernel serve` serves it; one that exports none is the app's own main module,
 * which called `serve()` itself when it was loaded.
 */
export function startBundledEntry(exports: unknown, entry: string): void {
  const io = withProcessDefaults();
  const fail = (error: unknown): never => process.exit(reportFailure('fc-kernel', error, io));
  try {
    const functions = functionsOf(exports, entry);
    if (functions.length > 0) serveFunctions({ name: entry, file: entry, functions }, io).catch(fail);
  } catch (error) {
    fail(error);
  }
}
