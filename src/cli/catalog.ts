/** `debrief service …` and `debrief team …`: the service catalog incidents refer to. */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import type { CreateServiceInput, CreateTeamInput, UpdateTeamInput } from '../app/inputs.js';
import type { Service, Team } from '../domain/types.js';
import {
  CliError,
  EXIT_USAGE,
  formatTime,
  orNone,
  renderFields,
  renderTable,
  writeJson,
  type Column,
} from './output.js';
import { collectList, formatOption, type Program, type Runtime } from './runtime.js';

const SERVICE_COLUMNS: Column<Service>[] = [
  { header: 'NAME', value: (s) => s.name },
  { header: 'TEAM', value: (s) => orNone(s.team) },
  { header: 'TIER', value: (s) => String(s.tier) },
  { header: 'DEPENDS ON', value: (s) => s.dependencies.join(', ') || '-' },
  { header: 'OWNERS', value: (s) => s.owners.join(', ') || '-' },
];

const TEAM_COLUMNS: Column<Team>[] = [
  { header: 'NAME', value: (t) => t.name },
  { header: 'DISPLAY NAME', value: (t) => t.displayName },
  { header: 'MEMBERS', value: (t) => t.members.join(', ') || '-' },
  { header: 'CREATED', value: (t) => formatTime(t.createdAt) },
];

function parseTier(value: string): number {
  if (!/^[1-4]$/.test(value.trim())) throw new InvalidArgumentError('must be 1, 2, 3 or 4.');
  return Number(value);
}

function teamFields(t: Team): [string, string][] {
  return [
    ['Name', t.name],
    ['Display name', t.displayName],
    ['Members', t.members.join(', ') || '-'],
  ];
}

function serviceFields(s: Service): [string, string][] {
  return [
    ['Name', s.name],
    ['Display name', s.displayName],
    ['Team', orNone(s.team)],
    ['Tier', String(s.tier)],
    ['Runbook', orNone(s.runbookUrl)],
    ['Owners', s.owners.join(', ') || '-'],
    ['Depends on', s.dependencies.join(', ') || '-'],
    ['Description', s.description || '-'],
    ['Version', String(s.version)],
  ];
}

export function registerCatalogCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const service = program.command('service').description('the service catalog');

  service
    .command('list')
    .description('list services')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const items = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.listServices());
      if (opts.format === 'json') writeJson(io.stdout, { items });
      else io.stdout.write(items.length ? renderTable(SERVICE_COLUMNS, items) : 'No services yet.\n');
    });

  service
    .command('show')
    .description('show one service')
    .argument('<name>', 'service name')
    .addOption(formatOption())
    .action(async (name, opts, cmd) => {
      const found = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.getService(name));
      if (opts.format === 'json') writeJson(io.stdout, found);
      else io.stdout.write(renderFields(serviceFields(found)));
    });

  service
    .command('create')
    .description('add a service to the catalog (reviewer or admin)')
    .requiredOption('--name <name>', 'slug: lowercase letters, digits and dashes, e.g. checkout')
    .option('--display-name <text>', 'human name (default: the slug)')
    .option('--description <text>', 'what it does')
    .option('--team <team>', 'owning team (create it with `debrief team create`)')
    .option('--tier <n>', '1 (most critical) to 4', parseTier)
    .option('--runbook <url>', 'runbook URL')
    .option('--owner <email>', 'owner email (repeatable, or a comma list)', collectList)
    .option('--depends-on <service>', 'a service this one depends on (repeatable, or a comma list)', collectList)
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const input: CreateServiceInput = {
        name: opts.name,
        ...(opts.displayName !== undefined ? { displayName: opts.displayName } : {}),
        ...(opts.description !== undefined ? { description: opts.description } : {}),
        ...(opts.team !== undefined ? { team: opts.team } : {}),
        ...(opts.tier !== undefined ? { tier: opts.tier } : {}),
        ...(opts.runbook !== undefined ? { runbookUrl: opts.runbook } : {}),
        ...(opts.owner !== undefined ? { owners: opts.owner } : {}),
        ...(opts.dependsOn !== undefined ? { dependencies: opts.dependsOn } : {}),
      };
      const created = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.createService(input));
      if (opts.format === 'json') writeJson(io.stdout, created);
      else io.stdout.write(`Created service ${created.name}\n${renderFields(serviceFields(created), '  ')}`);
    });

  const team = program.command('team').description('teams that own services');

  team
    .command('list')
    .description('list teams')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const items = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.listTeams());
      if (opts.format === 'json') writeJson(io.stdout, { items });
      else io.stdout.write(items.length ? renderTable(TEAM_COLUMNS, items) : 'No teams yet.\n');
    });

  team
    .command('create')
    .description('add a team (reviewer or admin)')
    .requiredOption('--name <name>', 'slug, e.g. payments')
    .option('--display-name <text>', 'human name')
    .option('--member <email>', 'member email (repeatable, or a comma list)', collectList)
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const input: CreateTeamInput = {
        name: opts.name,
        ...(opts.displayName ? { displayName: opts.displayName } : {}),
        ...(opts.member !== undefined ? { members: opts.member } : {}),
      };
      const created = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.createTeam(input));
      if (opts.format === 'json') writeJson(io.stdout, created);
      else io.stdout.write(`Created team ${created.name}\n`);
    });

  team
    .command('update')
    .description('rename a team or replace its members (reviewer or admin)')
    .argument('<name>', 'team name')
    .option('--display-name <text>', 'human name')
    .option('--member <email>', 'the new member list (repeatable, or a comma list; "" for none)', collectList)
    .addOption(formatOption())
    .action(async (name, opts, cmd) => {
      if (opts.displayName === undefined && opts.member === undefined) {
        throw new CliError('nothing to change: give --display-name and/or --member', EXIT_USAGE);
      }
      const input: UpdateTeamInput = {
        ...(opts.displayName !== undefined ? { displayName: opts.displayName } : {}),
        ...(opts.member !== undefined ? { members: opts.member } : {}),
      };
      const updated = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.updateTeam(name, input));
      if (opts.format === 'json') writeJson(io.stdout, updated);
      else io.stdout.write(`Updated team ${updated.name}\n${renderFields(teamFields(updated), '  ')}`);
    });
}
