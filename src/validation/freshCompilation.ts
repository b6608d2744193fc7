import { watchTransformerMetadata } from './classTransformerInternals';
import { watchValidatorMetadata } from './classValidatorInternals';
import { metadataChanges } from './metadataChanges';

/**
 * Runs `compile` now (a failure is a boot failure) and answers a getter of its result that runs
 * it again, before the next event, once a class-validator or class-transformer decorator has
 * recorded anything since: a constraint registered after `createKernel` is then validated as
 * class-validator validates it. An event pays one comparison of two numbers.
 *
 * @example
 * ```ts
 * const current = freshCompilation(() => compilePlans(dto));
 * const validate = (plain: unknown) => current()(plain);
 * ```
 */
export function freshCompilation<T>(compile: () => T): () => T {
  watchValidatorMetadata();
  watchTransformerMetadata();
  let seen = metadataChanges.count;
  let current = compile();
  return () => {
    if (metadataChanges.count !== seen) {
      const count = metadataChanges.count;
      current = compile();
      seen = count;
    }
    return current;
  };
}
