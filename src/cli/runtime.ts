/**
 * What every command group shares: the global options, the configuration they produce, and a way to run an action
 * with a client that is always closed afterwards.
 */
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { loadConfig, type Config } from '../config.js';
import { openClient, type DebriefClient } from './client.js';
import { FORMATS, type CliIO } from './output.js';

export type GlobalOptions = {
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  url?: string | undefined;
};

export type Program = Command<[], GlobalOptions>;

/** The injected streams and environment, handed to every command group. */
export interface Runtime {
  io: CliIO;
  /** Settings from the environment with the global options laid over them. */
  config(options: GlobalOptions): Config;
  /** Runs `fn` with a client for the configuration and closes it whatever happens. */
  withClient<T>(options: GlobalOptions, fn: (client: DebriefClient) => Promise<T>): Promise<T>;
}

export function createRuntime(io: CliIO): Runtime {
  const config = (options: GlobalOptions): Config =>
    loadConfig({
      ...io.env,
      ...(options.dataDir !== undefined ? { DEBRIEF_DATA_DIR: options.dataDir } : {}),
      ...(options.databaseUrl !== undefined ? { DEBRIEF_DATABASE_URL: options.databaseUrl } : {}),
      ...(options.url !== undefined ? { DEBRIEF_URL: options.url } : {}),
    });
  return {
    io,
    config,
    async withClient(options, fn) {
      const client = await openClient(config(options));
      try {
        return await fn(client);
      } finally {
        await client.close();
      }
    },
  };
}

export function formatOption() {
  return new Option('--format <format>', 'output format').choices(FORMATS).default('text' as const);
}

/** `--limit 20`: a positive integer. */
export function parsePositiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError('must be a positive whole number.');
  }
  return Number(value);
}

/** Repeatable option that also takes comma lists: `--service a --service b,c` -> ['a', 'b', 'c']. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  ];
}

/** Accepts `INC-12`, `inc-12` and a bare `12`; anything else goes to the app, which reports it as not found. */
export function incidentKey(value: string): string {
  const trimmed = value.trim();
  return /^[1-9]\d*$/.test(trimmed) ? `INC-${trimmed}` : trimmed;
}
