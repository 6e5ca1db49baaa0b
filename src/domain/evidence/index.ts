export * from './change-correlation.js';
export * from './telemetry.js';
