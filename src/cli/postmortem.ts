import type { Program, Runtime } from './runtime.js';

export function registerPostmortemCommands(_program: Program, _runtime: Runtime): void {
  // Commands are added here.
}
