import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, SYSTEM, type TestApi } from '../../../test/support/api.js';
import { createService, createTeam } from '../../app/catalog.js';
import { createUser } from '../../app/identity.js';
import { redactionFingerprint } from '../../app/postmortem-text.js';
import type { UserRole } from '../../domain/types.js';

interface PostmortemBody {
  id: string;
  status: string;
  version: number;
  body: string;
  round: number;
  hiddenSections: string[];
  reviewRequestedBy: string | null;
}

interface Detail {
  postmortem: PostmortemBody;
  sections: { id: string; hiddenExternally: boolean }[];
  factors: { category: string | null }[];
  actionItems: { owner: string | null }[];
  lint: { ruleId: string; severity: string }[];
  redaction: { kind: string; text: string; fingerprint: string; waiver: { reason: string } | null }[];
  approvals: { met: boolean; approvedBy: string[]; ownerApproved: boolean; required: number };
  blockers: { gate: string; message: string }[];
  quality: { score: number; items: { id: string; passed: boolean }[] };
  permissions: Record<string, boolean>;
}

interface Problem {
  code: string;
  errors: { field: string; message: string }[];
  current?: { version: number; body: string; updatedBy: string };
}

const AWS_KEY = 'AKIAQYLPMN5HHHFPZAM2';

/** A complete, blameless text: every rubric item a writer controls passes, and nothing needs redacting. */
function cleanBody(extra = ''): string {
  return [
    '# Checkout errors after a pool change',
    '',
    '## TL;DR',
    '',
    'Checkout returned errors for 42 minutes after a configuration change. Rolling back restored service.',
    '',
    '## Impact',
    '',
    'About 12% of checkout requests failed for 42 minutes.',
    '',
    '## Contributing factors',
    '',
    '- **Config:** the connection pool limit was lowered in a configuration change.',
    '- **Detection gap:** no alert watched pool saturation.',
    '',
    '## Where we got lucky',
    '',
    'Traffic was low at the time.',
    '',
    '## Action items',
    '',
    '| Action | Type | Owner | Due | Priority | Ticket |',
    '| --- | --- | --- | --- | --- | --- |',
    '| Alert on pool saturation | detect | @ana | 2026-12-01 | P2 | OPS-1 |',
    '',
    extra,
  ].join('\n');
}

describeEachDialect('postmortems API', (db) => {
  let api: TestApi;
  const run = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const owner = `owner-${run}@example.com`;
  const second = `second-${run}@example.com`;
  const member = `member-${run}@example.com`;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    api = await createTestApi(db.database);
    for (const [email, role] of [
      [owner, 'reviewer'],
      [second, 'reviewer'],
      [member, 'viewer'],
    ] as const) {
      await createUser(api.ctx, SYSTEM, { email, role, password: 'password-123' });
      const login = await api.call(null, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'password-123' },
      });
      cookies[email] = login.cookies.find((c) => c.name === 'debrief_session')?.value ?? '';
    }
    await createTeam(api.ctx, SYSTEM, { name: 'ledger-team', members: [member] });
    await createService(api.ctx, SYSTEM, { name: 'ledger', team: 'ledger-team', owners: [owner] });
  });
  afterAll(async () => {
    await api.close();
  });

  /** A request as a signed-in user (session cookie) rather than a role token. */
  const as = (email: string, options: InjectOptions): Promise<LightMyRequestResponse> =>
    api.app.inject({ ...options, cookies: { debrief_session: cookies[email] ?? '' } });

  const pm = (key: string, suffix = '') => `/api/v1/incidents/${key}/postmortem${suffix}`;

  async function resolvedIncident(
    payload: Record<string, unknown> = {},
    role: UserRole = 'responder',
  ): Promise<string> {
    const impact = new Date(Date.now() - 2 * 3_600_000);
    const declared = await api.call(role, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Checkout errors',
        severity: 'SEV3',
        services: ['checkout'],
        impactStartedAt: impact.toISOString(),
        detectedAt: new Date(impact.getTime() + 4 * 60_000).toISOString(),
        customerImpact: 'Card payments failed for some customers.',
        ...payload,
      },
    });
    expect(declared.statusCode).toBe(201);
    const key = declared.json<{ key: string }>().key;
    await api.call(role, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/timeline`,
      payload: {
        kind: 'alert',
        source: 'alertmanager',
        title: 'CheckoutErrorRate firing',
        at: new Date(impact.getTime() + 3 * 60_000).toISOString(),
        pinned: true,
      },
    });
    for (const status of ['mitigated', 'resolved']) {
      const res = await api.call(role, { method: 'POST', url: `/api/v1/incidents/${key}/status`, payload: { status } });
      expect(res.statusCode).toBe(200);
    }
    return key;
  }

  async function detail(key: string, role: UserRole = 'responder'): Promise<Detail> {
    const res = await api.call(role, { method: 'GET', url: pm(key) });
    expect(res.statusCode).toBe(200);
    return res.json<Detail>();
  }

  async function saveBody(key: string, body: string): Promise<PostmortemBody> {
    const { postmortem } = await detail(key);
    const res = await api.call('responder', {
      method: 'PUT',
      url: pm(key, '/body'),
      payload: { body, version: postmortem.version },
    });
    expect(res.statusCode).toBe(200);
    return res.json<PostmortemBody>();
  }

  async function requestReview(key: string, role: UserRole = 'responder'): Promise<PostmortemBody> {
    const res = await api.call(role, { method: 'POST', url: pm(key, '/review-request'), payload: {} });
    expect(res.statusCode).toBe(200);
    return res.json<PostmortemBody>();
  }

  async function publish(key: string, role: UserRole = 'reviewer'): Promise<LightMyRequestResponse> {
    const { postmortem } = await detail(key);
    return api.call(role, { method: 'POST', url: pm(key, '/publish'), payload: { version: postmortem.version } });
  }

  describe('draft on resolve', () => {
    it('composes a filled draft from the evidence when an incident is resolved', async () => {
      const key = await resolvedIncident();
      const { postmortem, sections } = await detail(key);
      expect(postmortem).toMatchObject({ status: 'draft', version: 1, round: 0 });
      expect(postmortem.body).toContain('| Time (UTC) | Event | Source |');
      expect(postmortem.body).toContain('CheckoutErrorRate firing');
      // Time to detect: impact start to detection was 4 minutes.
      expect(postmortem.body).toMatch(/4m/);
      expect(sections.map((s) => s.id)).toEqual(
        expect.arrayContaining(['tldr', 'impact', 'timeline', 'contributing-factors', 'action-items']),
      );
      const revisions = await api.call('viewer', { method: 'GET', url: pm(key, '/revisions') });
      expect(revisions.json<{ items: { version: number }[] }>().items.map((r) => r.version)).toEqual([1]);
    });

    it('gives exercises a postmortem too, and refuses a second one', async () => {
      const key = await resolvedIncident({ type: 'exercise' });
      expect((await detail(key)).postmortem.status).toBe('draft');
      const again = await api.call('responder', { method: 'POST', url: pm(key), payload: {} });
      expect(again.statusCode).toBe(409);
      expect(again.json<Problem>().code).toBe('DEBRIEF_ERR_ALREADY_EXISTS');
    });

    it('creates one on request for an open incident, and 404s before that', async () => {
      const declared = await api.call('responder', {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'Still burning', severity: 'SEV4' },
      });
      const key = declared.json<{ key: string }>().key;
      const missing = await api.call('viewer', { method: 'GET', url: pm(key) });
      expect(missing.statusCode).toBe(404);
      expect(missing.json<Problem>().errors[0]?.field).toBe('postmortem');
      const viewer = await api.call('viewer', { method: 'POST', url: pm(key) });
      expect(viewer.statusCode).toBe(403);
      const created = await api.call('responder', { method: 'POST', url: pm(key) });
      expect(created.statusCode).toBe(201);
      expect(created.json<PostmortemBody>()).toMatchObject({ status: 'draft', version: 1 });
    });
  });

  describe('editing', () => {
    it('refuses the second of two saves from the same version with the current text', async () => {
      const key = await resolvedIncident();
      const base = (await detail(key)).postmortem.version;
      const first = await api.call('responder', {
        method: 'PUT',
        url: pm(key, '/body'),
        payload: { body: cleanBody('First writer.'), version: base },
      });
      expect(first.statusCode).toBe(200);
      expect(first.json<PostmortemBody>().version).toBe(base + 1);
      const stale = await api.call('admin', {
        method: 'PUT',
        url: pm(key, '/body'),
        payload: { body: cleanBody('Second writer.'), version: base },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.headers['content-type']).toContain('application/problem+json');
      const problem = stale.json<Problem>();
      expect(problem.code).toBe('DEBRIEF_ERR_VERSION_CONFLICT');
      expect(problem.errors[0]?.field).toBe('version');
      expect(problem.current).toMatchObject({ version: base + 1, body: cleanBody('First writer.') });
      expect(problem.current?.updatedBy).toMatch(/^token:responder-/);
      expect((await detail(key)).postmortem.body).toBe(cleanBody('First writer.'));
    });

    it("folds one author's quick saves into one revision, but keeps the composed draft", async () => {
      const key = await resolvedIncident();
      await saveBody(key, cleanBody('one'));
      await saveBody(key, cleanBody('two'));
      const last = await saveBody(key, cleanBody('three'));
      const list = await api.call('viewer', { method: 'GET', url: pm(key, '/revisions') });
      const items = list.json<{ items: { version: number; size: number }[] }>().items;
      expect(items.map((r) => r.version)).toEqual([last.version, 1]);
      const revision = await api.call('viewer', { method: 'GET', url: pm(key, `/revisions/${last.version}`) });
      expect(revision.json<{ body: string }>().body).toBe(cleanBody('three'));
      const folded = await api.call('viewer', { method: 'GET', url: pm(key, '/revisions/2') });
      expect(folded.statusCode).toBe(404);
    });

    it('restores a revision as a revision of its own, keeping the text it replaces, and audits it', async () => {
      const key = await resolvedIncident();
      const typed = await saveBody(key, cleanBody('typed a minute ago'));
      const original = await api.call('viewer', { method: 'GET', url: pm(key, '/revisions/1') });
      const restore = await api.call('responder', {
        method: 'PUT',
        url: pm(key, '/body'),
        payload: { body: original.json<{ body: string }>().body, version: typed.version, restoredFrom: 1 },
      });
      expect(restore.statusCode).toBe(200);
      const restored = restore.json<PostmortemBody>();
      const list = await api.call('viewer', { method: 'GET', url: pm(key, '/revisions') });
      const versions = list.json<{ items: { version: number }[] }>().items.map((r) => r.version);
      expect(versions).toEqual([restored.version, typed.version, 1]);
      const audit = await api.call('admin', {
        method: 'GET',
        url: `/api/v1/audit?entityType=postmortem&entityId=${key}`,
      });
      const entries = audit.json<{ items: { action: string; after: { restoredFrom?: number } }[] }>().items;
      expect(entries.find((e) => e.action === 'postmortem.restore')?.after.restoredFrom).toBe(1);

      const missing = await api.call('responder', {
        method: 'PUT',
        url: pm(key, '/body'),
        payload: { body: cleanBody('x'), version: restored.version, restoredFrom: 99 },
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json<Problem>().errors[0]?.field).toBe('restoredFrom');
    });

    it('checks text being typed: blame language and secrets with positions and fingerprints', async () => {
      const key = await resolvedIncident();
      const res = await api.call('responder', {
        method: 'POST',
        url: pm(key, '/check'),
        payload: { body: `Bob forgot to rotate the key.\n\nKey: ${AWS_KEY}\n` },
      });
      expect(res.statusCode).toBe(200);
      const check = res.json<{ lint: { ruleId: string; line: number }[]; redaction: Detail['redaction'] }>();
      expect(check.lint).toEqual(
        expect.arrayContaining([expect.objectContaining({ ruleId: 'person-as-cause', line: 1 })]),
      );
      expect(check.redaction).toEqual([
        expect.objectContaining({
          kind: 'aws-access-key',
          text: AWS_KEY,
          fingerprint: redactionFingerprint('aws-access-key', AWS_KEY),
          waiver: null,
        }),
      ]);
      const viewer = await api.call('viewer', { method: 'POST', url: pm(key, '/check'), payload: { body: 'x' } });
      expect(viewer.statusCode).toBe(403);
    });

    it('hides sections from the external version and redacts every finding there', async () => {
      const key = await resolvedIncident();
      await saveBody(key, cleanBody(`## Supporting information\n\nBuild key ${AWS_KEY} leaked in a log.\n`));
      const { postmortem } = await detail(key);
      const hidden = await api.call('responder', {
        method: 'PATCH',
        url: pm(key),
        payload: { version: postmortem.version, hiddenSections: ['where-we-got-lucky'] },
      });
      expect(hidden.statusCode).toBe(200);
      const after = await detail(key);
      expect(after.sections.find((s) => s.id === 'where-we-got-lucky')?.hiddenExternally).toBe(true);
      const fingerprint = after.redaction[0]?.fingerprint ?? '';
      const waived = await api.call('reviewer', {
        method: 'POST',
        url: pm(key, '/waivers'),
        payload: { fingerprint, reason: 'revoked key, kept for the internal record' },
      });
      expect(waived.statusCode).toBe(201);
      const versions = await api.call('viewer', { method: 'GET', url: pm(key, '/versions') });
      const v = versions.json<{ internal: string; external: string; redactions: number }>();
      expect(v.internal).toContain('Traffic was low');
      expect(v.internal).toContain(AWS_KEY);
      expect(v.external).not.toContain('Where we got lucky');
      expect(v.external).not.toContain('Traffic was low');
      expect(v.external).not.toContain(AWS_KEY);
      expect(v.external).toContain('[REDACTED:aws-access-key]');
      expect(v.redactions).toBe(1);
      const unknown = await api.call('responder', {
        method: 'PATCH',
        url: pm(key),
        payload: { version: postmortem.version + 1, hiddenSections: ['no-such-section'] },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json<Problem>().errors[0]?.field).toBe('hiddenSections[0]');
    });
  });

  describe('review and publishing', () => {
    it('runs the review loop: owner approval for SEV2, changes requested, a new round, no self-approval', async () => {
      const key = await resolvedIncident({ severity: 'SEV2', services: ['ledger'] });
      await saveBody(key, cleanBody());
      const tooEarly = await api.call('reviewer', {
        method: 'POST',
        url: pm(key, '/reviews'),
        payload: { decision: 'approve' },
      });
      expect(tooEarly.statusCode).toBe(422);

      const requested = await requestReview(key, 'admin');
      expect(requested).toMatchObject({ status: 'in_review', round: 1 });
      const self = await api.call('admin', {
        method: 'POST',
        url: pm(key, '/reviews'),
        payload: { decision: 'approve' },
      });
      expect(self.statusCode).toBe(403);
      expect(self.json<Problem>().code).toBe('DEBRIEF_ERR_FORBIDDEN');

      const changes = await as(second, {
        method: 'POST',
        url: pm(key, '/reviews'),
        payload: { decision: 'request_changes', comment: 'Name the missing alert as a factor.' },
      });
      expect(changes.json<{ postmortem: PostmortemBody }>().postmortem.status).toBe('changes_requested');
      await saveBody(key, cleanBody('Reworded after review.'));
      expect((await requestReview(key)).round).toBe(2);

      const firstApproval = await as(second, {
        method: 'POST',
        url: pm(key, '/reviews'),
        payload: { decision: 'approve', score: 4 },
      });
      const afterFirst = firstApproval.json<{ postmortem: PostmortemBody; approvals: Detail['approvals'] }>();
      expect(afterFirst.postmortem.status).toBe('in_review');
      expect(afterFirst.approvals).toMatchObject({
        required: 2,
        approvedBy: [second],
        ownerApproved: false,
        met: false,
      });
      const blocked = await publish(key);
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json<Problem>().errors.map((e) => e.field)).toEqual(
        expect.arrayContaining(['approvals', 'status']),
      );

      const ownerApproval = await as(owner, {
        method: 'POST',
        url: pm(key, '/reviews'),
        payload: { decision: 'approve', score: 5 },
      });
      expect(ownerApproval.json<{ postmortem: PostmortemBody }>().postmortem.status).toBe('approved');
      const approved = await detail(key);
      expect(approved.approvals).toMatchObject({ met: true, ownerApproved: true });
      expect(approved.blockers).toEqual([]);
      expect(approved.permissions.edit).toBe(true);

      const published = await publish(key);
      expect(published.statusCode).toBe(200);
      expect(published.json<{ postmortem: PostmortemBody }>().postmortem.status).toBe('published');
      const frozen = await api.call('responder', {
        method: 'PUT',
        url: pm(key, '/body'),
        payload: { body: 'late edit', version: (await detail(key)).postmortem.version },
      });
      expect(frozen.statusCode).toBe(422);
      expect(frozen.json<Problem>().errors[0]?.field).toBe('status');
      const reopened = await api.call('reviewer', { method: 'POST', url: pm(key, '/reopen') });
      expect(reopened.json<PostmortemBody>().status).toBe('draft');
    });

    it('sends an approved postmortem back to review when its text changes', async () => {
      const key = await resolvedIncident({ severity: 'SEV4' });
      await saveBody(key, cleanBody());
      await requestReview(key);
      await api.call('reviewer', { method: 'POST', url: pm(key, '/reviews'), payload: { decision: 'approve' } });
      expect((await detail(key)).postmortem.status).toBe('approved');
      const edited = await saveBody(key, cleanBody('One more lesson.'));
      expect(edited).toMatchObject({ status: 'in_review', round: 2 });
      expect((await detail(key)).approvals.met).toBe(false);
    });

    it('blocks publishing on blame language, then on a secret until it is waived (audited)', async () => {
      const key = await resolvedIncident({ severity: 'SEV4' });
      await saveBody(key, cleanBody(`Bob forgot to rotate the deploy key ${AWS_KEY}, which was human error.\n`));
      const both = await publish(key);
      expect(both.statusCode).toBe(409);
      const gates = both.json<Problem>();
      expect(gates.code).toBe('DEBRIEF_ERR_PUBLISH_BLOCKED');
      expect(gates.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['blame', 'redaction', 'status']));

      await saveBody(key, cleanBody(`The deploy key ${AWS_KEY} was not rotated before it expired.\n`));
      await requestReview(key);
      await api.call('reviewer', { method: 'POST', url: pm(key, '/reviews'), payload: { decision: 'approve' } });
      const secretOnly = await publish(key);
      expect(secretOnly.statusCode).toBe(409);
      expect(secretOnly.json<Problem>().errors.map((e) => e.field)).toEqual(['redaction']);

      const finding = (await detail(key)).redaction[0];
      expect(finding).toMatchObject({ kind: 'aws-access-key', text: AWS_KEY });
      expect((await detail(key, 'viewer')).redaction[0]?.text).toBe('');
      const noReason = await api.call('reviewer', {
        method: 'POST',
        url: pm(key, '/waivers'),
        payload: { fingerprint: finding?.fingerprint, reason: ' ' },
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json<Problem>().errors[0]?.field).toBe('reason');
      const responder = await api.call('responder', {
        method: 'POST',
        url: pm(key, '/waivers'),
        payload: { fingerprint: finding?.fingerprint, reason: 'revoked already' },
      });
      expect(responder.statusCode).toBe(403);
      const waiver = await api.call('reviewer', {
        method: 'POST',
        url: pm(key, '/waivers'),
        payload: { fingerprint: finding?.fingerprint, reason: 'revoked already' },
      });
      expect(waiver.statusCode).toBe(201);
      const twice = await api.call('reviewer', {
        method: 'POST',
        url: pm(key, '/waivers'),
        payload: { fingerprint: finding?.fingerprint, reason: 'revoked already' },
      });
      expect(twice.statusCode).toBe(409);

      const audit = await api.call('admin', {
        method: 'GET',
        url: `/api/v1/audit?entityType=postmortem&entityId=${key}`,
      });
      const entries = audit.json<{ items: { action: string; after: unknown }[] }>().items;
      const waived = entries.find((e) => e.action === 'postmortem.waive');
      expect(waived?.after).toMatchObject({ kind: 'aws-access-key', reason: 'revoked already' });
      expect(JSON.stringify(entries)).not.toContain(AWS_KEY);

      const published = await publish(key);
      expect(published.statusCode).toBe(200);
      const versions = await api.call('viewer', { method: 'GET', url: pm(key, '/versions') });
      expect(versions.json<{ external: string }>().external).not.toContain(AWS_KEY);
    });

    it('applies redactions without dismissing approvals, auditing kinds and counts only', async () => {
      const key = await resolvedIncident({ severity: 'SEV4' });
      await saveBody(key, cleanBody(`Key ${AWS_KEY} was pasted into the incident channel.\n`));
      await requestReview(key);
      await api.call('reviewer', { method: 'POST', url: pm(key, '/reviews'), payload: { decision: 'approve' } });
      const before = await detail(key);
      const applied = await api.call('responder', {
        method: 'POST',
        url: pm(key, '/redactions'),
        payload: { version: before.postmortem.version },
      });
      expect(applied.statusCode).toBe(200);
      const result = applied.json<{ postmortem: PostmortemBody; redacted: number; kinds: Record<string, number> }>();
      expect(result).toMatchObject({ redacted: 1, kinds: { 'aws-access-key': 1 } });
      expect(result.postmortem.body).toContain('[REDACTED:aws-access-key]');
      expect(result.postmortem.status).toBe('approved');
      const after = await detail(key);
      expect(after.redaction).toEqual([]);
      expect(after.blockers).toEqual([]);
      const audit = await api.call('admin', {
        method: 'GET',
        url: `/api/v1/audit?entityType=postmortem&entityId=${key}`,
      });
      const redact = audit
        .json<{ items: { action: string; after: unknown }[] }>()
        .items.find((e) => e.action === 'postmortem.redact');
      expect(redact?.after).toMatchObject({ redacted: 1, kinds: { 'aws-access-key': 1 } });
      expect(JSON.stringify(redact)).not.toContain(AWS_KEY);
    });

    it('anchors comments to sections and lets their author resolve them', async () => {
      const key = await resolvedIncident();
      await saveBody(key, cleanBody());
      const wrong = await api.call('viewer', {
        method: 'POST',
        url: pm(key, '/comments'),
        payload: { section: 'no-such-section', body: 'Where is this?' },
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json<Problem>().errors[0]?.field).toBe('section');
      const created = await api.call('viewer', {
        method: 'POST',
        url: pm(key, '/comments'),
        payload: { section: 'impact', body: 'How many orders were lost?' },
      });
      expect(created.statusCode).toBe(201);
      const comment = created.json<{ id: string; section: string }>();
      const resolved = await api.call('viewer', {
        method: 'PATCH',
        url: pm(key, `/comments/${comment.id}`),
        payload: { resolved: true },
      });
      expect(resolved.json<{ resolvedAt: string | null }>().resolvedAt).not.toBeNull();
      const missing = await api.call('viewer', {
        method: 'PATCH',
        url: pm(key, '/comments/nope'),
        payload: { resolved: true },
      });
      expect(missing.statusCode).toBe(404);
    });
  });

  describe('readership', () => {
    it('expects team members and owners to read it, and counts views and acknowledgements', async () => {
      const key = await resolvedIncident({ severity: 'SEV4', services: ['ledger'] });
      await saveBody(key, cleanBody());
      const early = await as(member, { method: 'POST', url: pm(key, '/acknowledgements') });
      expect(early.statusCode).toBe(422);
      await requestReview(key);
      await api.call('reviewer', { method: 'POST', url: pm(key, '/reviews'), payload: { decision: 'approve' } });
      expect((await publish(key)).statusCode).toBe(200);

      await as(member, { method: 'POST', url: pm(key, '/views') });
      await as(member, { method: 'POST', url: pm(key, '/views') });
      const before = await api.call('viewer', { method: 'GET', url: pm(key, '/readership') });
      const pending = before.json<{
        expected: { user: string; teams: string[] }[];
        pending: string[];
        readers: { user: string; views: number }[];
      }>();
      expect(pending.expected).toEqual(
        expect.arrayContaining([
          { user: member, teams: ['ledger-team'] },
          { user: owner, teams: [] },
        ]),
      );
      expect(pending.pending).toEqual(expect.arrayContaining([member, owner]));
      expect(pending.readers).toEqual([expect.objectContaining({ user: member, views: 2 })]);

      const ack = await as(member, { method: 'POST', url: pm(key, '/acknowledgements') });
      expect(ack.statusCode).toBe(200);
      const after = ack.json<{ acknowledgements: { user: string }[]; pending: string[] }>();
      expect(after.acknowledgements.map((a) => a.user)).toEqual([member]);
      expect(after.pending).toEqual([owner]);
    });
  });

  describe('access', () => {
    it('hides a private incident’s postmortem from non-members in get, list and check', async () => {
      const key = await resolvedIncident({ visibility: 'private' });
      expect((await detail(key)).postmortem.status).toBe('draft');
      for (const request of [
        { method: 'GET', url: pm(key) },
        { method: 'POST', url: pm(key, '/check'), payload: { body: 'text' } },
        { method: 'GET', url: pm(key, '/versions') },
        { method: 'GET', url: pm(key, '/readership') },
      ] as const) {
        const res = await api.call('viewer', request);
        expect(res.statusCode).toBe(404);
        expect(res.body).not.toContain('Checkout errors');
      }
      const list = await api.call('viewer', { method: 'GET', url: '/api/v1/postmortems?limit=200' });
      expect(list.statusCode).toBe(200);
      const keys = list.json<{ items: { incident: { key: string } }[] }>().items.map((i) => i.incident.key);
      expect(keys).not.toContain(key);
      const own = await api.call('responder', { method: 'GET', url: '/api/v1/postmortems?limit=200' });
      expect(own.json<{ items: { incident: { key: string } }[] }>().items.map((i) => i.incident.key)).toContain(key);
    });

    it('lists by status with a cursor and quality scores', async () => {
      const first = await api.call('viewer', { method: 'GET', url: '/api/v1/postmortems?status=draft&limit=1' });
      const page = first.json<{ items: { status: string; score: number }[]; nextCursor: string | null }>();
      expect(page.items).toHaveLength(1);
      expect(page.items[0]?.status).toBe('draft');
      expect(page.items[0]?.score).toBeGreaterThanOrEqual(0);
      expect(page.nextCursor).not.toBeNull();
      const next = await api.call('viewer', {
        method: 'GET',
        url: `/api/v1/postmortems?status=draft&limit=1&cursor=${page.nextCursor ?? ''}`,
      });
      expect(next.statusCode).toBe(200);
    });
  });

  describe('OpenAPI', () => {
    it('documents the postmortem routes under the postmortems tag, with the conflict problem', async () => {
      const res = await api.call(null, { method: 'GET', url: '/api/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json<{
        paths: Record<string, Record<string, { tags?: string[] }>>;
        components: { schemas: Record<string, unknown> };
      }>();
      for (const path of [
        '/api/v1/postmortems',
        '/api/v1/incidents/{key}/postmortem',
        '/api/v1/incidents/{key}/postmortem/body',
        '/api/v1/incidents/{key}/postmortem/publish',
        '/api/v1/incidents/{key}/postmortem/revisions/{version}',
        '/api/v1/postmortem-templates/{id}',
      ]) {
        const operations = Object.values(doc.paths[path] ?? {});
        expect(operations.length, path).toBeGreaterThan(0);
        for (const operation of operations) expect(operation.tags).toEqual(['postmortems']);
      }
      expect(doc.components.schemas).toHaveProperty('PostmortemDetail');
      expect(doc.components.schemas).toHaveProperty('PostmortemConflict');
    });
  });

  describe('bad input', () => {
    it('answers every malformed request with problem+json naming the field', async () => {
      const key = await resolvedIncident();
      const cases: [InjectOptions, number, string][] = [
        [{ method: 'PUT', url: pm(key, '/body'), payload: { body: 'x' } }, 400, 'version'],
        [{ method: 'PUT', url: pm(key, '/body'), payload: { body: 42, version: 1 } }, 400, 'body'],
        [{ method: 'PUT', url: pm(key, '/body'), payload: { body: 'x', version: 0 } }, 400, 'version'],
        [{ method: 'PUT', url: pm(key, '/body'), payload: { body: 'x', version: 1, extra: 1 } }, 400, 'extra'],
        [{ method: 'POST', url: pm(key, '/reviews'), payload: { decision: 'maybe' } }, 400, 'decision'],
        [{ method: 'POST', url: pm(key, '/reviews'), payload: { decision: 'approve', score: 6 } }, 400, 'score'],
        [{ method: 'POST', url: pm(key, '/reviews'), payload: { decision: 'request_changes' } }, 400, 'comment'],
        [{ method: 'POST', url: pm(key, '/comments'), payload: { section: 'impact', body: '' } }, 400, 'body'],
        [{ method: 'POST', url: pm(key, '/comments'), payload: { section: '../x', body: 'y' } }, 400, 'section'],
        [
          { method: 'POST', url: pm(key, '/waivers'), payload: { fingerprint: 'abc', reason: 'ok ok' } },
          400,
          'fingerprint',
        ],
        [
          { method: 'POST', url: pm(key, '/waivers'), payload: { fingerprint: 'a'.repeat(64), reason: 'fine' } },
          400,
          'fingerprint',
        ],
        [{ method: 'POST', url: pm(key, '/redactions'), payload: { version: 'one' } }, 400, 'version'],
        [
          { method: 'POST', url: pm(key, '/redactions'), payload: { version: 1, fingerprints: ['b'.repeat(64)] } },
          400,
          'fingerprints[0]',
        ],
        [{ method: 'POST', url: pm(key, '/publish'), payload: {} }, 400, 'version'],
        [{ method: 'PATCH', url: pm(key), payload: { version: 1, templateId: 'nope' } }, 400, 'templateId'],
        [{ method: 'GET', url: pm(key, '/revisions/first') }, 400, 'version'],
        [{ method: 'GET', url: '/api/v1/postmortems?status=done' }, 400, 'status[0]'],
        [{ method: 'GET', url: '/api/v1/postmortems?cursor=garbage' }, 400, 'cursor'],
        [
          { method: 'POST', url: '/api/v1/postmortem-templates', payload: { name: 'x', sections: [] } },
          400,
          'sections',
        ],
        [
          {
            method: 'POST',
            url: '/api/v1/postmortem-templates',
            payload: { name: 'x', sections: [{ title: 'A' }, { title: 'a' }] },
          },
          400,
          'sections.1.title',
        ],
      ];
      for (const [request, status, field] of cases) {
        const res = await api.call('admin', request);
        expect({ url: request.url, status: res.statusCode }).toEqual({ url: request.url, status });
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json<Problem>().errors.map((e) => e.field)).toContain(field);
      }
      const notJson = await api.call('responder', {
        method: 'PUT',
        url: pm(key, '/body'),
        headers: { 'content-type': 'application/json' },
        payload: '{"body":',
      });
      expect(notJson.statusCode).toBe(400);
      const unknownIncident = await api.call('viewer', {
        method: 'GET',
        url: '/api/v1/incidents/INC-999999/postmortem',
      });
      expect(unknownIncident.statusCode).toBe(404);
      const badKey = await api.call('viewer', { method: 'GET', url: '/api/v1/incidents/%00/postmortem' });
      expect(badKey.statusCode).toBe(404);
    });
  });

  describe('large documents', () => {
    it('accepts a 10 MB text and checks it off the event loop while other requests are served', async () => {
      const key = await resolvedIncident();
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size < 10_000_000; i++) {
        const line = `2026-03-04T14:${String(i % 60).padStart(2, '0')}:00Z level=error service=checkout msg="upstream timeout" request_id=${i.toString(16)}`;
        lines.push(line);
        size += line.length + 1;
      }
      // Unique per run: checks are cached by content, and this one must really be computed.
      const body = cleanBody(
        `## Supporting information\n\nKey ${AWS_KEY} (${db.dialect} ${run})\n\n\`\`\`text\n${lines.join('\n')}\n\`\`\`\n`,
      );
      expect(body.length).toBeGreaterThan(10_000_000);
      const saved = await saveBody(key, body);
      expect(saved.body.length).toBe(body.length);

      let checkedAt = 0;
      const check = api.call('responder', { method: 'POST', url: pm(key, '/check'), payload: { body } }).then((res) => {
        checkedAt = Date.now();
        return res;
      });
      // Give the check time to start, then ask for something else: it must not wait for the check.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const other = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}` });
      const otherAt = Date.now();
      expect(other.statusCode).toBe(200);
      const res = await check;
      expect(res.statusCode).toBe(200);
      expect(otherAt).toBeLessThan(checkedAt);
      const findings = res.json<{ redaction: { kind: string }[] }>();
      expect(findings.redaction.map((f) => f.kind)).toContain('aws-access-key');

      const tooLarge = await api.call('responder', {
        method: 'PUT',
        url: pm(key, '/body'),
        payload: { body: 'x'.repeat(10 * 1024 * 1024 + 1), version: saved.version },
      });
      expect(tooLarge.statusCode).toBe(400);
      expect(tooLarge.json<Problem>().errors[0]?.field).toBe('body');
    }, 120_000);
  });
});
