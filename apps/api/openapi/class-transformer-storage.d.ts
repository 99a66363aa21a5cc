/** class-transformer keeps `@Type` metadata in a storage its index does not export (nor type). */
declare module 'class-transformer/cjs/storage.js' {
  export const defaultMetadataStorage: {
    findTypeMetadata(target: Function, property: string): { typeFunction?: () => unknown } | undefined;
  };
}
