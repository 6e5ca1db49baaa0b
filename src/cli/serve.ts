/** `debrief serve`: the web app and API on one port, over the local database. */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createAppContext, silentLogger, type Logger } from '../app/context.js';
import { loadSettings } from '../app/settings.js';
import { webRoot } from '../config.js';
import { buildServer, LOG_REDACT } from '../http/server.js';
import { standardJobs } from '../jobs/definitions.js';
import { JobRunner } from '../jobs/runner.js';
import { describeDatabase, openLocalDatabase } from './client.js';
import { CliError, describeError, EXIT_FAILURE, EXIT_USAGE, type CliIO } from './output.js';
import type { Program, Runtime } from './runtime.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function listenError(error: unknown, host: string, port: number): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(
        `port ${port} on ${host} is already in use; stop the other process or pick another --port`,
        EXIT_FAILURE,
      );
    case 'EACCES':
      return new CliError(
        `not allowed to listen on port ${port}; ports below 1024 need privileges, pick another --port`,
        EXIT_FAILURE,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new CliError(`--host ${host}: no such address on this machine`, EXIT_USAGE);
    default:
      return new CliError(`cannot listen on ${host}:${port}: ${describeError(error)}`, EXIT_FAILURE);
  }
}

/**
 * Resolves with the reason to stop: SIGINT, SIGTERM, or the injected abort signal. A second SIGINT or SIGTERM
 * during shutdown ends the process at once, as people expect from a second Ctrl-C.
 */
function stopRequested(io: CliIO): { reason: Promise<string>; dispose(): void } {
  let stopping = false;
  let settle: (reason: string) => void = () => undefined;
  const reason = new Promise<string>((resolve) => {
    settle = resolve;
  });
  const onSignal = (name: NodeJS.Signals): void => {
    if (stopping) {
      io.stderr.write(`Received ${name} again; exiting without waiting.\n`);
      process.exit(EXIT_FAILURE);
    }
    stopping = true;
    settle(name);
  };
  const onAbort = (): void => {
    stopping = true;
    settle('stop request');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (io.signal?.aborted) onAbort();
  else io.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    reason,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.signal?.removeEventListener('abort', onAbort);
    },
  };
}

export function registerServeCommand(program: Program, runtime: Runtime, version: string): void {
  const { io } = runtime;
  program
    .command('serve')
    .description('run the web app and API on the local database (SQLite in the data directory, or PostgreSQL)')
    .option('--port <port>', 'TCP port; 0 picks a free one', parsePort, 4000)
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--demo', 'load demo data into an empty database and print the demo sign-in')
    .addHelpText(
      'after',
      '\nEnvironment: DEBRIEF_LOG_LEVEL (info), DEBRIEF_SECURE_COOKIES (set behind HTTPS), DEBRIEF_TRUST_PROXY ' +
        '(set behind a reverse proxy).',
    )
    .action(async (opts, cmd) => {
      const config = runtime.config(cmd.optsWithGlobals());
      if (!LOG_LEVELS.includes(config.logLevel)) {
        throw new CliError(`DEBRIEF_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`, EXIT_USAGE);
      }
      const settings = loadSettings({ path: config.settingsPath, dataDir: config.dataDir });
      const stop = stopRequested(io);
      const database = await openLocalDatabase(config).catch((error: unknown) => {
        stop.dispose();
        throw error;
      });
      let server: FastifyInstance | undefined;
      let runner: JobRunner | undefined;
      try {
        // The use cases log through the server's pino logger, which exists only once the server is built.
        let log: Logger = silentLogger;
        const ctx = createAppContext(database, {
          settings,
          logger: {
            info: (obj, msg) => log.info(obj, msg),
            warn: (obj, msg) => log.warn(obj, msg),
            error: (obj, msg) => log.error(obj, msg),
          },
        });
        const logger: FastifyServerOptions['logger'] = {
          level: config.logLevel,
          redact: LOG_REDACT,
          ...(io.stdout === process.stdout ? {} : { stream: { write: (line: string) => void io.stdout.write(line) } }),
        };
        server = await buildServer(ctx, {
          logger,
          webRoot: webRoot(),
          secureCookies: config.secureCookies,
          trustProxy: config.trustProxy,
          version,
        });
        log = server.log;

        let demoSignIn: string | undefined;
        if (opts.demo) {
          const { loadDemoData } = await import('../app/demo.js');
          const demo = await loadDemoData(ctx, { log: (line) => void io.stderr.write(`${line}\n`) });
          if (!demo.loaded) {
            io.stderr.write(`The database already has ${demo.incidents} incidents; demo data was not loaded.\n`);
          }
          demoSignIn = `Demo sign-in: ${demo.signIn.email} / ${demo.signIn.password}\n`;
        }

        try {
          await server.listen({ port: opts.port, host: opts.host });
        } catch (error) {
          throw listenError(error, opts.host, opts.port);
        }
        runner = new JobRunner(ctx, standardJobs());
        await runner.start();
        const address = server.server.address();
        const port = typeof address === 'object' && address ? address.port : opts.port;
        io.stdout.write(`Debrief is ready at http://${urlHost(opts.host)}:${port} (${describeDatabase(database)})\n`);
        if (demoSignIn) io.stdout.write(demoSignIn);

        const reason = await stop.reason;
        io.stderr.write(`Received ${reason}; shutting down.\n`);
      } finally {
        stop.dispose();
        try {
          await runner?.stop();
          await server?.close();
        } finally {
          await database.close();
        }
      }
    });
}
