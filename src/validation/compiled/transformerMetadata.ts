// class-transformer's decorator records. Its store, its default options and the private maps that
// list which properties carry `@Type` and `@Transform` are not on its public entry point: this is
// the one file that reaches them.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { defaultOptions } from 'class-transformer/cjs/constants/default-options.constant';

/** One `@Type(() => X)` record. */
export interface TypeRecord {
  reflectedType: unknown;
  typeFunction?: (options?: unknown) => unknown;
  options?: { discriminator?: unknown };
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

interface TransformerStorage {
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

/** class-transformer's metadata store, as this engine reads it. */
export const transformerStorage = defaultMetadataStorage as unknown as TransformerStorage;

/** The options `plainToInstance` runs with when given only `enableImplicitConversion`. */
export function transformOptions(enableImplicitConversion: boolean): Record<string, unknown> {
  return { ...(defaultOptions as Record<string, unknown>), enableImplicitConversion };
}

/**
 * Whether the private maps this engine enumerates are where class-transformer 0.5 keeps them.
 * When they are not, no plan can be trusted and every DTO keeps the reference engine.
 */
export function transformerInternalsReadable(): boolean {
  const s = transformerStorage as Partial<TransformerStorage>;
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
  const s = transformerStorage;
  for (const target of [cls, ...s.getAncestors(cls)]) {
    for (const map of [s._typeMetadatas, s._transformMetadatas, s._exposeMetadatas]) {
      for (const name of map.get(target)?.keys() ?? []) if (name !== undefined) names.add(name);
    }
  }
  return [...names];
}
