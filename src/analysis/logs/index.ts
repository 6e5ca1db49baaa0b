export * from './mask.js';
export * from './miner.js';
export * from './extract.js';
export * from './windows.js';
