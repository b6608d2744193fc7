declare module 'class-transformer/cjs/storage' {
  /** The store behind class-transformer's decorators (`@Type`, `@Expose`, ...). */
  export const defaultMetadataStorage: {
    findTypeMetadata(target: object, property: string): { typeFunction(): unknown } | undefined;
  };
}
