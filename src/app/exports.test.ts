import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { DebriefError } from '../domain/errors.js';
import type { Principal, TimelineEvent } from '../domain/types.js';
import { putArtifact } from './artifacts.js';
import { createService, createTeam } from './catalog.js';
import { createAppContext, transact, type AppContext } from './context.js';
import {
  chartIds,
  composeHtml,
  composeMarkdown,
  exportFileName,
  exportPostmortem,
  type ExportDocument,
  type PostmortemExportJson,
} from './exports.js';
import { changeIncidentStatus, declareIncident } from './incidents.js';
import { PROMETHEUS_RANGE_MEDIA_TYPE } from './metrics-capture.js';
import { publishPostmortem, reopenPostmortem } from './postmortem-publishing.js';
import { requestReview, reviewPostmortem, waiveRedaction } from './postmortem-reviews.js';
import type { PostmortemDetailView } from './postmortem-views.js';
import { getPostmortem, savePostmortemBody, updatePostmortem } from './postmortems.js';
import { presentIncident } from './presenters.js';
import { addTimelineEventIn } from './timeline.js';

const ADMIN: Principal = { kind: 'system', name: 'exports-test', role: 'admin' };
const REVIEWER: Principal = { kind: 'user', id: 'u-rev', email: 'rev@example.com', name: 'Rev', role: 'reviewer' };
const OUTSIDER: Principal = { kind: 'user', id: 'u-out', email: 'out@example.com', name: 'Out', role: 'viewer' };
const VIEWER: Principal = { kind: 'user', id: 'u-view', email: 'view@example.com', name: 'View', role: 'viewer' };

/** Shaped like a real AWS access key id, so the secret detectors take it for one. */
const AWS_KEY = 'AKIAZ7VRSQ4TLM3XKCNB';
const EMAIL = 'jane.doe@example.org';

function snapshot(): string {
  const start = Date.parse('2026-03-04T13:30:00Z') / 1000;
  const values = Array.from({ length: 120 }, (_, i): [number, string] => [
    start + i * 60,
    String(i > 30 && i < 100 ? 0.12 : 0.002),
  ]);
  return JSON.stringify({
    format: 'debrief.prometheus-range/v1',
    service: 'checkout',
    name: 'error ratio',
    unit: 'ratio',
    phase: 'resolve',
    query: 'sum(rate(http_requests_total{service="checkout",code=~"5.."}[5m]))',
    queryTemplate: 'sum(rate(http_requests_total{service="$service",code=~"5.."}[5m]))',
    prometheusUrl: 'http://prometheus.internal:9090',
    capturedAt: '2026-03-04T15:40:00.000Z',
    window: { start: '2026-03-04T13:30:00.000Z', end: '2026-03-04T15:29:00.000Z', stepSeconds: 60 },
    resultType: 'matrix',
    seriesTotal: 1,
    warnings: [],
    result: [{ metric: { pod: 'checkout-7f9c-internal-host' }, values }],
  });
}

function body(chartId: string, extra = ''): string {
  return `# Checkout errors after the config push

## TL;DR

A configuration push raised checkout errors to 12% for 70 minutes. Rolling it back ended the impact.

## Impact

About 12% of checkout requests failed for 70 minutes. The deploy key ${AWS_KEY} appeared in a pasted log line,
and ${EMAIL} was paged.

## Timeline

| Time (UTC) | Event | Source |
|---|---|---|
| 2026-03-04 14:00 | Configuration push to checkout | deploy |
| 2026-03-04 14:04 | Error-rate alert fired | alertmanager |

## Contributing factors

<!-- One factor per line, each with a category. -->

- **Change:** the configuration push removed the connection pool limit.
- **Detection gap:** the error-rate alert waited four minutes before firing.

## Action items

| Action | Type | Owner | Due | Priority | Ticket |
|---|---|---|---|---|---|
| Validate pool limits in CI | prevent | @payments | 2026-04-01 | P1 | OPS-12 |

## Internal notes

Vendor contract 5521-ALPHA and the escalation path.

## Supporting information

![error ratio (checkout)](/api/v1/artifacts/${chartId}/chart.svg)

![pool diagram](/diagrams/pool.png)
${extra}`;
}

async function addEvent(ctx: AppContext, key: string, event: Partial<TimelineEvent> & { title: string }) {
  return transact(ctx, async (tx) => {
    const { event: added } = await addTimelineEventIn(tx, ADMIN, key, {
      kind: event.kind ?? 'note',
      at: event.at ?? '2026-03-04T14:10:00Z',
      title: event.title,
      body: event.body ?? '',
      ...(event.pinned !== undefined ? { pinned: event.pinned } : {}),
      ...(event.marker ? { marker: event.marker } : {}),
    });
    return added;
  });
}

function text(file: { data: Buffer }): string {
  return file.data.toString('utf8');
}

describeEachDialect('postmortem exports', (db) => {
  let ctx: AppContext;
  let key = '';
  let privateKey = '';
  let chartId = '';

  beforeAll(async () => {
    ctx = createAppContext(db.database, { now: () => new Date('2026-03-04T16:00:00Z') });
    await createTeam(ctx, ADMIN, { name: 'payments', displayName: 'Payments' });
    await createService(ctx, ADMIN, { name: 'checkout', team: 'payments', tier: 1 });
    const incident = await declareIncident(ctx, ADMIN, {
      title: 'Checkout errors after the "pool" config push',
      severity: 'SEV3',
      services: ['checkout'],
      summary: 'Checkout returned errors after a configuration push.',
      impactStartedAt: '2026-03-04T14:00:00Z',
      detectedAt: '2026-03-04T14:04:00Z',
      roles: { commander: 'ic@example.com' },
    });
    key = incident.key;
    chartId = await transact(ctx, async (tx) => {
      const meta = await putArtifact(tx, snapshot(), PROMETHEUS_RANGE_MEDIA_TYPE, 'error ratio (checkout)');
      const { event } = await addTimelineEventIn(tx, ADMIN, key, {
        kind: 'metric',
        source: 'prometheus',
        at: '2026-03-04T15:40:00Z',
        title: 'error ratio (checkout): captured 2h',
      });
      await tx.repos.timeline.update({ ...event, artifactId: meta.id });
      return meta.id;
    });
    await addEvent(ctx, key, { title: 'Rolled back the pool config', pinned: true, at: '2026-03-04T14:35:00Z' });
    await addEvent(ctx, key, {
      title: `Key ${AWS_KEY} seen in logs`,
      marker: 'key_moment',
      at: '2026-03-04T14:20:00Z',
    });
    await addEvent(ctx, key, { kind: 'chat', title: 'unpinned chatter', at: '2026-03-04T14:21:00Z' });
    await changeIncidentStatus(ctx, ADMIN, key, { status: 'mitigated', at: '2026-03-04T14:40:00Z' });
    await changeIncidentStatus(ctx, ADMIN, key, { status: 'resolved', at: '2026-03-04T15:10:00Z' });
    // Resolving drafts the postmortem; the test then writes its own text over the draft.
    const draft = await getPostmortem(ctx, ADMIN, key);
    const saved = await savePostmortemBody(ctx, ADMIN, key, { body: body(chartId), version: draft.postmortem.version });
    await updatePostmortem(ctx, ADMIN, key, { version: saved.version, hiddenSections: ['internal-notes'] });

    const secret = await declareIncident(ctx, ADMIN, {
      title: 'Token leak',
      severity: 'SEV2',
      type: 'security',
      visibility: 'private',
      services: ['checkout'],
      members: ['member@example.com'],
    });
    privateKey = secret.key;
    await changeIncidentStatus(ctx, ADMIN, privateKey, { status: 'resolved' });
  });

  it('exports markdown with front matter describing the incident, then the text as written', async () => {
    const file = await exportPostmortem(ctx, VIEWER, key, { format: 'md', variant: 'internal' });
    expect(file.filename).toBe(`${key}-postmortem.md`);
    expect(file.contentType).toBe('text/markdown; charset=utf-8');
    const md = text(file);
    const [, front = '', rest = ''] = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(md) ?? [];
    expect(front).toContain('title: "Checkout errors after the \\"pool\\" config push"');
    expect(front).toContain(`incident: "${key}"`);
    expect(front).toContain('severity: "SEV3"');
    expect(front).toContain('services: ["checkout"]');
    expect(front).toContain('status: "draft"');
    expect(front).toContain('draft: true');
    expect(front).toContain('impact_start: "2026-03-04T14:00:00.000Z"');
    expect(front).toContain('mitigated: "2026-03-04T14:40:00.000Z"');
    expect(front).toContain('  time_to_detect: "4m"');
    expect(front).toContain('  time_to_resolve_seconds: 4200');
    expect(front).toContain('published_at: null');
    expect(front).toContain('variant: "internal"');
    expect(front).toMatch(/^quality_score: \d+$/m);
    expect(rest).toBe(`${body(chartId).trimEnd()}\n`);
  });

  it('leaves hidden sections, prompts and every redaction out of the external markdown, waived or not', async () => {
    const detail = await getPostmortem(ctx, ADMIN, key);
    const aws = detail.redaction.find((f) => f.text === AWS_KEY);
    expect(aws).toBeDefined();
    await waiveRedaction(ctx, REVIEWER, key, { fingerprint: aws?.fingerprint ?? '', reason: 'rotated already' });

    const internal = text(await exportPostmortem(ctx, VIEWER, key, { format: 'md', variant: 'internal' }));
    expect(internal).toContain(AWS_KEY);
    const file = await exportPostmortem(ctx, VIEWER, key, { format: 'md', variant: 'external' });
    expect(file.filename).toBe(`${key}-postmortem-external.md`);
    const md = text(file);
    expect(md).not.toContain(AWS_KEY);
    expect(md).not.toContain(EMAIL);
    expect(md).not.toContain('Internal notes');
    expect(md).not.toContain('5521-ALPHA');
    expect(md).not.toContain('<!--');
    expect(md).toContain('[REDACTED:');
    expect(md).toContain('## Contributing factors');
    expect(md).toContain('variant: "external"');
    expect(md).toMatch(/^redactions: [2-9]\d*$/m);
  });

  it('exports one standalone HTML page with the facts, a draft watermark and the chart inlined', async () => {
    const file = await exportPostmortem(ctx, VIEWER, key, { format: 'html', variant: 'internal' });
    expect(file.contentType).toBe('text/html; charset=utf-8');
    const html = text(file);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe/i);
    expect(html).toContain(`<title>${key} postmortem: Checkout errors after the &#34;pool&#34; config push</title>`);
    expect(html).toContain('<div class="watermark" aria-hidden="true">DRAFT</div>');
    expect(html).toContain('<dt>Time to detect</dt><dd>4m</dd>');
    expect(html).toContain('<dt>Commander</dt><dd>ic@example.com</dd>');
    expect(html).toContain('<h2 id="user-content-contributing-factors">Contributing factors</h2>');
    expect(html).not.toContain('One factor per line');
    // The chart is a data: image, drawn with the incident's markers and its series names.
    const inlined = /<img src="data:image\/svg\+xml;base64,([^"]+)" alt="error ratio \(checkout\)">/.exec(html);
    expect(inlined).not.toBeNull();
    const svg = Buffer.from(inlined?.[1] ?? '', 'base64').toString('utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('>detected<');
    expect(svg).toContain('>resolved<');
    expect(html).not.toContain(`/api/v1/artifacts/${chartId}`);
    // A relative image cannot load from a saved file: its alt text stands in.
    expect(html).not.toContain('/diagrams/pool.png');
    expect(html).toContain('[pool diagram]');
  });

  it('draws external charts without series names and redacts the incident title', async () => {
    const html = text(await exportPostmortem(ctx, VIEWER, key, { format: 'html', variant: 'external' }));
    expect(html).toContain('external version');
    expect(html).not.toContain('ic@example.com');
    const inlined = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html);
    const svg = Buffer.from(inlined?.[1] ?? '', 'base64').toString('utf8');
    expect(svg).toContain('<svg');
    expect(svg).not.toContain('internal-host');
  });

  it('exports JSON with the structure read from the exported text and only pinned and marker events', async () => {
    const file = await exportPostmortem(ctx, VIEWER, key, { format: 'json', variant: 'internal' });
    expect(file.contentType).toBe('application/json; charset=utf-8');
    const json = JSON.parse(text(file)) as PostmortemExportJson;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['incident', 'postmortem', 'sections', 'factors', 'actionItems', 'quality', 'timeline']),
    );
    expect(json.variant).toBe('internal');
    expect(json.draft).toBe(true);
    expect(json.publication).toBeNull();
    expect(json.incident).toMatchObject({ key, severity: 'SEV3', roles: { commander: 'ic@example.com' } });
    expect(json.sections.find((s) => s.id === 'internal-notes')?.hiddenExternally).toBe(true);
    expect(json.factors.map((f) => f.category)).toEqual(['change', 'detection_gap']);
    expect(json.actionItems).toMatchObject([{ description: 'Validate pool limits in CI', due: '2026-04-01' }]);
    const titles = json.timeline.map((e) => e.title);
    expect(titles).toContain('Rolled back the pool config');
    expect(titles).toContain(`Key ${AWS_KEY} seen in logs`);
    expect(titles).not.toContain('unpinned chatter');
    expect(json.timeline.every((e) => e.pinned || e.marker !== null)).toBe(true);
    expect(json.timeline.map((e) => e.at)).toEqual([...json.timeline.map((e) => e.at)].sort());
  });

  it('keeps people, hidden sections and waived values out of the external JSON', async () => {
    const raw = text(await exportPostmortem(ctx, VIEWER, key, { format: 'json', variant: 'external' }));
    for (const secret of [AWS_KEY, EMAIL, '5521-ALPHA', 'internal-notes', 'ic@example.com', 'exports-test']) {
      expect(raw).not.toContain(secret);
    }
    const json = JSON.parse(raw) as PostmortemExportJson;
    expect(json.variant).toBe('external');
    expect(json.incident).not.toHaveProperty('roles');
    expect(json.postmortem).not.toHaveProperty('createdBy');
    expect(json.postmortem.body).toContain('[REDACTED:');
    expect(json.sections.map((s) => s.id)).not.toContain('internal-notes');
    expect(json.factors).toHaveLength(2);
    expect(json.timeline.find((e) => e.marker === 'key_moment')?.title).toMatch(
      /^Key \[REDACTED:[^\]]+\] seen in logs$/,
    );
    expect(json.timeline.every((e) => e.body === undefined)).toBe(true);
  });

  it('renders a PDF of the page', async () => {
    const file = await exportPostmortem(ctx, VIEWER, key, { format: 'pdf', variant: 'external' });
    expect(file.filename).toBe(`${key}-postmortem-external.pdf`);
    expect(file.contentType).toBe('application/pdf');
    expect(file.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(file.data.toString('latin1')).toContain(`/Title (${key} postmortem: `);
  });

  it('exports the published text once published, and the new draft after reopening', async () => {
    const detail = await getPostmortem(ctx, ADMIN, key);
    for (const finding of detail.redaction.filter((f) => !f.waiver)) {
      await waiveRedaction(ctx, REVIEWER, key, { fingerprint: finding.fingerprint, reason: 'needed internally' });
    }
    await requestReview(ctx, ADMIN, key, {});
    await reviewPostmortem(ctx, REVIEWER, key, { decision: 'approve', score: 4 });
    const current = await getPostmortem(ctx, ADMIN, key);
    await publishPostmortem(ctx, REVIEWER, key, { version: current.postmortem.version });

    const md = text(await exportPostmortem(ctx, VIEWER, key, { format: 'md', variant: 'internal' }));
    expect(md).toContain('status: "published"');
    expect(md).toContain('draft: false');
    expect(md).toMatch(/^published_at: "2026-03-04T16:00:00.000Z"$/m);
    const html = text(await exportPostmortem(ctx, VIEWER, key, { format: 'html', variant: 'internal' }));
    expect(html).not.toContain('class="watermark"');
    expect(html).not.toContain('class="banner"');
    const json = JSON.parse(
      text(await exportPostmortem(ctx, VIEWER, key, { format: 'json', variant: 'external' })),
    ) as PostmortemExportJson;
    expect(json.draft).toBe(false);
    expect(json.publication).toEqual({
      version: expect.any(Number) as number,
      publishedAt: '2026-03-04T16:00:00.000Z',
    });
    expect(JSON.stringify(json)).not.toContain(AWS_KEY);

    await reopenPostmortem(ctx, REVIEWER, key);
    const reopened = await getPostmortem(ctx, ADMIN, key);
    await savePostmortemBody(ctx, ADMIN, key, {
      body: body(chartId, '\nA late addition after reopening.\n'),
      version: reopened.postmortem.version,
    });
    const again = text(await exportPostmortem(ctx, VIEWER, key, { format: 'md', variant: 'internal' }));
    expect(again).toContain('A late addition after reopening.');
    expect(again).toContain('draft: true');
  });

  it('answers not found for a private incident the caller may not see, in every format', async () => {
    for (const format of ['md', 'html', 'pdf', 'json'] as const) {
      const error = await exportPostmortem(ctx, OUTSIDER, privateKey, { format, variant: 'internal' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DebriefError);
      expect(error).toMatchObject({ code: 'DEBRIEF_ERR_NOT_FOUND' });
    }
    const member: Principal = { kind: 'user', id: 'u-m', email: 'member@example.com', name: 'M', role: 'viewer' };
    const file = await exportPostmortem(ctx, member, privateKey, { format: 'md', variant: 'internal' });
    expect(text(file)).toContain(`incident: "${privateKey}"`);
  });

  it('rejects an unknown format or variant naming the field', async () => {
    const bad = (options: object) =>
      exportPostmortem(ctx, VIEWER, key, options as { format: 'md' }).catch((e: unknown) => e);
    expect(await bad({ format: 'docx' })).toMatchObject({ code: 'DEBRIEF_ERR_VALIDATION', field: 'format' });
    expect(await bad({ format: 'md', variant: 'public' })).toMatchObject({
      code: 'DEBRIEF_ERR_VALIDATION',
      field: 'variant',
    });
  });
});

/** A document as `loadExportDocument` gathers it, for the composition rules that need no database. */
function fixture(overrides: Partial<ExportDocument> = {}): ExportDocument {
  const incident = presentIncident({
    id: 'i1',
    number: 7,
    key: 'INC-7',
    title: 'Line one\nand "two": a: b',
    summary: '',
    severity: 'SEV2',
    type: 'near_miss',
    visibility: 'public',
    status: 'resolved',
    services: [],
    customerImpact: '',
    roles: { commander: null, scribe: null, communications: null },
    members: [],
    impactStartedAt: null,
    detectedAt: null,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: '2026-01-01T00:00:00.000Z',
    declaredAt: '2025-12-31T23:00:00.000Z',
    closedAt: null,
    declaredBy: 'a@example.com',
    createdAt: '2025-12-31T23:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 3,
  });
  const detail = {
    postmortem: {
      id: 'p1',
      incident: { ...incident, resolvedAt: incident.resolvedAt },
      template: { id: 'default', name: 'Default' },
      status: 'approved',
      body: '',
      version: 5,
      hiddenSections: [],
      round: 1,
      createdBy: 'a@example.com',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      updatedBy: 'a@example.com',
      reviewRequestedAt: null,
      reviewRequestedBy: null,
      publishedAt: null,
      publishedBy: null,
    },
    quality: { score: 40, items: [], reviewerScore: null },
    publication: null,
  } as unknown as PostmortemDetailView;
  return {
    variant: 'internal',
    text: 'Just a paragraph.',
    draft: true,
    version: 5,
    detail,
    incident,
    timeline: [],
    redactions: 0,
    charts: new Map(),
    generatedAt: '2026-01-02T00:00:00.000Z',
    ...overrides,
  };
}

describe('export composition', () => {
  it('writes front matter values as quoted YAML strings, so titles with colons, quotes and newlines survive', () => {
    const md = composeMarkdown(fixture());
    expect(md).toContain('title: "Line one\\nand \\"two\\": a: b"');
    expect(md).toContain('services: []');
    expect(md).toContain('impact_start: null');
    expect(md).toContain('  time_to_detect: null');
    expect(md.endsWith('Just a paragraph.\n')).toBe(true);
  });

  it('adds the title to the HTML header only when the text has no title heading of its own', async () => {
    const without = await composeHtml(fixture());
    expect(without).toContain('<h1>Line one\nand &#34;two&#34;: a: b</h1>');
    const withTitle = await composeHtml(fixture({ text: '<!-- prompt -->\n# Own title\n\nText.' }));
    expect(withTitle.match(/<h1/g)).toHaveLength(1);
    expect(withTitle).toContain('<h1 id="user-content-own-title">Own title</h1>');
  });

  it('labels a draft with its review status', async () => {
    const html = await composeHtml(fixture());
    expect(html).toContain('>APPROVED</div>');
    expect(html).toContain('not published yet (status: approved)');
  });

  it('names files by incident, variant and format', () => {
    expect(exportFileName('INC-12', 'internal', 'pdf')).toBe('INC-12-postmortem.pdf');
    expect(exportFileName('INC-12', 'external', 'md')).toBe('INC-12-postmortem-external.md');
  });

  it('finds each chart a text shows once, whatever the case of its id', () => {
    const id = 'ab'.repeat(32);
    expect(
      chartIds(`![a](/api/v1/artifacts/${id}/chart.svg) ![b](/api/v1/artifacts/${id.toUpperCase()}/chart.svg)`),
    ).toEqual([id]);
  });
});
