/**
 * How many decorator records class-validator and class-transformer took since their stores were
 * first watched (see `watchValidatorMetadata` and `watchTransformerMetadata`). An engine compiled
 * at boot compares it on each event, one number, and compiles again when a decorator ran since:
 * metadata recorded after `createKernel` is seen as class-validator sees it.
 */
export const metadataChanges = { count: 0 };

/**
 * Replaces `owner[method]` with a function that counts each call in `metadataChanges`, then
 * calls the original. Once per owner and method.
 */
export function countCalls(owner: object, method: string): void {
  const record = owner as Record<string, unknown>;
  const original = record[method];
  if (typeof original !== 'function' || (original as { countsChanges?: true }).countsChanges) return;
  const counting = Object.assign(
    function (this: unknown, ...args: unknown[]): unknown {
      metadataChanges.count++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    },
    { countsChanges: true as const },
  );
  record[method] = counting;
}
