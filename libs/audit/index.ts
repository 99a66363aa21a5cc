export * from './canonical-json.js';
export * from './audit-entry.js';
export * from './audit-log.js';
export * from './checkpoint.js';
