/*
 * Every use of class-transformer's private state, in one place: the store its decorators record
 * into and its default options are not on its public entry point; the boot checks of a DTO read
 * `@Type` from the store, and the compiled engine its `@Type`, `@Transform` and `@Expose` records.
 * `checkClassTransformerInternals` proves, when a kernel is created, that the store loaded here
 * is the one the public `@Type()` writes to.
 */
import { TransformationType, Type } from 'class-transformer';
import { incompatibleDependency, requireInternal } from '../dependencies/installedPackage';
import { ConfigurationError } from '../errors/ConfigurationError';
import { countCalls } from './metadataChanges';

/** One `@Type(() => X)` record. */
export interface TypeRecord {
  reflectedType: unknown;
  typeFunction?: (options?: unknown) => unknown;
  options?: { discriminator?: Discriminator; keepDiscriminatorProperty?: boolean };
}

/** `@Type`'s `discriminator` option: the property naming each value's subtype. */
export interface Discriminator {
  property: string;
  subTypes: { name: string; value: unknown }[];
}

/** One `@Expose()` or `@Exclude()` record. */
export interface ExposeRecord {
  propertyName: string | undefined;
  options?: { name?: string; groups?: string[] };
}

/** One `@Transform(fn)` record. */
export interface TransformRecord {
  transformFn: (params: TransformParams) => unknown;
  options?: { groups?: string[] };
}

/** What class-transformer hands a `@Transform` function. */
export interface TransformParams {
  value: unknown;
  key: string;
  obj: unknown;
  type: number;
  options: object;
}

type ClassMap<T> = Map<unknown, Map<string | undefined, T>>;

/** class-transformer's `MetadataStorage`, as far as fc-kernel reads it. */
export interface TransformerStorage {
  findTypeMetadata(target: object, property: string): TypeRecord | undefined;
  findTransformMetadatas(target: object, property: string, transformationType: number): TransformRecord[];
  findExposeMetadata(target: object, property: string): ExposeRecord | undefined;
  getExposedMetadatas(target: object): ExposeRecord[];
  getExposedProperties(target: object, transformationType: number): string[];
  getExcludedProperties(target: object, transformationType: number): string[];
  getStrategy(target: object): 'excludeAll' | 'exposeAll' | 'none';
  getAncestors(target: object): object[];
  _typeMetadatas: ClassMap<unknown>;
  _transformMetadatas: ClassMap<unknown>;
  _exposeMetadatas: ClassMap<unknown>;
}

let loaded: TransformerStorage | undefined;

/** class-transformer's own metadata store (`cjs/storage`), loaded on first use. */
export function transformerStorage(): TransformerStorage {
  return (loaded ??= (
    requireInternal('class-transformer', 'cjs/storage', () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal modules have no typed entry point
      require('class-transformer/cjs/storage'),
    ) as { defaultMetadataStorage: TransformerStorage }
  ).defaultMetadataStorage);
}

/**
 * Fails with an `INCOMPATIBLE_DEPENDENCY` error naming class-transformer's version unless
 * `storage` (by default the store above) holds what `@Type()` records. Tests pass a stub.
 */
export function checkClassTransformerInternals(storage?: Pick<TransformerStorage, 'findTypeMetadata'>): void {
  class ProbeChild {}
  class ProbeParent {
    child?: ProbeChild;
  }
  Type(() => ProbeChild)(ProbeParent.prototype, 'child');
  let found: unknown;
  try {
    found = (storage ?? transformerStorage()).findTypeMetadata(ProbeParent, 'child')?.typeFunction?.();
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
  const converted = transformKeyValue(new Set(['1']), Number, undefined, false);
  if (!Array.isArray(converted) || converted[0] !== 1) {
    throw incompatibleDependency(
      'class-transformer',
      'its executor (cjs/TransformOperationExecutor) does not transform a Set of strings into an array of numbers',
    );
  }
}

/** Counts, from now on, every record class-transformer's decorators write (see `metadataChanges`). */
export function watchTransformerMetadata(): void {
  const storage = transformerStorage();
  for (const method of ['addTypeMetadata', 'addTransformMetadata', 'addExposeMetadata', 'addExcludeMetadata']) {
    countCalls(storage, method);
  }
}

/**
 * What a `@Type` function answers whatever the event, or why that cannot be known at boot.
 * class-transformer calls it with the object being transformed; it is called here with an
 * object that notes every use, so a function that reads its options in any form (a parameter,
 * a defaulted or rest parameter, `arguments`) is decided per event, not by its arity.
 */
export function typeWithoutEvent(
  typeFunction: (options?: unknown) => unknown,
): { type: unknown } | { perEvent: 'reads its options' | 'throws' } {
  let touched = false;
  const noted = new Proxy(
    {},
    new Proxy(
      {},
      {
        get: (_handler, trap: keyof typeof Reflect) => {
          touched = true;
          return Reflect[trap];
        },
      },
    ),
  );
  let type: unknown;
  try {
    type = typeFunction(noted);
  } catch {
    return { perEvent: touched ? 'reads its options' : 'throws' };
  }
  return touched ? { perEvent: 'reads its options' } : { type };
}

interface ExecutorInternals {
  transform(source: undefined, value: unknown, targetType: unknown, arrayType: unknown, isMap: boolean): unknown;
}
type ExecutorClass = new (transformationType: number, options: object) => ExecutorInternals;
let executorClass: ExecutorClass | undefined;

/**
 * What class-transformer makes of one value of a key, given what its executor is given there:
 * the key's type, its array container and whether the value is a Map. `plainToInstance` gives
 * neither of the last two, so a value no JSON holds (a `Map`, a sparse array a `@Transform`
 * wrote) goes through its executor itself.
 */
export function transformKeyValue(
  value: unknown,
  targetType: unknown,
  arrayType: unknown,
  enableImplicitConversion: boolean,
): unknown {
  executorClass ??= (
    requireInternal('class-transformer', 'cjs/TransformOperationExecutor', () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal modules have no typed entry point
      require('class-transformer/cjs/TransformOperationExecutor'),
    ) as { TransformOperationExecutor: ExecutorClass }
  ).TransformOperationExecutor;
  const executor = new executorClass(TransformationType.PLAIN_TO_CLASS, transformOptions(enableImplicitConversion));
  return executor.transform(undefined, value, targetType, arrayType, value instanceof Map);
}

/** The options `plainToInstance` runs with when given only `enableImplicitConversion`. */
export function transformOptions(enableImplicitConversion: boolean): Record<string, unknown> {
  const { defaultOptions } = requireInternal('class-transformer', 'cjs/constants/default-options.constant', () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal modules have no typed entry point
    require('class-transformer/cjs/constants/default-options.constant'),
  ) as { defaultOptions: Record<string, unknown> };
  return { ...defaultOptions, enableImplicitConversion };
}

/**
 * Whether the private maps this engine enumerates are where class-transformer 0.5 keeps them.
 * When they are not, no plan can be trusted and every DTO keeps the reference engine.
 */
export function transformerInternalsReadable(): boolean {
  const s = transformerStorage() as Partial<TransformerStorage>;
  return (
    s._typeMetadatas instanceof Map &&
    s._transformMetadatas instanceof Map &&
    s._exposeMetadatas instanceof Map &&
    typeof s.getAncestors === 'function' &&
    typeof s.findTransformMetadatas === 'function' &&
    typeof s.getExposedMetadatas === 'function'
  );
}

/**
 * Every property name of `cls` and its ancestors that carries a `@Type`, `@Transform` or
 * `@Expose` record: the keys whose transformation class-transformer looks up in its store. Any
 * other key of an event is transformed without decorators.
 */
export function decoratedPropertyNames(cls: object): string[] {
  const names = new Set<string>();
  const s = transformerStorage();
  for (const target of [cls, ...s.getAncestors(cls)]) {
    for (const map of [s._typeMetadatas, s._transformMetadatas, s._exposeMetadatas]) {
      for (const name of map.get(target)?.keys() ?? []) if (name !== undefined) names.add(name);
    }
  }
  return [...names];
}
