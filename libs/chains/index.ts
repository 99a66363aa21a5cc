export * from './chain-definition.schema.js';
export * from './chain-lint.js';
export * from './chain-compiler.js';
export * from './chain-diagram.js';
export * from './content-check.js';
export * from './conditions.js';
export * from './signing.js';
export * from './chain-walk.js';
