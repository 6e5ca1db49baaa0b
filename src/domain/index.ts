export * from './types.js';
export * from './errors.js';
export * from './incident-key.js';
export * from './lifecycle.js';
export * from './durations.js';
export * from './access.js';
export * from './service-catalog.js';
export * from './evidence/index.js';
