/** `debrief user …`: people who sign in to the web app. */
import type { CreateUserInput } from '../app/inputs.js';
import type { UserView } from '../app/presenters.js';
import { formatTime, renderFields, renderTable, writeJson, type Column } from './output.js';
import { formatOption, type Program, type Runtime } from './runtime.js';

const ROLE_HELP = 'viewer | responder | reviewer | admin';

const USER_COLUMNS: Column<UserView>[] = [
  { header: 'EMAIL', value: (u) => u.email },
  { header: 'ROLE', value: (u) => u.role },
  { header: 'CREATED', value: (u) => formatTime(u.createdAt) },
  { header: 'STATUS', value: (u) => (u.disabledAt ? `disabled ${formatTime(u.disabledAt)}` : 'active') },
  { header: 'NAME', value: (u) => u.name },
];

export function registerUserCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const user = program.command('user').description('manage users (admin)');

  user
    .command('create')
    .description('create a user; without --password a password is generated and printed once')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <role>', ROLE_HELP)
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option(
      '--password <password>',
      'initial password, at least 8 characters (visible in shell history: prefer a generated one)',
    )
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const input: CreateUserInput = {
        email: opts.email,
        role: opts.role.toLowerCase() as CreateUserInput['role'],
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.password !== undefined ? { password: opts.password } : {}),
      };
      const created = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.createUser(input));
      if (opts.format === 'json') {
        writeJson(io.stdout, created);
        return;
      }
      const fields: [string, string][] = [
        ['Id', created.user.id],
        ['Email', created.user.email],
        ['Name', created.user.name],
        ['Role', created.user.role],
      ];
      if (created.generatedPassword) fields.push(['Password', created.generatedPassword]);
      io.stdout.write(`Created user ${created.user.email}\n${renderFields(fields, '  ')}`);
      if (created.generatedPassword) {
        io.stderr.write('The generated password is shown only this once; pass it on securely.\n');
      }
    });

  user
    .command('list')
    .description('list users')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const items = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.listUsers());
      if (opts.format === 'json') writeJson(io.stdout, { items });
      else io.stdout.write(items.length ? renderTable(USER_COLUMNS, items) : 'No users yet.\n');
    });
}
