import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { DebriefError } from '../domain/errors.js';
import type { Postmortem, PostmortemRevision, RedactionWaiver } from '../domain/postmortem/types.js';
import type { Incident, Visibility } from '../domain/types.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { DuplicateWaiverError } from './postmortem-repository.js';
import { repositories, type Repositories } from './repositories.js';

let numbers = 0;

function incidentOf(overrides: Partial<Incident> = {}): Incident {
  const number = ++numbers;
  return {
    id: newId(),
    number,
    key: `INC-${number}`,
    title: `Incident ${number}`,
    summary: '',
    severity: 'SEV2',
    type: 'standard',
    visibility: 'public',
    status: 'resolved',
    services: ['checkout'],
    customerImpact: '',
    roles: { commander: null, scribe: null, communications: null },
    members: [],
    impactStartedAt: null,
    detectedAt: null,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: '2026-03-01T11:00:00.000Z',
    closedAt: null,
    declaredAt: '2026-03-01T10:00:00.000Z',
    declaredBy: 'token:pager',
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T11:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

function postmortemOf(incident: Incident, overrides: Partial<Postmortem> = {}): Postmortem {
  return {
    id: newId(),
    incidentId: incident.id,
    templateId: 'default',
    status: 'draft',
    body: '## Summary\n\nCheckout failed.\n',
    hiddenSections: [],
    round: 0,
    createdBy: 'system:debrief',
    createdAt: '2026-03-01T11:00:00.000Z',
    updatedAt: '2026-03-01T11:00:00.000Z',
    updatedBy: 'system:debrief',
    reviewRequestedAt: null,
    reviewRequestedBy: null,
    publishedAt: null,
    publishedBy: null,
    version: 1,
    ...overrides,
  };
}

async function seeded(
  repos: Repositories,
  incident: Partial<Incident> = {},
  postmortem: Partial<Postmortem> = {},
): Promise<{ incident: Incident; postmortem: Postmortem }> {
  const i = incidentOf(incident);
  await repos.incidents.insert(i);
  const p = postmortemOf(i, postmortem);
  await repos.postmortems.insert(p);
  return { incident: i, postmortem: p };
}

describeEachDialect('postmortem repository', (ctx) => {
  const repos = (database: Database = ctx.database) => repositories(database.db, database.dialect);

  it('stores a postmortem and reads it back by id and by incident', async () => {
    const { incident, postmortem } = await seeded(
      repos(),
      {},
      {
        status: 'published',
        hiddenSections: ['timeline', 'five-whys'],
        round: 2,
        reviewRequestedAt: '2026-03-02T09:00:00.000Z',
        reviewRequestedBy: 'ana@example.com',
        publishedAt: '2026-03-03T09:00:00.000Z',
        publishedBy: 'bo@example.com',
        version: 7,
      },
    );
    expect(await repos().postmortems.get(postmortem.id)).toEqual(postmortem);
    expect(await repos().postmortems.findByIncident(incident.id)).toEqual(postmortem);
    expect(await repos().postmortems.get(newId())).toBeNull();
    expect(await repos().postmortems.findByIncident(newId())).toBeNull();
  });

  it('allows one postmortem per incident', async () => {
    const { incident } = await seeded(repos());
    await expect(repos().postmortems.insert(postmortemOf(incident))).rejects.toThrow();
  });

  it('writes an update only over the version it was read at', async () => {
    const { postmortem } = await seeded(repos());
    const edited = {
      ...postmortem,
      body: '## Summary\n\nCheckout failed for 12 minutes.\n',
      status: 'in_review' as const,
      updatedAt: '2026-03-01T12:00:00.000Z',
      updatedBy: 'ana@example.com',
      version: 2,
    };
    expect(await repos().postmortems.update(edited, 1)).toBe(true);

    const stale = { ...postmortem, body: 'an older edit', version: 2 };
    expect(await repos().postmortems.update(stale, 1)).toBe(false);
    expect(await repos().postmortems.get(postmortem.id)).toEqual(edited);
  });

  it('keeps private incidents’ postmortems out of lists for people not on the incident', async () => {
    // Starts from none, so postmortems of the other tests stay out of the lists compared here.
    await ctx.database.db.deleteFrom('postmortems').execute();
    const r = repos();
    const open = await seeded(r, {}, { updatedAt: '2026-04-01T10:00:00.000Z' });
    const secret = await seeded(
      r,
      { visibility: 'private' as Visibility, members: ['ana@example.com'], declaredBy: 'cy@example.com' },
      { updatedAt: '2026-04-02T10:00:00.000Z' },
    );
    const ids = async (principals: string[] | null) => {
      const scope = principals === null ? ({ all: true } as const) : { all: false as const, principals };
      const page = await r.postmortems.list({ scope, limit: 10 });
      return page.items.map((item) => item.postmortem.id);
    };

    expect(await ids(['bo@example.com'])).toEqual([open.postmortem.id]);
    expect(await ids([])).toEqual([open.postmortem.id]);
    expect(await ids(['ana@example.com'])).toEqual([secret.postmortem.id, open.postmortem.id]);
    expect(await ids(['cy@example.com'])).toEqual([secret.postmortem.id, open.postmortem.id]);
    expect(await ids(null)).toEqual([secret.postmortem.id, open.postmortem.id]);

    const page = await r.postmortems.list({ scope: { all: true }, limit: 10 });
    expect(page.items[0]?.incident).toEqual(secret.incident);
    expect(page.nextCursor).toBeNull();
  });

  it('lists newest updated first, filters by status and pages with a cursor through equal times', async () => {
    await ctx.database.db.deleteFrom('postmortems').execute();
    const r = repos();
    const sameTime = '2026-05-01T10:00:00.000Z';
    const created: Postmortem[] = [];
    for (const [i, status] of (['draft', 'in_review', 'draft', 'approved', 'draft'] as const).entries()) {
      const updatedAt = i < 3 ? sameTime : `2026-05-0${i}T10:00:00.000Z`;
      created.push((await seeded(r, {}, { status, updatedAt })).postmortem);
    }
    const expected = [...created]
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id))
      .map((p) => p.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await r.postmortems.list({ scope: { all: true }, limit: 2, cursor });
      seen.push(...page.items.map((item) => item.postmortem.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);

    const drafts = await r.postmortems.list({ statuses: ['draft'], scope: { all: true }, limit: 10 });
    expect(drafts.items.map((item) => item.postmortem.status)).toEqual(['draft', 'draft', 'draft']);
    const reviewable = await r.postmortems.list({
      statuses: ['in_review', 'approved'],
      scope: { all: true },
      limit: 10,
    });
    expect(reviewable.items.map((item) => item.postmortem.status)).toEqual(['approved', 'in_review']);
  });

  it('rejects a cursor it did not issue as a validation error naming cursor', async () => {
    const forged = Buffer.from("2026-01-01T00:00:00.000Z|x' or 1=1 --").toString('base64url');
    for (const cursor of ['not-a-cursor', forged]) {
      const error = await repos()
        .postmortems.list({ scope: { all: true }, limit: 5, cursor })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DebriefError);
      expect(error).toMatchObject({ code: 'DEBRIEF_ERR_VALIDATION', field: 'cursor' });
    }
  });

  it('keeps revisions: folds a save into the latest one, lists them newest first with byte sizes', async () => {
    const r = repos();
    const { postmortem } = await seeded(r);
    const revision = (version: number, body: string, author: string): PostmortemRevision => ({
      id: newId(),
      postmortemId: postmortem.id,
      version,
      body,
      author,
      createdAt: `2026-03-01T11:0${version}:00.000Z`,
    });
    const first = revision(1, 'draft', 'system:debrief');
    const second = revision(2, 'ana wrote', 'ana@example.com');
    await r.postmortems.insertRevision(first);
    await r.postmortems.insertRevision(second);
    const folded = { ...second, version: 3, body: 'ana wrote more — café', createdAt: '2026-03-01T11:04:00.000Z' };
    await r.postmortems.updateRevision(folded);

    expect(await r.postmortems.latestRevision(postmortem.id)).toEqual(folded);
    expect(await r.postmortems.getRevision(postmortem.id, 3)).toEqual(folded);
    expect(await r.postmortems.getRevision(postmortem.id, 2)).toBeNull();
    expect(await r.postmortems.listRevisions(postmortem.id)).toEqual([
      {
        id: second.id,
        postmortemId: postmortem.id,
        version: 3,
        author: 'ana@example.com',
        createdAt: folded.createdAt,
        size: Buffer.byteLength(folded.body),
      },
      {
        id: first.id,
        postmortemId: postmortem.id,
        version: 1,
        author: 'system:debrief',
        createdAt: first.createdAt,
        size: 5,
      },
    ]);
    await expect(r.postmortems.insertRevision(revision(1, 'again', 'bo@example.com'))).rejects.toThrow();
    expect(await r.postmortems.latestRevision(newId())).toBeNull();
  });

  it('lists reviews and comments oldest first and resolves a comment', async () => {
    const r = repos();
    const { postmortem } = await seeded(r);
    await r.postmortems.insertReview({
      id: newId(),
      postmortemId: postmortem.id,
      round: 1,
      reviewer: 'bo@example.com',
      decision: 'request_changes',
      score: null,
      comment: 'Quantify the impact.',
      createdAt: '2026-03-02T10:00:00.000Z',
    });
    await r.postmortems.insertReview({
      id: newId(),
      postmortemId: postmortem.id,
      round: 2,
      reviewer: 'bo@example.com',
      decision: 'approve',
      score: 4,
      comment: '',
      createdAt: '2026-03-03T10:00:00.000Z',
    });
    const reviews = await r.postmortems.listReviews(postmortem.id);
    expect(reviews.map((v) => [v.round, v.decision, v.score])).toEqual([
      [1, 'request_changes', null],
      [2, 'approve', 4],
    ]);

    const comment = {
      id: newId(),
      postmortemId: postmortem.id,
      section: 'impact',
      author: 'bo@example.com',
      body: 'How many customers?',
      createdAt: '2026-03-02T10:01:00.000Z',
      resolvedAt: null,
      resolvedBy: null,
    };
    const later = { ...comment, id: newId(), section: 'timeline', createdAt: '2026-03-02T10:02:00.000Z' };
    await r.postmortems.insertComment(later);
    await r.postmortems.insertComment(comment);
    const resolved = { ...comment, resolvedAt: '2026-03-02T12:00:00.000Z', resolvedBy: 'ana@example.com' };
    expect(await r.postmortems.updateComment(resolved)).toBe(true);
    expect(await r.postmortems.getComment(comment.id)).toEqual(resolved);
    expect(await r.postmortems.listComments(postmortem.id)).toEqual([resolved, later]);
    expect(await r.postmortems.updateComment({ ...resolved, id: newId() })).toBe(false);
    expect(await r.postmortems.getComment(newId())).toBeNull();
  });

  it('refuses a second waiver of one finding without breaking the transaction', async () => {
    const { postmortem } = await seeded(repos());
    const waiver: RedactionWaiver = {
      id: newId(),
      postmortemId: postmortem.id,
      fingerprint: 'a'.repeat(64),
      kind: 'ipv4-private',
      reason: 'internal address, harmless',
      waivedBy: 'bo@example.com',
      createdAt: '2026-03-02T10:00:00.000Z',
    };
    await ctx.database.db.transaction().execute(async (trx) => {
      const r = repositories(trx, ctx.database.dialect);
      await r.postmortems.insertWaiver(waiver);
      const duplicate = await r.postmortems.insertWaiver({ ...waiver, id: newId() }).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(DuplicateWaiverError);
      expect(duplicate).toMatchObject({ code: 'DEBRIEF_ERR_ALREADY_EXISTS', status: 409, field: 'fingerprint' });
      // On PostgreSQL a failed statement would have aborted the transaction; the caller can carry on.
      expect(await r.postmortems.listWaivers(postmortem.id)).toEqual([waiver]);
    });

    const other = { ...waiver, id: newId(), fingerprint: 'b'.repeat(64), createdAt: '2026-03-02T11:00:00.000Z' };
    await repos().postmortems.insertWaiver(other);
    expect(await repos().postmortems.getWaiver(other.id)).toEqual(other);
    expect(await repos().postmortems.deleteWaiver(waiver.id)).toBe(true);
    expect(await repos().postmortems.deleteWaiver(waiver.id)).toBe(false);
    expect(await repos().postmortems.listWaivers(postmortem.id)).toEqual([other]);
    // The fingerprint is free again once its waiver is removed.
    await repos().postmortems.insertWaiver({ ...waiver, id: newId() });
  });

  it('returns the latest publication', async () => {
    const r = repos();
    const { postmortem } = await seeded(r);
    expect(await r.postmortems.latestPublication(postmortem.id)).toBeNull();
    const first = {
      id: newId(),
      postmortemId: postmortem.id,
      version: 5,
      internalBody: 'internal 10.0.0.1',
      externalBody: 'internal [REDACTED]',
      publishedBy: 'bo@example.com',
      publishedAt: '2026-03-04T10:00:00.000Z',
    };
    const second = { ...first, id: newId(), version: 9, publishedAt: '2026-03-06T10:00:00.000Z' };
    await r.postmortems.insertPublication(second);
    await r.postmortems.insertPublication(first);
    expect(await r.postmortems.latestPublication(postmortem.id)).toEqual(second);
  });

  it('counts every one of many simultaneous views, keeping the earliest and latest times', async () => {
    const { postmortem } = await seeded(repos());
    // Separate statements on the pool, not one transaction, so on PostgreSQL they really race.
    const times = Array.from({ length: 24 }, (_, i) => `2026-03-05T10:${String(59 - i).padStart(2, '0')}:00.000Z`);
    await Promise.all(times.map((at) => repos().postmortems.recordView(postmortem.id, 'ana@example.com', at)));
    await repos().postmortems.recordView(postmortem.id, 'bo@example.com', '2026-03-06T09:00:00.000Z');

    expect(await repos().postmortems.listReaders(postmortem.id)).toEqual([
      {
        postmortemId: postmortem.id,
        user: 'bo@example.com',
        firstViewedAt: '2026-03-06T09:00:00.000Z',
        lastViewedAt: '2026-03-06T09:00:00.000Z',
        views: 1,
      },
      {
        postmortemId: postmortem.id,
        user: 'ana@example.com',
        firstViewedAt: '2026-03-05T10:36:00.000Z',
        lastViewedAt: '2026-03-05T10:59:00.000Z',
        views: 24,
      },
    ]);
  });

  it('acknowledges once per reader', async () => {
    const r = repos();
    const { postmortem } = await seeded(r);
    expect(await r.postmortems.acknowledge(postmortem.id, 'ana@example.com', '2026-03-05T10:00:00.000Z')).toBe(true);
    expect(await r.postmortems.acknowledge(postmortem.id, 'ana@example.com', '2026-03-05T11:00:00.000Z')).toBe(false);
    expect(await r.postmortems.acknowledge(postmortem.id, 'bo@example.com', '2026-03-05T10:30:00.000Z')).toBe(true);
    expect(await r.postmortems.listAcknowledgements(postmortem.id)).toEqual([
      { postmortemId: postmortem.id, user: 'ana@example.com', at: '2026-03-05T10:00:00.000Z' },
      { postmortemId: postmortem.id, user: 'bo@example.com', at: '2026-03-05T10:30:00.000Z' },
    ]);
  });
});
