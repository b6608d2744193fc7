declare module 'class-transformer/cjs/constants/default-options.constant' {
  /** The options every class-transformer operation starts from. */
  export const defaultOptions: object;
}
