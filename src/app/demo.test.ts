import { beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect } from '../../test/harness/dialects.js';
import { countSentences, findSection, parseSections, stripPrompts } from '../analysis/postmortem/index.js';
import { POSTMORTEM_STATUSES } from '../domain/postmortem/types.js';
import type { Principal, TimelineEvent } from '../domain/types.js';
import { listAlerts } from './alerts.js';
import { listServices, listTeams } from './catalog.js';
import { listChanges, listSuspects } from './changes.js';
import { createAppContext, type AppContext } from './context.js';
import { STORIES } from './demo-postmortem-stories.js';
import { DEMO_SIGN_IN, loadDemoData, type DemoResult } from './demo.js';
import { login } from './identity.js';
import { getIncident, listIncidents } from './incidents.js';
import { getPostmortem, getReadership, listPostmortems, listRevisions } from './postmortems.js';
import type { PostmortemDetailView, ReadershipView } from './postmortem-views.js';
import type { IncidentView } from './presenters.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const ADMIN: Principal = { kind: 'system', name: 'test', role: 'admin' };

async function allIncidents(ctx: AppContext): Promise<IncidentView[]> {
  return (await listIncidents(ctx, ADMIN, { limit: 200 })).items;
}

async function allChanges(ctx: AppContext) {
  const page = await listChanges(ctx, ADMIN, { limit: 200 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

async function allSignals(ctx: AppContext) {
  const page = await listAlerts(ctx, ADMIN, { limit: 200 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

const isOpen = (i: IncidentView): boolean => i.status === 'investigating' || i.status === 'mitigated';
/** Where suspects are measured from: impact start, else detection, else declaration. */
const referenceOf = (i: IncidentView): string => i.impactStartedAt ?? i.detectedAt ?? i.declaredAt;
const identityOf = (labels: Record<string, string>): string =>
  [labels.alertname, labels.service, labels.severity].join('/');
const DAY = 24 * 3600 * 1000;

async function allPostmortems(ctx: AppContext) {
  const page = await listPostmortems(ctx, ADMIN, { limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

describeEachDialect('demo data', (db) => {
  let ctx: AppContext;
  let first: DemoResult;
  let incidents: IncidentView[];
  const timelines = new Map<string, TimelineEvent[]>();
  const postmortems = new Map<string, PostmortemDetailView>();
  const readership = new Map<string, ReadershipView>();
  const lines: string[] = [];

  beforeAll(async () => {
    ctx = createAppContext(db.database, { now: () => NOW });
    first = await loadDemoData(ctx, { now: NOW, log: (line) => lines.push(line) });
    incidents = await allIncidents(ctx);
    for (const incident of incidents) {
      timelines.set(incident.key, (await getIncident(ctx, ADMIN, incident.key, { timeline: true })).timeline ?? []);
    }
    for (const { incident } of await allPostmortems(ctx)) {
      postmortems.set(incident.key, await getPostmortem(ctx, ADMIN, incident.key));
      readership.set(incident.key, await getReadership(ctx, ADMIN, incident.key));
    }
  });

  const timelineOf = (key: string): TimelineEvent[] => timelines.get(key) ?? [];
  const withStatus = (status: string): PostmortemDetailView[] =>
    [...postmortems.values()].filter((p) => p.postmortem.status === status);
  const published = (): PostmortemDetailView[] => withStatus('published');

  it('loads a catalog of about six services and about forty incidents', async () => {
    expect(first.loaded).toBe(true);
    expect(first.services).toBe(6);
    expect((await listServices(ctx, ADMIN)).map((s) => s.name).sort()).toEqual([
      'api-gateway',
      'auth',
      'checkout',
      'notifications',
      'payments',
      'search',
    ]);
    expect(first.incidents).toBeGreaterThanOrEqual(35);
    expect(first.incidents).toBeLessThanOrEqual(45);
    expect(incidents).toHaveLength(first.incidents);
    expect(first.signIn).toEqual(DEMO_SIGN_IN);
  });

  it('reports progress and a done line with counts and elapsed time', () => {
    expect(lines[0]).toMatch(/^Loading demo data: .*\d+ incidents…$/);
    expect(lines.at(-1)).toMatch(
      /^Demo data loaded in \d+\.\d s: \d+ incidents, 6 services, \d+ people, \d+ postmortems \(\d+ published, \d+ in review, \d+ drafts\)\.$/,
    );
  });

  it('loads nothing when incidents already exist', async () => {
    const before = await allPostmortems(ctx);
    const audits = await db.database.db.selectFrom('audit_events').select('id').execute();
    const again = await loadDemoData(ctx, { now: NOW });
    expect(again).toEqual({ loaded: false, incidents: first.incidents, services: 6, signIn: DEMO_SIGN_IN });
    expect(await allIncidents(ctx)).toHaveLength(first.incidents);
    expect(await allPostmortems(ctx)).toEqual(before);
    expect(await db.database.db.selectFrom('audit_events').select('id').execute()).toHaveLength(audits.length);
  });

  it('gives the same incidents for the same now on a fresh database', async () => {
    const other = await createTestDatabase(db.dialect);
    try {
      const otherCtx = createAppContext(other, { now: () => NOW });
      await loadDemoData(otherCtx, { now: NOW });
      const shape = (list: IncidentView[]) =>
        list.map((i) => ({
          key: i.key,
          title: i.title,
          severity: i.severity,
          status: i.status,
          detectedAt: i.detectedAt,
        }));
      expect(shape(await allIncidents(otherCtx))).toEqual(shape(incidents));
      const changeShape = async (c: AppContext) =>
        (await allChanges(c)).map((ch) => [ch.at, ch.service, ch.kind, ch.version, ch.description].join('|')).sort();
      expect(await changeShape(otherCtx)).toEqual(await changeShape(ctx));
      const signalShape = async (c: AppContext) =>
        (await allSignals(c)).map((s) => [s.fingerprint, s.status, s.startsAt, s.endsAt, s.incident].join('|')).sort();
      expect(await signalShape(otherCtx)).toEqual(await signalShape(ctx));
      const postmortemShape = async (c: AppContext) => {
        const items = await allPostmortems(c);
        const bodies = await Promise.all(
          items.map(async (i) => (await getPostmortem(c, ADMIN, i.incident.key)).postmortem.body),
        );
        return items.map((i, n) => [i.incident.key, i.status, i.score, i.publishedAt, bodies[n]].join('|')).sort();
      };
      expect(await postmortemShape(otherCtx)).toEqual(await postmortemShape(ctx));
    } finally {
      await other.drop();
    }
  });

  it('lets the demo user sign in as an admin', async () => {
    const session = await login(ctx, DEMO_SIGN_IN);
    expect(session.user).toMatchObject({ email: DEMO_SIGN_IN.email, role: 'admin' });
  });

  it('mixes severities, types, visibility and statuses like a real quarter', () => {
    const count = (pick: (i: IncidentView) => string) =>
      incidents.reduce<Record<string, number>>((m, i) => ({ ...m, [pick(i)]: (m[pick(i)] ?? 0) + 1 }), {});
    const severities = count((i) => i.severity);
    expect(severities.SEV1 ?? 0).toBeGreaterThanOrEqual(1);
    expect(severities.SEV1 ?? 0).toBeLessThan(severities.SEV3 ?? 0);
    expect(severities.SEV1 ?? 0).toBeLessThan(severities.SEV4 ?? 0);
    const types = count((i) => i.type);
    expect(types.standard).toBeGreaterThan(incidents.length / 2);
    expect(Object.keys(types).sort()).toEqual(['exercise', 'near_miss', 'security', 'standard']);
    const statuses = count((i) => i.status);
    expect((statuses.closed ?? 0) + (statuses.resolved ?? 0)).toBeGreaterThan(incidents.length * 0.8);
    expect((statuses.investigating ?? 0) + (statuses.mitigated ?? 0)).toBeGreaterThanOrEqual(2);
    const privates = incidents.filter((i) => i.visibility === 'private');
    expect(privates.length).toBeGreaterThanOrEqual(2);
    expect(privates.length).toBeLessThanOrEqual(3);
    for (const incident of privates) expect(incident.members.length).toBeGreaterThan(0);
    const oldest = Math.min(...incidents.map((i) => Date.parse(i.declaredAt)));
    expect(NOW.getTime() - oldest).toBeLessThanOrEqual(90 * 24 * 3600 * 1000);
    expect(NOW.getTime() - oldest).toBeGreaterThan(60 * 24 * 3600 * 1000);
  });

  it('keeps open incidents recent and numbers incidents in declaration order', () => {
    const open = incidents.filter((i) => i.status === 'investigating' || i.status === 'mitigated');
    for (const incident of open) {
      expect(NOW.getTime() - Date.parse(incident.declaredAt)).toBeLessThan(2 * 24 * 3600 * 1000);
    }
    const byNumber = [...incidents].sort((a, b) => a.number - b.number);
    expect(byNumber.map((i) => i.declaredAt)).toEqual(byNumber.map((i) => i.declaredAt).sort());
  });

  it('gives every incident a realistic timeline, with lifecycle times in order', async () => {
    let pinnedIncidents = 0;
    for (const summary of incidents) {
      const incident = await getIncident(ctx, ADMIN, summary.key, { timeline: true });
      const timeline = incident.timeline ?? [];
      expect(timeline.length, incident.key).toBeGreaterThanOrEqual(4);
      const kinds = new Set(timeline.map((e) => e.kind));
      for (const kind of ['alert', 'page', 'change', 'chat', 'status'])
        expect(kinds, `${incident.key} ${kind}`).toContain(kind);
      const alert = timeline.find((e) => e.kind === 'alert' && e.marker === 'detected');
      expect(alert?.source).toBe('alertmanager');
      expect(Object.keys(alert?.labels ?? {}).sort()).toEqual(['alertname', 'service', 'severity']);
      expect(alert?.at).toBe(incident.detectedAt);
      for (const event of timeline) expect(Date.parse(event.at)).toBeLessThanOrEqual(NOW.getTime());
      expect(incident.roles.commander).not.toBeNull();
      expect(incident.acknowledgedAt).not.toBeNull();
      if (timeline.some((e) => e.pinned)) pinnedIncidents++;

      if (incident.status === 'resolved' || incident.status === 'closed') {
        const { detectedAt, mitigatedAt, resolvedAt } = incident;
        expect(detectedAt && mitigatedAt && resolvedAt, incident.key).toBeTruthy();
        expect(Date.parse(detectedAt ?? '')).toBeLessThanOrEqual(Date.parse(mitigatedAt ?? ''));
        expect(Date.parse(mitigatedAt ?? '')).toBeLessThanOrEqual(Date.parse(resolvedAt ?? ''));
        const markers = timeline.map((e) => e.marker).filter((m) => m !== null && m !== 'key_moment');
        expect(new Set(markers).size, `${incident.key} has each marker once`).toBe(markers.length);
        expect(markers).toEqual(expect.arrayContaining(['detected', 'acknowledged', 'mitigated', 'resolved']));
      }
    }
    expect(pinnedIncidents).toBeGreaterThan(incidents.length / 2);
  });

  it('records deploys and config changes through the changes pipeline, each on a timeline at most once', async () => {
    const changes = await allChanges(ctx);
    expect(changes.length).toBeGreaterThan(incidents.length * 2);
    expect(new Set(changes.map((c) => c.kind))).toEqual(new Set(['deploy', 'config', 'flag']));
    for (const change of changes) expect(Date.parse(change.at)).toBeLessThanOrEqual(NOW.getTime());
    const known = new Set(changes.map((c) => c.id));
    let showing = 0;
    for (const incident of incidents) {
      const ids = timelineOf(incident.key).flatMap((e) => (e.labels.change_id ? [e.labels.change_id] : []));
      if (ids.length > 0) showing++;
      expect(new Set(ids).size, `${incident.key} shows each change once`).toBe(ids.length);
      for (const id of ids) expect(known.has(id)).toBe(true);
    }
    // A tabletop exercise changes nothing that runs; every other incident shows recorded changes.
    expect(showing).toBeGreaterThan(incidents.length * 0.9);
  });

  it('ranks the change behind an incident as its top suspect for most incidents, among others', async () => {
    let withCause = 0;
    let causeFirst = 0;
    let crowded = 0;
    for (const incident of incidents) {
      const reference = referenceOf(incident);
      const cause = timelineOf(incident.key).find(
        (e) => e.kind === 'change' && e.labels.change_id !== undefined && e.at <= reference,
      );
      const { items } = await listSuspects(ctx, ADMIN, incident.key);
      if (items.length >= 3) crowded++;
      if (!cause) continue;
      withCause++;
      expect(
        items.map((s) => s.change.id),
        incident.key,
      ).toContain(cause.labels.change_id);
      if (items[0]?.change.id === cause.labels.change_id) causeFirst++;
    }
    expect(withCause).toBeGreaterThan(incidents.length * 0.8);
    expect(causeFirst).toBeGreaterThanOrEqual(withCause * 0.8);
    expect(crowded).toBeGreaterThan(incidents.length / 2);
  });

  it('routes alerts through the alert pipeline: signals on their incidents, firing then resolved', async () => {
    const signals = await allSignals(ctx);
    const byKey = new Map(incidents.map((i) => [i.key, i]));
    // A recurring alert is one signal (one fingerprint), on the latest incident it fired for.
    const latest = new Map<string, IncidentView>();
    for (const incident of [...incidents].sort((a, b) => a.number - b.number)) {
      const firing = timelineOf(incident.key).filter((e) => e.kind === 'alert' && e.title.includes(' firing: '));
      for (const alert of firing) latest.set(identityOf(alert.labels), incident);
    }
    expect(signals).toHaveLength(latest.size);
    expect(new Set(signals.map((s) => s.incident)).size).toBeGreaterThan(incidents.length / 2);
    for (const signal of signals) {
      expect(signal.source).toBe('alertmanager');
      expect(signal.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(signal.groupKey).toBe(`{}:{alertname="${signal.labels.alertname}", service="${signal.service}"}`);
      const incident = byKey.get(signal.incident ?? '');
      expect(incident?.key, signal.title).toBe(latest.get(identityOf(signal.labels))?.key);
      if (incident && !isOpen(incident)) {
        expect(signal.status, signal.title).toBe('resolved');
        expect(Date.parse(signal.endsAt ?? '')).toBeGreaterThan(Date.parse(signal.startsAt));
      }
    }
    for (const incident of incidents.filter(isOpen)) {
      const own = await listAlerts(ctx, ADMIN, { incident: incident.key });
      expect(own.items.length, incident.key).toBeGreaterThanOrEqual(1);
      if (incident.status === 'investigating') expect(own.items.map((s) => s.status)).toContain('firing');
    }
    for (const incident of incidents.filter((i) => !isOpen(i))) {
      const alerts = timelineOf(incident.key).filter((e) => e.kind === 'alert');
      const firing = alerts.filter((e) => e.title.includes(' firing: '));
      expect(firing.length, incident.key).toBeGreaterThanOrEqual(1);
      for (const alert of firing) {
        const cleared = alerts.find(
          (e) => e.title.includes(' resolved: ') && identityOf(e.labels) === identityOf(alert.labels),
        );
        expect(cleared, `${incident.key} ${alert.title}`).toBeDefined();
        expect(Date.parse(cleared?.at ?? '')).toBeGreaterThan(Date.parse(alert.at));
      }
    }
  });

  it('audits every write at the time it happened: the incidents as the demo principal, postmortems as people', async () => {
    const rows = await db.database.db.selectFrom('audit_events').select(['actor', 'at', 'action']).execute();
    expect(rows.length).toBeGreaterThan(incidents.length * 5);
    const demoRows = rows.filter((r) => r.action !== 'session.create');
    for (const row of demoRows) expect(Date.parse(row.at)).toBeLessThanOrEqual(NOW.getTime());
    const users = await db.database.db.selectFrom('users').select('email').execute();
    const people = new Set(users.map((u) => u.email).filter((e) => e !== DEMO_SIGN_IN.email));
    const actors = new Set(demoRows.map((r) => r.actor));
    expect([...actors].filter((a) => a !== 'system:demo' && !people.has(a))).toEqual([]);
    // The signed-in demo admin finds the history made by others, with work left for them to do.
    expect(actors.has(DEMO_SIGN_IN.email)).toBe(false);
    const byPeople = demoRows.filter((r) => people.has(r.actor)).map((r) => r.action);
    for (const action of ['postmortem.edit', 'postmortem.request_review', 'postmortem.review', 'postmortem.publish']) {
      expect(byPeople, action).toContain(action);
    }
    const drafts = demoRows.filter((r) => r.action === 'postmortem.draft');
    expect(new Set(drafts.map((r) => r.actor))).toEqual(new Set(['system:demo']));
  });

  it("fills each team's members from its people and gives every service an owner who may review", async () => {
    const teams = await listTeams(ctx, ADMIN);
    const members = Object.fromEntries(teams.map((t) => [t.name, [...t.members].sort()]));
    expect(members).toEqual({
      commerce: ['ana.souza@debrief.local', 'eli.haddad@debrief.local'],
      discovery: ['chen.wei@debrief.local', 'farah.nasser@debrief.local'],
      platform: ['ben.okafor@debrief.local', 'dana.kowalski@debrief.local', DEMO_SIGN_IN.email],
    });
    const users = await db.database.db.selectFrom('users').select(['email', 'role']).execute();
    const reviewers = new Set(users.filter((u) => u.role === 'reviewer' || u.role === 'admin').map((u) => u.email));
    for (const service of await listServices(ctx, ADMIN)) {
      expect(
        service.owners.some((o) => reviewers.has(o)),
        service.name,
      ).toBe(true);
    }
  });

  it('has a postmortem for every resolved incident, in every status of the workflow', () => {
    const resolved = incidents.filter((i) => i.status === 'resolved' || i.status === 'closed');
    expect([...postmortems.keys()].sort()).toEqual(resolved.map((i) => i.key).sort());
    const statuses = new Set([...postmortems.values()].map((p) => p.postmortem.status));
    expect([...statuses].sort()).toEqual([...POSTMORTEM_STATUSES].sort());
    expect(published().length).toBeGreaterThan(postmortems.size / 2);
    expect(withStatus('in_review').length).toBeGreaterThanOrEqual(2);
    expect(withStatus('draft').length).toBeGreaterThanOrEqual(2);
  });

  it('writes up most incidents resolved over ten days ago, and leaves recent ones as the composed draft', async () => {
    let written = 0;
    let older = 0;
    for (const [key, detail] of postmortems) {
      const resolvedAt = Date.parse(detail.postmortem.incident.resolvedAt ?? '');
      const revisions = await listRevisions(ctx, ADMIN, key);
      if (NOW.getTime() - resolvedAt < 10 * DAY) {
        expect(detail.postmortem.status, key).toBe('draft');
        expect(revisions, key).toHaveLength(1);
        continue;
      }
      older++;
      if (revisions.length > 1) written++;
    }
    expect(written).toBeGreaterThan(older * 0.8);
    expect(written).toBeLessThan(older);
  });

  it('tells each story in its own words: every scenario has one, and written sections are filled', () => {
    for (const incident of incidents) expect(Object.keys(STORIES), incident.title).toContain(incident.title);
    for (const detail of [...published(), ...withStatus('approved'), ...withStatus('in_review')]) {
      const key = detail.postmortem.incident.key;
      const filled = new Set(detail.sections.filter((s) => s.filled).map((s) => s.id));
      for (const id of ['tldr', 'impact', 'timeline', 'contributing-factors', 'what-went-well', 'what-went-wrong']) {
        expect(filled, `${key} ${id}`).toContain(id);
      }
      for (const id of ['where-we-got-lucky', 'lessons', 'action-items', 'supporting-information']) {
        expect(filled, `${key} ${id}`).toContain(id);
      }
      const tldr = findSection(parseSections(detail.postmortem.body), 'tldr');
      const sentences = countSentences(stripPrompts(tldr?.content ?? ''));
      expect(sentences, key).toBeGreaterThanOrEqual(3);
      expect(sentences, key).toBeLessThanOrEqual(5);
      expect(detail.factors.length, key).toBeGreaterThanOrEqual(2);
      expect(detail.factors.length, key).toBeLessThanOrEqual(3);
      for (const factor of detail.factors) expect(factor.category, `${key} ${factor.description}`).not.toBeNull();
      expect(detail.postmortem.body, key).not.toContain('confirm or delete');
      expect(detail.actionItems.length, key).toBeGreaterThanOrEqual(2);
      for (const item of detail.actionItems) {
        expect(['mitigate', 'prevent', 'detect', 'process'], key).toContain(item.type);
        expect(item.priority, key).toMatch(/^P[123]$/);
        expect(item.ticket, key).toMatch(/^https:\/\/tracker\.example\.com\/browse\/[A-Z]+-\d+$/);
      }
      // The evidence the draft was composed from stays as it was.
      expect(detail.postmortem.body, key).toContain('| Time (UTC) | Event | Source |');
      expect(detail.postmortem.body, key).toContain('### Services');
    }
  });

  it('keeps every postmortem free of blame language', () => {
    for (const [key, detail] of postmortems) expect(detail.lint, key).toEqual([]);
  });

  it('publishes only what passed its gates: approvals (an owner for SEV1/SEV2), no blame, every finding handled', () => {
    for (const detail of published()) {
      const key = detail.postmortem.incident.key;
      expect(
        detail.blockers.filter((b) => b.gate !== 'status'),
        key,
      ).toEqual([]);
      expect(detail.approvals.met, key).toBe(true);
      expect(
        detail.redaction.every((f) => f.waiver !== null),
        key,
      ).toBe(true);
      expect(detail.publication?.publishedBy, key).toMatch(/@debrief\.local$/);
      const approvers = detail.reviews.filter((r) => r.decision === 'approve' && r.round === detail.postmortem.round);
      expect(
        approvers.map((r) => r.reviewer),
        key,
      ).not.toContain(detail.postmortem.reviewRequestedBy);
      if (detail.postmortem.incident.severity === 'SEV1' || detail.postmortem.incident.severity === 'SEV2') {
        expect(approvers.length, key).toBeGreaterThanOrEqual(2);
        expect(detail.approvals.ownerApproved, key).toBe(true);
      }
    }
  });

  it('shows the review at work: requested changes with a comment, a revision that answered them, open reviews', () => {
    const [sentBack] = withStatus('changes_requested');
    expect(sentBack?.reviews.at(-1)).toMatchObject({ decision: 'request_changes' });
    expect(sentBack?.comments.some((c) => c.section === 'action-items' && c.resolvedAt === null)).toBe(true);
    const answered = published().find((p) => p.reviews.some((r) => r.decision === 'request_changes'));
    expect(answered?.postmortem.round).toBe(2);
    expect(answered?.comments.every((c) => c.resolvedAt !== null)).toBe(true);
    const waiting = withStatus('in_review');
    expect(waiting.some((p) => p.reviews.some((r) => r.decision === 'approve'))).toBe(true);
    expect(waiting.some((p) => p.comments.length > 0)).toBe(true);
    const [approved] = withStatus('approved');
    expect(approved?.blockers.map((b) => b.gate)).toEqual([]);
  });

  it('handles sensitive text: a pasted token redacted, colleagues and vendor contacts waived with reasons', async () => {
    const redacted = published().filter((p) => p.postmortem.body.includes('[REDACTED:'));
    expect(redacted.length).toBeGreaterThanOrEqual(1);
    expect(redacted[0]?.postmortem.body).toMatch(/Authorization: Bearer \[REDACTED:[a-z-]+\]/);
    const actions = await db.database.db.selectFrom('audit_events').select('action').execute();
    expect(actions.map((a) => a.action)).toContain('postmortem.redact');
    const waivers = published().flatMap((p) => p.waivers);
    expect(waivers.length).toBeGreaterThan(0);
    for (const waiver of waivers) expect(waiver.reason.length).toBeGreaterThan(10);
    expect(new Set(waivers.map((w) => w.kind)).size).toBeGreaterThanOrEqual(2);
  });

  it('scores quality with variety: late and incomplete postmortems lose points, reviewers score too', () => {
    const scores = [...postmortems.values()].map((p) => p.quality.score);
    expect(new Set(scores).size).toBeGreaterThanOrEqual(4);
    expect(Math.max(...scores)).toBe(100);
    const failed = (p: PostmortemDetailView, id: string) => p.quality.items.some((i) => i.id === id && !i.passed);
    expect(published().some((p) => failed(p, 'published_on_time'))).toBe(true);
    expect(published().some((p) => failed(p, 'action_items'))).toBe(true);
    expect(published().filter((p) => p.quality.score === 100).length).toBeGreaterThan(published().length / 2);
    const reviewerScores = published().flatMap((p) =>
      p.quality.reviewerScore === null ? [] : [p.quality.reviewerScore],
    );
    expect(new Set(reviewerScores).size).toBeGreaterThanOrEqual(2);
  });

  it('has published postmortems read and acknowledged by their teams, with some readers still pending', () => {
    let acknowledged = 0;
    let pending = 0;
    for (const detail of published()) {
      const key = detail.postmortem.incident.key;
      const view = readership.get(key);
      expect(view?.expected.length, key).toBeGreaterThan(0);
      expect(view?.readers.length, key).toBeGreaterThan(0);
      for (const ack of view?.acknowledgements ?? []) {
        expect(
          view?.readers.map((r) => r.user),
          key,
        ).toContain(ack.user);
      }
      acknowledged += view?.acknowledgements.length ?? 0;
      pending += view?.pending.length ?? 0;
    }
    expect(acknowledged).toBeGreaterThan(published().length);
    expect(pending).toBeGreaterThan(0);
    // The demo admin is on the platform team: its published postmortems wait for them to read.
    const platform = published().filter((p) => p.postmortem.incident.services.some((s) => s === 'auth'));
    expect(platform.length).toBeGreaterThan(0);
    for (const detail of platform) {
      expect(readership.get(detail.postmortem.incident.key)?.pending).toContain(DEMO_SIGN_IN.email);
    }
  });

  it('lets the people who wrote and reviewed private postmortems see them, and nobody else', async () => {
    const privates = incidents.filter((i) => i.visibility === 'private' && postmortems.has(i.key));
    expect(privates.length).toBeGreaterThan(0);
    for (const incident of privates) {
      const detail = postmortems.get(incident.key);
      const stored = await getIncident(ctx, ADMIN, incident.key);
      const insiders = new Set([...stored.members, ...Object.values(stored.roles).filter((r) => r !== null)]);
      for (const review of detail?.reviews ?? []) expect(insiders, incident.key).toContain(review.reviewer);
      for (const reader of readership.get(incident.key)?.readers ?? []) {
        expect(insiders, incident.key).toContain(reader.user);
      }
    }
  });
});
