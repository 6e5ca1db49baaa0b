import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactId } from '../../app/artifacts.js';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

interface Change {
  id: string;
  source: string;
  kind: string;
  service: string;
  version: string | null;
  diffArtifactId: string | null;
  at: string;
}
interface Suspect {
  rank: number;
  score: number;
  explanation: string;
  reasons: string[];
  relation: string;
  change: Change;
  verdict: { verdict: string; reason: string; decidedBy: string } | null;
}
interface Suspects {
  incident: string;
  reference: { at: string; label: string };
  window: { from: string; to: string };
  items: Suspect[];
}
interface Event {
  kind: string;
  title: string;
  marker: string | null;
  dedupeKey: string | null;
  artifactId: string | null;
}

const MINUTE = 60_000;
const DIFF = [
  '--- a/config/checkout.yaml',
  '+++ b/config/checkout.yaml',
  '@@ -3,3 +3,3 @@ payments:',
  '-  timeout_ms: 2000',
  '+  timeout_ms: 200',
  '   retries: 2',
  '   pool: 50 — ünïcödé stays byte for byte',
  '',
].join('\n');

describeEachDialect('changes API', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  const post = (payload: unknown, role: 'responder' | 'viewer' = 'responder') =>
    api.call(role, { method: 'POST', url: '/api/v1/changes', payload: payload as Record<string, unknown> });
  const count = async (table: 'changes' | 'artifacts') =>
    Number(
      (
        await db.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('recording', () => {
    it('records a change with its diff as an artifact, once, and serves the diff byte for byte', async () => {
      const payload = {
        id: 'pipeline-8812',
        service: 'checkout',
        version: 'v2.3.1',
        kind: 'config',
        environment: 'production',
        author: 'ana',
        at: '2026-11-20T10:00:00+01:00',
        description: 'Lower the payments timeout',
        url: 'https://ci.example.com/runs/8812',
        diff: DIFF,
      };
      const first = await post(payload);
      expect(first.statusCode).toBe(201);
      const change = first.json<Change>();
      expect(change).toMatchObject({
        source: 'change',
        kind: 'config',
        service: 'checkout',
        version: 'v2.3.1',
        at: '2026-11-20T09:00:00.000Z',
        diffArtifactId: artifactId(Buffer.from(DIFF, 'utf8')),
      });
      const [changes, artifacts] = [await count('changes'), await count('artifacts')];

      const again = await post(payload);
      expect(again.statusCode).toBe(200);
      expect(again.json<Change>().id).toBe(change.id);
      expect([await count('changes'), await count('artifacts')]).toEqual([changes, artifacts]);

      const bytes = await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${change.diffArtifactId}` });
      expect(bytes.statusCode).toBe(200);
      expect(bytes.headers['content-type']).toBe('text/x-diff; charset=utf-8');
      expect(bytes.rawPayload.equals(Buffer.from(DIFF, 'utf8'))).toBe(true);
    });

    it('accepts services the catalog does not know yet', async () => {
      const res = await post({ service: 'brand-new-service', version: 'v1', at: '2026-11-20T08:00:00Z' });
      expect(res.statusCode).toBe(201);
      expect(res.json<Change>()).toMatchObject({ service: 'brand-new-service', kind: 'deploy', diffArtifactId: null });
    });

    it('refuses malformed changes with 400 naming the field, writing nothing', async () => {
      const before = await count('changes');
      const kind = await post({ service: 'checkout', kind: 'rollout' });
      expect(kind.statusCode).toBe(400);
      expect(kind.json()).toMatchObject({ code: 'DEBRIEF_ERR_VALIDATION', errors: [{ field: 'kind' }] });
      const unknown = await post({ service: 'checkout', colour: 'blue' });
      expect(unknown.json()).toMatchObject({ errors: [{ field: 'colour', message: 'unknown field' }] });
      const at = await post({ service: 'checkout', at: 'last tuesday' });
      expect(at.json()).toMatchObject({ errors: [{ field: 'at' }] });
      const missing = await post({ version: 'v1' });
      expect(missing.json()).toMatchObject({ errors: [{ field: 'service' }] });
      expect(await count('changes')).toBe(before);
    });

    it('lets responders record and everyone signed in read', async () => {
      const viewer = await post({ service: 'checkout', version: 'v9' }, 'viewer');
      expect(viewer.statusCode).toBe(403);
      const anonymous = await api.call(null, { method: 'GET', url: '/api/v1/changes' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('takes diffs above the 1 MiB default body limit', async () => {
      const diff = `${'+ line of a large generated config\n'.repeat(60_000)}`;
      const res = await post({ id: 'big-diff', service: 'checkout', version: 'v2.4.0', diff });
      expect(res.statusCode).toBe(201);
      expect(res.json<Change>().diffArtifactId).toBe(artifactId(Buffer.from(diff)));
    });
  });

  describe('listing', () => {
    it('lists newest first with filters and cursors', async () => {
      for (const [i, service, kind] of [
        [1, 'search', 'deploy'],
        [2, 'search', 'flag'],
        [3, 'search', 'deploy'],
        [4, 'search', 'config'],
      ] as const) {
        await post({ service, kind, version: `v${i}`, at: `2026-11-21T0${i}:00:00Z` });
      }
      const all = await api.call('viewer', { method: 'GET', url: '/api/v1/changes?service=search' });
      expect(all.json<{ items: Change[] }>().items.map((c) => c.version)).toEqual(['v4', 'v3', 'v2', 'v1']);

      const page1 = (await api.call('viewer', { method: 'GET', url: '/api/v1/changes?service=search&limit=3' })).json<{
        items: Change[];
        nextCursor: string;
      }>();
      expect(page1.items.map((c) => c.version)).toEqual(['v4', 'v3', 'v2']);
      const page2 = (
        await api.call('viewer', {
          method: 'GET',
          url: `/api/v1/changes?service=search&limit=3&cursor=${page1.nextCursor}`,
        })
      ).json<{ items: Change[]; nextCursor: string | null }>();
      expect(page2).toMatchObject({ items: [{ version: 'v1' }], nextCursor: null });

      const filtered = await api.call('viewer', {
        method: 'GET',
        url: '/api/v1/changes?service=search&kind=deploy,flag&from=2026-11-21T02:00:00Z&to=2026-11-21T03:30:00Z',
      });
      expect(filtered.json<{ items: Change[] }>().items.map((c) => c.version)).toEqual(['v3', 'v2']);

      const bad = await api.call('viewer', { method: 'GET', url: '/api/v1/changes?kind=rollout' });
      expect(bad.statusCode).toBe(400);
      const cursor = await api.call('viewer', { method: 'GET', url: '/api/v1/changes?cursor=nope' });
      expect(cursor.json()).toMatchObject({ errors: [{ field: 'cursor' }] });
    });
  });

  describe('suspects', () => {
    const firstAlert = Math.floor((Date.now() - 60 * MINUTE) / MINUTE) * MINUTE;
    const at = (minutes: number) => new Date(firstAlert + minutes * MINUTE).toISOString();
    let key = '';
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const declared = await api.call('responder', {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: {
          title: 'Checkout 5xx spike',
          severity: 'SEV2',
          services: ['checkout'],
          impactStartedAt: at(0),
          detectedAt: at(0),
        },
      });
      key = declared.json<{ key: string }>().key;
      await api.call('responder', {
        method: 'POST',
        url: `/api/v1/incidents/${key}/timeline`,
        payload: {
          kind: 'alert',
          source: 'alertmanager',
          title: 'HighErrorRate firing',
          at: at(0),
          labels: { service: 'checkout' },
        },
      });
      const changes = {
        deploy: { service: 'checkout', version: 'v2.3.1', kind: 'deploy', at: at(-6) },
        config: { service: 'payments', version: 'cfg-41', kind: 'config', at: at(-10) },
        unrelated: { service: 'search', version: 'v7', kind: 'deploy', at: at(-3) },
        old: { service: 'checkout', version: 'v2.2.0', kind: 'deploy', at: at(-26 * 60) },
        later: { service: 'checkout', version: 'v2.3.2', kind: 'deploy', at: at(20) },
      };
      for (const [name, change] of Object.entries(changes)) {
        const res = await post(change);
        expect(res.statusCode).toBe(201);
        ids[name] = res.json<Change>().id;
      }
    });

    it('ranks a same-service deploy just before the first alert first, then a dependency change, with reasons', async () => {
      const res = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/suspects` });
      expect(res.statusCode).toBe(200);
      const body = res.json<Suspects>();
      expect(body.reference).toEqual({ at: at(0), label: 'the first alert' });
      expect(body.items.map((s) => s.change.id)).toEqual([ids.deploy, ids.config, ids.unrelated]);
      const [deploy, config] = body.items;
      expect(deploy?.explanation).toMatch(/^deploy checkout v2\.3\.1, 6 min before the first alert, same service/);
      expect(deploy?.explanation).toContain('error rate on checkout rose 6 min after');
      expect(deploy).toMatchObject({ rank: 1, relation: 'same', verdict: null });
      expect(deploy?.reasons.length).toBeGreaterThanOrEqual(4);
      expect(config?.explanation).toBe(
        'config change payments cfg-41, 10 min before the first alert, on payments, which checkout depends on',
      );
      expect(config?.score).toBeLessThan(deploy?.score ?? 0);
      const narrow = await api.call('viewer', {
        method: 'GET',
        url: `/api/v1/incidents/${key}/suspects?lookbackHours=48`,
      });
      expect(narrow.json<Suspects>().items.map((s) => s.change.id)).toContain(ids.old);
    });

    it('put changes arriving during the open incident on its timeline', async () => {
      const events = (
        await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/timeline?kind=change` })
      ).json<{ items: Event[] }>().items;
      expect(events.map((e) => e.dedupeKey)).toEqual(
        expect.arrayContaining([`change:${ids.deploy}`, `change:${ids.later}`]),
      );
      expect(events.map((e) => e.dedupeKey)).not.toContain(`change:${ids.old}`);
      expect(events.map((e) => e.dedupeKey)).not.toContain(`change:${ids.config}`);
    });

    it('records a confirmed verdict, returns it with the suspect and notes it on the timeline', async () => {
      const url = `/api/v1/incidents/${key}/suspects/${ids.deploy}`;
      const viewer = await api.call('viewer', { method: 'POST', url, payload: { verdict: 'confirmed' } });
      expect(viewer.statusCode).toBe(403);
      const bad = await api.call('responder', { method: 'POST', url, payload: { verdict: 'guilty' } });
      expect(bad.json()).toMatchObject({ errors: [{ field: 'verdict' }] });
      const res = await api.call('responder', {
        method: 'POST',
        url,
        payload: { verdict: 'confirmed', reason: 'Rolling back v2.3.1 cleared the errors' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ verdict: 'confirmed', changeId: ids.deploy });
      await api.call('responder', {
        method: 'POST',
        url,
        payload: { verdict: 'confirmed', reason: 'Rolling back v2.3.1 cleared the errors' },
      });
      const dismissed = await api.call('responder', {
        method: 'POST',
        url: `/api/v1/incidents/${key}/suspects/${ids.config}`,
        payload: { verdict: 'dismissed', reason: 'Reverted an hour before with no effect' },
      });
      expect(dismissed.statusCode).toBe(200);

      const suspects = (
        await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/suspects` })
      ).json<Suspects>();
      expect(suspects.items[0]?.verdict).toMatchObject({
        verdict: 'confirmed',
        reason: 'Rolling back v2.3.1 cleared the errors',
      });
      expect(suspects.items[0]?.verdict?.decidedBy).toMatch(/^token:responder-/);
      expect(suspects.items[1]?.verdict?.verdict).toBe('dismissed');

      const events = (
        await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/timeline?kind=change` })
      ).json<{ items: Event[] }>().items;
      const confirmed = events.filter((e) => e.title.startsWith('Suspect confirmed'));
      expect(confirmed).toEqual([
        expect.objectContaining({ title: 'Suspect confirmed: deploy checkout v2.3.1', marker: null }),
      ]);

      const audit = (
        await api.call('admin', { method: 'GET', url: `/api/v1/audit?entityType=incident&entityId=${key}` })
      ).json<{ items: { action: string }[] }>().items;
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['suspect.confirm', 'suspect.dismiss']));
      expect(audit.filter((a) => a.action === 'suspect.confirm')).toHaveLength(1);

      const missing = await api.call('responder', {
        method: 'POST',
        url: `/api/v1/incidents/${key}/suspects/01900000-0000-7000-8000-000000000000`,
        payload: { verdict: 'dismissed' },
      });
      expect(missing.statusCode).toBe(404);
    });

    it('hides the suspects of a private incident from non-members as not found', async () => {
      const declared = await api.call('responder', {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: {
          title: 'Card data exposure',
          severity: 'SEV1',
          type: 'security',
          visibility: 'private',
          services: ['checkout'],
        },
      });
      const privateKey = declared.json<{ key: string }>().key;
      const viewer = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${privateKey}/suspects` });
      expect(viewer.statusCode).toBe(404);
      expect(viewer.json()).toMatchObject({ code: 'DEBRIEF_ERR_NOT_FOUND' });
      const verdict = await api.call('reviewer', {
        method: 'POST',
        url: `/api/v1/incidents/${privateKey}/suspects/${ids.deploy}`,
        payload: { verdict: 'confirmed' },
      });
      expect(verdict.statusCode).toBe(404);
      expect(
        (await api.call('responder', { method: 'GET', url: `/api/v1/incidents/${privateKey}/suspects` })).statusCode,
      ).toBe(200);
      expect(
        (await api.call('admin', { method: 'GET', url: `/api/v1/incidents/${privateKey}/suspects` })).statusCode,
      ).toBe(200);
    });
  });
});
