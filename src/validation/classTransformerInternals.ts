/*
 * Every use of class-transformer's private state, in one place: the store its decorators record
 * into is not on its public entry point, and the boot checks of a DTO read `@Type` from it.
 * `checkClassTransformerInternals` proves, when a kernel is created, that the store loaded here
 * is the one the public `@Type()` writes to.
 */
import { Type } from 'class-transformer';
import { incompatibleDependency, requireInternal } from '../dependencies/installedPackage';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { Constructor } from '../metadata/records';

/** The part of class-transformer's `MetadataStorage` the boot checks read. */
export interface TypeMetadataStore {
  /** The `@Type(() => Class)` of `property` on `target` (or a base class), if any. */
  findTypeMetadata(target: Constructor, property: string): { typeFunction(): unknown } | undefined;
}

let loaded: TypeMetadataStore | undefined;

function store(): TypeMetadataStore {
  return (loaded ??= (
    requireInternal('class-transformer', 'cjs/storage', () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal modules have no typed entry point
      require('class-transformer/cjs/storage'),
    ) as { defaultMetadataStorage: TypeMetadataStore }
  ).defaultMetadataStorage);
}

/** class-transformer's own store, loaded on first use. */
export const transformerStorage: TypeMetadataStore = {
  findTypeMetadata: (target, property) => store().findTypeMetadata(target, property),
};

/**
 * Fails with an `INCOMPATIBLE_DEPENDENCY` error naming class-transformer's version unless
 * `storage` (by default the store above) holds what `@Type()` records. Tests pass a stub.
 */
export function checkClassTransformerInternals(storage?: TypeMetadataStore): void {
  class ProbeChild {}
  class ProbeParent {
    child?: ProbeChild;
  }
  Type(() => ProbeChild)(ProbeParent.prototype, 'child');
  let found: unknown;
  try {
    found = (storage ?? store()).findTypeMetadata(ProbeParent, 'child')?.typeFunction();
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw incompatibleDependency(
      'class-transformer',
      `reading @Type() from its metadata store failed (${String(error)})`,
      error,
    );
  }
  if (found !== ProbeChild) {
    throw incompatibleDependency(
      'class-transformer',
      'its metadata store (cjs/storage, defaultMetadataStorage.findTypeMetadata) does not hold what @Type() records',
    );
  }
}
