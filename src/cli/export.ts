import type { Program, Runtime } from './runtime.js';

export function registerExportCommand(_program: Program, _runtime: Runtime): void {
  // The command is added here.
}
