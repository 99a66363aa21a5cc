export * from './canonical-json.js';
export * from './audit-entry.js';
export * from './audit-log.js';
export * from './checkpoint.js';
export * from './trusted-keys.js';
export * from './merkle.js';
export * from './audit-tree.js';
