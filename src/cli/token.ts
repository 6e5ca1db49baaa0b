/** `debrief token …`: API tokens for scripts, CI and `debrief --url`. */
import type { CreateTokenInput } from '../app/inputs.js';
import type { ApiToken } from '../domain/types.js';
import { formatTime, NONE, renderTable, writeJson, type Column } from './output.js';
import { formatOption, type Program, type Runtime } from './runtime.js';

const ROLE_HELP = 'viewer | responder | reviewer | admin';

function tokenState(token: ApiToken, now: number): string {
  if (token.revokedAt) return `revoked ${formatTime(token.revokedAt)}`;
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

export function registerTokenCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const token = program.command('token').description('manage API tokens (admin)');

  token
    .command('create')
    .description('create an API token; the secret is printed once (to stdout, alone, in text format)')
    .requiredOption('--name <name>', 'what the token is for, e.g. ci')
    .requiredOption('--role <role>', ROLE_HELP)
    .option('--expires <time>', 'expiry, ISO-8601 with a zone (default: never)')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const input: CreateTokenInput = {
        name: opts.name,
        role: opts.role.toLowerCase() as CreateTokenInput['role'],
        ...(opts.expires !== undefined ? { expiresAt: opts.expires } : {}),
      };
      const { token: secret, ...apiToken } = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.createToken(input),
      );
      if (opts.format === 'json') {
        writeJson(io.stdout, { token: secret, ...apiToken });
        return;
      }
      io.stdout.write(`${secret}\n`);
      const expiry = apiToken.expiresAt ? `, expires ${formatTime(apiToken.expiresAt)}` : '';
      io.stderr.write(
        `Created token "${apiToken.name}" (${apiToken.role}${expiry}, id ${apiToken.id}); the secret above is shown only this once.\n`,
      );
    });

  token
    .command('list')
    .description('list API tokens (secrets are never shown again)')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const items = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.listTokens());
      if (opts.format === 'json') {
        writeJson(io.stdout, { items });
        return;
      }
      const now = Date.now();
      const columns: Column<ApiToken>[] = [
        { header: 'ID', value: (t) => t.id },
        { header: 'NAME', value: (t) => t.name },
        { header: 'ROLE', value: (t) => t.role },
        { header: 'PREFIX', value: (t) => `${t.prefix}…` },
        { header: 'CREATED', value: (t) => formatTime(t.createdAt) },
        { header: 'LAST USED', value: (t) => formatTime(t.lastUsedAt) },
        { header: 'EXPIRES', value: (t) => (t.expiresAt ? formatTime(t.expiresAt) : NONE) },
        { header: 'STATE', value: (t) => tokenState(t, now) },
      ];
      io.stdout.write(items.length ? renderTable(columns, items) : 'No API tokens yet.\n');
    });

  token
    .command('revoke')
    .description('revoke an API token; it stops working at once')
    .argument('<id>', 'token id (see `debrief token list`)')
    .addOption(formatOption())
    .action(async (id, opts, cmd) => {
      const revoked = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.revokeToken(id.trim()));
      if (opts.format === 'json') writeJson(io.stdout, revoked);
      else io.stdout.write(`Revoked token "${revoked.name}" (${revoked.id}) at ${formatTime(revoked.revokedAt)}.\n`);
    });
}
