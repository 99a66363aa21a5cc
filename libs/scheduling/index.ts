export * from './scheduler-kind.js';
