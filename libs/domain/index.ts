export * from './errors.js';
export * from './roles.js';
export * from './actor.js';
export * from './clock.js';
export * from './ids.js';
export * from './alarm-clock.port.js';
export * from './shanghai-time.js';
export * from './csv.js';
