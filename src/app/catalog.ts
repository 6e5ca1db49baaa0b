import { DebriefError, notFound, validationError } from '../domain/errors.js';
import { detectDependencyCycle, validateDependencies, validateServiceName } from '../domain/service-catalog.js';
import type { Principal, Service, ServiceTier, Team } from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import { read, transact, type AppContext } from './context.js';
import { authorize } from './guard.js';
import {
  createServiceInput,
  createTeamInput,
  updateServiceInput,
  updateTeamInput,
  type CreateServiceInput,
  type CreateTeamInput,
  type UpdateServiceInput,
  type UpdateTeamInput,
} from './inputs.js';
import { parseInput } from './validate.js';

async function checkTeam(repos: Repositories, team: string | null | undefined): Promise<void> {
  if (team && !(await repos.catalog.findTeam(team))) {
    throw validationError('team', `unknown team "${team}"; create it first`);
  }
}

async function checkGraph(repos: Repositories, service: Service): Promise<void> {
  const all = await repos.catalog.listServices();
  validateDependencies(
    service.name,
    service.dependencies,
    all.map((s) => s.name),
  );
  const graph = [...all.filter((s) => s.name !== service.name), service];
  const cycle = detectDependencyCycle(graph);
  if (cycle) throw validationError('dependencies', `would create a dependency cycle: ${cycle.join(' → ')}`);
}

export async function listServices(ctx: AppContext, actor: Principal): Promise<Service[]> {
  authorize(actor, 'service.read');
  return read(ctx).catalog.listServices();
}

export async function getService(ctx: AppContext, actor: Principal, name: string): Promise<Service> {
  authorize(actor, 'service.read');
  const service = await read(ctx).catalog.findService(name);
  if (!service) throw notFound('service', name);
  return service;
}

/** Adds a service to the catalog. */
export async function createService(ctx: AppContext, actor: Principal, raw: CreateServiceInput): Promise<Service> {
  const input = parseInput(createServiceInput, raw);
  validateServiceName(input.name);
  return transact(ctx, async (tx) => {
    authorize(actor, 'service.write');
    if (await tx.repos.catalog.findService(input.name)) {
      throw new DebriefError('DEBRIEF_ERR_ALREADY_EXISTS', `service "${input.name}" already exists`, { field: 'name' });
    }
    await checkTeam(tx.repos, input.team);
    const service: Service = {
      id: newId(),
      name: input.name,
      displayName: input.displayName?.trim() || input.name,
      description: input.description,
      team: input.team ?? null,
      tier: input.tier as ServiceTier,
      runbookUrl: input.runbookUrl ?? null,
      owners: [...new Set(input.owners)],
      dependencies: input.dependencies,
      createdAt: tx.now,
      updatedAt: tx.now,
      version: 1,
    };
    await checkGraph(tx.repos, service);
    await tx.repos.catalog.insertService(service);
    await tx.audit(actor, 'service.create', 'service', service.name, null, service);
    return service;
  });
}

/** Changes a service; `version` must match the stored one. */
export async function updateService(
  ctx: AppContext,
  actor: Principal,
  name: string,
  raw: UpdateServiceInput,
): Promise<Service> {
  const input = parseInput(updateServiceInput, raw);
  return transact(ctx, async (tx) => {
    authorize(actor, 'service.write');
    const before = await tx.repos.catalog.findService(name);
    if (!before) throw notFound('service', name);
    const conflict = () =>
      new DebriefError(
        'DEBRIEF_ERR_VERSION_CONFLICT',
        `service "${name}" was changed by someone else (now version ${before.version}, you sent ${input.version}); reload and retry`,
        { field: 'version' },
      );
    if (before.version !== input.version) throw conflict();
    await checkTeam(tx.repos, input.team);
    const after: Service = {
      ...before,
      ...(input.displayName !== undefined ? { displayName: input.displayName.trim() || before.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.team !== undefined ? { team: input.team } : {}),
      ...(input.tier !== undefined ? { tier: input.tier as ServiceTier } : {}),
      ...(input.runbookUrl !== undefined ? { runbookUrl: input.runbookUrl } : {}),
      ...(input.owners !== undefined ? { owners: [...new Set(input.owners)] } : {}),
      ...(input.dependencies !== undefined ? { dependencies: input.dependencies } : {}),
      updatedAt: tx.now,
      version: before.version + 1,
    };
    await checkGraph(tx.repos, after);
    if (!(await tx.repos.catalog.updateService(after, before.version))) throw conflict();
    await tx.audit(actor, 'service.update', 'service', name, before, after);
    return after;
  });
}

export async function listTeams(ctx: AppContext, actor: Principal): Promise<Team[]> {
  authorize(actor, 'service.read');
  return read(ctx).catalog.listTeams();
}

export async function createTeam(ctx: AppContext, actor: Principal, raw: CreateTeamInput): Promise<Team> {
  const input = parseInput(createTeamInput, raw);
  validateServiceName(input.name);
  return transact(ctx, async (tx) => {
    authorize(actor, 'service.write');
    if (await tx.repos.catalog.findTeam(input.name)) {
      throw new DebriefError('DEBRIEF_ERR_ALREADY_EXISTS', `team "${input.name}" already exists`, { field: 'name' });
    }
    const team: Team = {
      id: newId(),
      name: input.name,
      displayName: input.displayName?.trim() || input.name,
      members: [...new Set(input.members)],
      createdAt: tx.now,
      updatedAt: tx.now,
    };
    await tx.repos.catalog.insertTeam(team);
    await tx.audit(actor, 'team.create', 'team', team.name, null, team);
    return team;
  });
}

/**
 * Renames a team for display and/or replaces its members (emails, lowercased and deduplicated). A request that
 * changes nothing writes nothing.
 *
 * @example
 * await updateTeam(ctx, actor, 'payments', { members: ['ana@example.com', 'bo@example.com'] });
 */
export async function updateTeam(ctx: AppContext, actor: Principal, name: string, raw: UpdateTeamInput): Promise<Team> {
  const input = parseInput(updateTeamInput, raw);
  return transact(ctx, async (tx) => {
    authorize(actor, 'service.write');
    const before = await tx.repos.catalog.findTeam(name);
    if (!before) throw notFound('team', name);
    const displayName = input.displayName !== undefined ? input.displayName.trim() || before.name : before.displayName;
    const members = input.members !== undefined ? [...new Set(input.members)] : before.members;
    if (displayName === before.displayName && members.join('\n') === before.members.join('\n')) return before;
    const after: Team = { ...before, displayName, members, updatedAt: tx.now };
    if (!(await tx.repos.catalog.updateTeam(after))) throw notFound('team', name);
    await tx.audit(actor, 'team.update', 'team', name, before, after);
    return after;
  });
}
