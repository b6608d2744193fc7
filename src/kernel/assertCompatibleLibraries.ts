import { assertSingleCopies } from '../dependencies/loadedCopies';
import { checkTsyringeInternals } from '../di/tsyringeInternals';
import { checkClassTransformerInternals } from '../validation/classTransformerInternals';
import { checkClassValidatorInternals } from '../validation/classValidatorInternals';

let internalsChecked = false;
let modulesScanned = -1;

/**
 * Fails with an `INCOMPATIBLE_DEPENDENCY` `ConfigurationError` when the libraries fc-kernel
 * builds on cannot work as it expects: one of them is loaded twice (decorators would record
 * where fc-kernel never reads), or a release changed an internal shape fc-kernel relies on.
 * Cheap after the first call: the internals are proven once per process, and the loaded modules
 * are scanned again only when more have been loaded.
 */
export function assertCompatibleLibraries(): void {
  const loaded = Object.keys(require.cache);
  if (loaded.length !== modulesScanned) {
    // Copies first: a second copy is the likelier cause of anything else that fails.
    assertSingleCopies(loaded);
    modulesScanned = loaded.length;
  }
  if (internalsChecked) return;
  checkTsyringeInternals();
  checkClassTransformerInternals();
  checkClassValidatorInternals();
  internalsChecked = true;
}
