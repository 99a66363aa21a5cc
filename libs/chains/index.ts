export * from './chain-definition.schema.js';
export * from './chain-lint.js';
export * from './chain-compiler.js';
export * from './chain-diagram.js';
export * from './content-check.js';
