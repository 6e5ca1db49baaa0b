/**
 * Readership of a postmortem: who opened it, who acknowledged reading it, and who is expected to — members of the
 * teams owning the impacted services, and the services' owners. Lessons only spread when people read them.
 */
import { principalLabel } from '../domain/access.js';
import { DebriefError } from '../domain/errors.js';
import type { Incident, Principal } from '../domain/types.js';
import type { Repositories } from '../store/repositories.js';
import { read, transact, type AppContext } from './context.js';
import { loadPostmortem } from './postmortem-common.js';
import type { ReadershipView } from './postmortem-views.js';

/** Expected readers with the teams that make them expected (empty for a service owner outside those teams). */
async function expectedReaders(repos: Repositories, incident: Incident): Promise<ReadershipView['expected']> {
  const byUser = new Map<string, Set<string>>();
  const expect = (user: string, team?: string) => {
    const teams = byUser.get(user) ?? new Set<string>();
    if (team !== undefined) teams.add(team);
    byUser.set(user, teams);
  };
  const teams = new Map((await repos.catalog.listTeams()).map((t) => [t.name, t]));
  for (const name of incident.services) {
    const service = await repos.catalog.findService(name);
    if (!service) continue;
    const team = service.team === null ? undefined : teams.get(service.team);
    for (const member of team?.members ?? []) expect(member, team?.name);
    for (const owner of service.owners) expect(owner);
  }
  return [...byUser.entries()]
    .map(([user, names]) => ({ user, teams: [...names].sort() }))
    .sort((a, b) => a.user.localeCompare(b.user, 'en'));
}

async function readership(repos: Repositories, incident: Incident, postmortemId: string): Promise<ReadershipView> {
  const [readers, acknowledgements, expected] = await Promise.all([
    repos.postmortems.listReaders(postmortemId),
    repos.postmortems.listAcknowledgements(postmortemId),
    expectedReaders(repos, incident),
  ]);
  const acknowledged = new Set(acknowledgements.map((a) => a.user));
  return {
    readers: readers.map((r) => ({
      user: r.user,
      views: r.views,
      firstViewedAt: r.firstViewedAt,
      lastViewedAt: r.lastViewedAt,
    })),
    acknowledgements: acknowledgements.map((a) => ({ user: a.user, at: a.at })),
    expected,
    pending: expected.filter((e) => !acknowledged.has(e.user)).map((e) => e.user),
  };
}

/**
 * Counts a view of the postmortem by the caller (first and last time, number of views). Views are readership
 * statistics, not decisions, so they are not written to the audit log, where every page load would bury the
 * entries that matter.
 *
 * @example
 * await recordView(ctx, viewer, 'INC-12');
 */
export async function recordView(ctx: AppContext, actor: Principal, key: string): Promise<void> {
  await transact(ctx, async (tx) => {
    const { postmortem } = await loadPostmortem(tx.repos, actor, key, 'postmortem.read');
    await tx.repos.postmortems.recordView(postmortem.id, principalLabel(actor), tx.now);
  });
}

/**
 * "I have read this" on a published postmortem (it also counts as a view). Acknowledging twice keeps the first.
 *
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (422) before it is published.
 * @example
 * const { pending } = await acknowledgePostmortem(ctx, viewer, 'INC-12');
 */
export async function acknowledgePostmortem(ctx: AppContext, actor: Principal, key: string): Promise<ReadershipView> {
  const label = principalLabel(actor);
  await transact(ctx, async (tx) => {
    const { incident, postmortem } = await loadPostmortem(tx.repos, actor, key, 'postmortem.acknowledge');
    if (postmortem.status !== 'published') {
      throw new DebriefError(
        'DEBRIEF_ERR_INVALID_TRANSITION',
        `status: the postmortem of ${incident.key} is ${postmortem.status}; acknowledge it once it is published`,
        { field: 'status' },
      );
    }
    await tx.repos.postmortems.recordView(postmortem.id, label, tx.now);
    if (await tx.repos.postmortems.acknowledge(postmortem.id, label, tx.now)) {
      await tx.audit(actor, 'postmortem.acknowledge', 'postmortem', incident.key, null, { user: label, at: tx.now });
    }
  });
  return getReadership(ctx, actor, key);
}

/**
 * Readers, acknowledgements, the people expected to read it and those still pending.
 *
 * @example
 * const { expected, pending } = await getReadership(ctx, actor, 'INC-12');
 */
export async function getReadership(ctx: AppContext, actor: Principal, key: string): Promise<ReadershipView> {
  const repos = read(ctx);
  const { incident, postmortem } = await loadPostmortem(repos, actor, key, 'postmortem.read');
  return readership(repos, incident, postmortem.id);
}
