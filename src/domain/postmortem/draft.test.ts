/**
 * The draft composed from a realistic incident snapshot: the October 24, 2025 rate-limiting incident of PostHog's
 * feature-flags service (public postmortem in the shared corpus), as Debrief would have recorded it.
 */
import { describe, expect, it } from 'vitest';
import {
  findSection,
  isImpactQuantified,
  parseActionItems,
  parseContributingFactors,
  parseSections,
  stripPrompts,
} from '../../analysis/postmortem/index.js';
import { computeDurations } from '../durations.js';
import type { Incident, Service, TimelineEvent } from '../types.js';
import { composeDraft, formatUtc, personName, replaceEvidenceBlock, type DraftInput } from './draft.js';
import { DEFAULT_TEMPLATE } from './templates.js';
import type { PostmortemTemplate } from './types.js';

const incident: Incident = {
  id: 'inc-1',
  number: 57,
  key: 'INC-57',
  title: 'Flags returned 429 for most requests',
  summary: 'IP-based rate limiting on /flags saw every request as coming from the load balancer.',
  severity: 'SEV1',
  type: 'standard',
  visibility: 'public',
  status: 'resolved',
  services: ['flags', 'ingress'],
  customerImpact: '~97% of flag evaluation requests returned 429 worldwide.',
  roles: { commander: 'ana@example.com', scribe: null, communications: 'bo@example.com' },
  members: ['cy@example.com', 'ANA@example.com'],
  impactStartedAt: '2025-10-24T18:01:00.000Z',
  detectedAt: '2025-10-24T18:10:00.000Z',
  acknowledgedAt: '2025-10-24T18:45:00.000Z',
  mitigatedAt: '2025-10-24T19:12:00.000Z',
  resolvedAt: '2025-10-24T19:12:00.000Z',
  declaredAt: '2025-10-24T18:45:00.000Z',
  closedAt: null,
  declaredBy: 'ana@example.com',
  createdAt: '2025-10-24T18:45:00.000Z',
  updatedAt: '2025-10-24T19:12:00.000Z',
  version: 6,
};

let sequence = 0;
function event(fields: Partial<TimelineEvent> & Pick<TimelineEvent, 'at' | 'title'>): TimelineEvent {
  sequence += 1;
  return {
    id: `ev-${sequence}`,
    incidentId: incident.id,
    kind: 'note',
    source: 'debrief',
    body: '',
    labels: {},
    dedupeKey: null,
    marker: null,
    pinned: false,
    artifactId: null,
    count: 1,
    actor: null,
    createdAt: fields.at,
    ...fields,
  };
}

const timeline: TimelineEvent[] = [
  event({
    at: '2025-10-24T18:00:00.000Z',
    kind: 'change',
    source: 'github',
    title: 'Deploy IP-based rate limiting to /flags',
    actor: 'token:deploy-bot',
  }),
  event({
    at: '2025-10-24T18:01:00.000Z',
    kind: 'metric',
    source: 'prometheus',
    title: '429 ratio above 90%',
    marker: 'impact_start',
  }),
  event({
    at: '2025-10-24T18:10:00.000Z',
    title: 'Customer reports of widespread failures',
    marker: 'detected',
    actor: 'cy@example.com',
  }),
  event({
    at: '2025-10-24T18:30:00.000Z',
    kind: 'chat',
    source: 'slack',
    title: 'More customer reports; escalating',
    pinned: true,
    actor: 'cy@example.com',
  }),
  event({ at: '2025-10-24T18:45:00.000Z', kind: 'status', title: 'Incident declared', actor: 'ana@example.com' }),
  event({
    at: '2025-10-24T19:00:00.000Z',
    kind: 'log',
    source: 'loki',
    title: 'rate limiter: limit exceeded for 10.0.0.12',
    count: 48210,
  }),
  event({
    at: '2025-10-24T19:02:00.000Z',
    kind: 'alert',
    source: 'alertmanager',
    title: 'FlagsHigh429Ratio',
    count: 3,
  }),
  event({
    at: '2025-10-24T19:04:00.000Z',
    kind: 'alert',
    source: 'alertmanager',
    title: 'FlagsHigh429Ratio',
    count: 2,
  }),
  event({
    at: '2025-10-24T19:05:00.000Z',
    title: 'Decision: disable rate limiting',
    pinned: true,
    actor: 'ana@example.com',
  }),
  event({
    at: '2025-10-24T19:12:00.000Z',
    kind: 'status',
    title: 'Status: resolved',
    marker: 'resolved',
    actor: 'ana@example.com',
  }),
];

const flags: Service = {
  id: 'svc-flags',
  name: 'flags',
  displayName: 'Feature flags',
  description: '',
  team: 'feature-flags',
  tier: 1,
  runbookUrl: 'https://runbooks.example.com/flags',
  owners: ['ana@example.com', 'dd@example.com'],
  dependencies: ['ingress'],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  version: 1,
};

function input(fields: Partial<DraftInput> = {}): DraftInput {
  return {
    template: DEFAULT_TEMPLATE,
    incident,
    durations: computeDurations(incident),
    timeline,
    suspects: [
      {
        subject: 'Add IP-based rate limiting to /flags',
        service: 'flags',
        version: 'v1.84.0',
        author: 'dev@example.com',
        at: '2025-10-24T18:00:00.000Z',
        url: 'https://github.com/PostHog/posthog/pull/40074',
        reason: 'deployed 1m before impact start on an impacted service',
      },
    ],
    services: [flags],
    charts: [{ artifactId: 'art-429', title: '429 ratio', service: 'flags' }],
    evidence: { present: ['alerts', 'changes', 'logs'], missing: ['traces'] },
    people: { 'ana@example.com': 'Ana Example' },
    ...fields,
  };
}

function sectionText(markdown: string, id: string): string {
  const section = findSection(parseSections(markdown), id);
  if (!section) throw new Error(`no section ${id}`);
  return stripPrompts(section.content).trim();
}

/** A section's content after its prompt, comments such as the evidence markers kept. */
function sectionSource(markdown: string, id: string): string {
  const section = findSection(parseSections(markdown), id);
  if (!section) throw new Error(`no section ${id}`);
  return section.content.trim().replace(/^<!--[\s\S]*?-->\s*/, '');
}

describe('composeDraft', () => {
  const draft = composeDraft(input());

  it('titles the document with the incident key and has the template sections in order', () => {
    expect(draft.split('\n')[0]).toBe('# INC-57: Flags returned 429 for most requests');
    expect(parseSections(draft).map((section) => section.id)).toEqual(
      DEFAULT_TEMPLATE.sections.map((section) => section.id),
    );
  });

  it('keeps every prompt as a comment and leaves the sections needing thought with only their prompt', () => {
    for (const templateSection of DEFAULT_TEMPLATE.sections) {
      expect(draft).toContain(templateSection.prompt.split('\n')[0]);
    }
    const sections = new Map(parseSections(draft).map((section) => [section.id, section.filled]));
    for (const id of [
      'tldr',
      '5-whys',
      'what-went-well',
      'what-went-wrong',
      'where-we-got-lucky',
      'lessons',
      'action-items',
    ]) {
      expect(sections.get(id)).toBe(false);
    }
    for (const id of [
      'summary',
      'impact',
      'timeline',
      'detection',
      'response-and-recovery',
      'contributing-factors',
      'supporting-information',
    ]) {
      expect(sections.get(id)).toBe(true);
    }
  });

  it('fills the summary from the incident', () => {
    expect(sectionText(draft, 'summary')).toBe(
      [
        'IP-based rate limiting on /flags saw every request as coming from the load balancer.',
        '',
        '- **Severity:** SEV1',
        '- **Type:** standard',
        '- **Services:** flags, ingress',
        '- **Customer impact:** ~97% of flag evaluation requests returned 429 worldwide.',
      ].join('\n'),
    );
  });

  it('fills the impact with durations and the error budget, quantified', () => {
    const impact = sectionText(draft, 'impact');
    expect(impact).toBe(
      [
        '~97% of flag evaluation requests returned 429 worldwide.',
        '',
        '- **Impact started:** 2025-10-24 18:01 UTC',
        '- **Impact duration:** 1h 11m (impact start to mitigation)',
        '- **Time to detect:** 9m',
        '- **Time to acknowledge:** 35m',
        '- **Time to mitigate:** 1h 11m',
        '- **Time to resolve:** 1h 11m',
        '- **Error budget:** no SLO defined for flags, ingress',
      ].join('\n'),
    );
    expect(isImpactQuantified(impact)).toBe(true);
  });

  it('tabulates pinned events, markers and status changes in time order, markers in bold', () => {
    expect(sectionText(draft, 'timeline')).toBe(
      [
        '| Time (UTC) | Event | Source |',
        '| --- | --- | --- |',
        '| 2025-10-24 18:01 UTC | **Impact start:** 429 ratio above 90% | prometheus |',
        '| 2025-10-24 18:10 UTC | **Detected:** Customer reports of widespread failures | debrief |',
        '| 2025-10-24 18:30 UTC | More customer reports; escalating | slack |',
        '| 2025-10-24 18:45 UTC | **Acknowledged** (recorded on the incident) | debrief |',
        '| 2025-10-24 18:45 UTC | Incident declared | debrief |',
        '| 2025-10-24 19:05 UTC | Decision: disable rate limiting | debrief |',
        '| 2025-10-24 19:12 UTC | **Mitigated** (recorded on the incident) | debrief |',
        '| 2025-10-24 19:12 UTC | **Resolved:** Status: resolved | debrief |',
      ].join('\n'),
    );
  });

  it('says how the incident was detected', () => {
    expect(sectionText(draft, 'detection')).toBe(
      [
        '- **Detected:** 2025-10-24 18:10 UTC, 9m after impact started',
        '- **First alert:** FlagsHigh429Ratio (×3) (alertmanager) at 2025-10-24 19:02 UTC',
        '- **Detection marker:** Customer reports of widespread failures at 2025-10-24 18:10 UTC',
      ].join('\n'),
    );
  });

  it('fills the response with the lifecycle moments and roles', () => {
    expect(sectionText(draft, 'response-and-recovery')).toBe(
      [
        '- **Acknowledged:** 2025-10-24 18:45 UTC (35m after detection)',
        '- **Mitigated:** 2025-10-24 19:12 UTC (1h 11m after impact start)',
        '- **Resolved:** 2025-10-24 19:12 UTC (1h 11m after impact start)',
        '- **Incident commander:** Ana Example',
        '- **Scribe:** unassigned',
        '- **Communications:** bo',
      ].join('\n'),
    );
  });

  it('proposes suspect changes as factors that count only once confirmed', () => {
    const candidate =
      '- **Change:** [Add IP-based rate limiting to /flags](https://github.com/PostHog/posthog/pull/40074) ' +
      '(flags v1.84.0, 2025-10-24 18:00 UTC) — suspect (deployed 1m before impact start on an impacted service); confirm or delete';
    expect(sectionText(draft, 'contributing-factors')).toBe(candidate);
    expect(parseContributingFactors(draft)).toEqual([]);
    const confirmed = draft.replace('; confirm or delete', '');
    const factors = parseContributingFactors(confirmed);
    expect(factors.map((factor) => factor.category)).toEqual(['change']);
    expect(factors[0]?.description).toMatch(/^\[Add IP-based rate limiting to \/flags\]\(https:/);
  });

  it('starts the action items with an empty table', () => {
    expect(sectionText(draft, 'action-items')).toBe(
      '| Action | Type | Owner | Due | Priority | Ticket |\n| --- | --- | --- | --- | --- | --- |',
    );
    expect(parseActionItems(draft)).toEqual([]);
  });

  it('lists services, alerts, changes, participants, evidence and charts as supporting information', () => {
    expect(sectionSource(draft, 'supporting-information')).toBe(
      [
        '### Services',
        '',
        '- **flags** (Feature flags): team feature-flags; owners Ana Example, dd; [runbook](https://runbooks.example.com/flags)',
        '- **ingress**: not in the service catalog',
        '',
        '### Alerts',
        '',
        '- **FlagsHigh429Ratio** ×5, first at 2025-10-24 19:02 UTC (alertmanager)',
        '',
        '### Changes',
        '',
        '- 2025-10-24 18:00 UTC: [Add IP-based rate limiting to /flags](https://github.com/PostHog/posthog/pull/40074) (flags v1.84.0, by dev)',
        '',
        '### Participants',
        '',
        '- Ana Example (commander)',
        '- bo (communications)',
        '- cy',
        '',
        '### Evidence completeness',
        '',
        '- **Present:** alerts, changes, logs',
        '- **Missing:** traces',
        '',
        '### Charts',
        '',
        '<!-- debrief:evidence:start -->',
        '![429 ratio (flags)](/api/v1/artifacts/art-429/chart.svg)',
        '<!-- debrief:evidence:end -->',
      ].join('\n'),
    );
  });

  it('lists timeline change events when there are no suspects', () => {
    const text = sectionText(composeDraft(input({ suspects: [] })), 'supporting-information');
    expect(text).toContain('### Changes\n\n- 2025-10-24 18:00 UTC: Deploy IP-based rate limiting to /flags (github)\n');
  });

  it('is deterministic and independent of the order events arrive in', () => {
    expect(composeDraft(input())).toBe(draft);
    expect(composeDraft(input({ timeline: [...timeline].reverse() }))).toBe(draft);
  });

  it('keeps untrusted event text as text: no headings, no comments, no broken table', () => {
    const hostile = event({
      at: '2025-10-24T18:20:00.000Z',
      kind: 'chat',
      source: 'slack',
      title: 'see <!-- this\n## Injected | cell\n<script>x</script>',
      pinned: true,
    });
    const text = composeDraft(
      input({ timeline: [...timeline, hostile], incident: { ...incident, summary: '## Fake\n```\nunclosed' } }),
    );
    expect(parseSections(text).map((section) => section.id)).toEqual(
      DEFAULT_TEMPLATE.sections.map((section) => section.id),
    );
    expect(text).toContain(
      '| 2025-10-24 18:20 UTC | see &lt;!-- this ## Injected \\| cell &lt;script>x&lt;/script> | slack |',
    );
    expect(text).toContain('\\## Fake\n\\```\nunclosed');
    const titled = composeDraft(input({ incident: { ...incident, title: 'Flags <!-- down\n## x' } }));
    expect(titled.split('\n')[0]).toBe('# INC-57: Flags &lt;!-- down ## x');
    expect(stripPrompts(text)).toContain('Decision: disable rate limiting');
  });

  it('says what is not recorded for an incident without times or events', () => {
    const bare: Incident = {
      ...incident,
      summary: '',
      customerImpact: '',
      services: [],
      members: [],
      roles: { commander: null, scribe: null, communications: null },
      impactStartedAt: null,
      detectedAt: null,
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
    };
    const text = composeDraft(
      input({
        incident: bare,
        durations: computeDurations(bare),
        timeline: [],
        suspects: [],
        services: [],
        charts: [],
        evidence: null,
      }),
    );
    expect(sectionText(text, 'summary')).toBe(
      '- **Severity:** SEV1\n- **Type:** standard\n- **Services:** none recorded',
    );
    expect(sectionText(text, 'impact')).toContain(
      '- **Impact duration:** not recorded (impact start and mitigation or resolution are needed)',
    );
    expect(sectionText(text, 'timeline')).toBe(
      'No pinned events, markers or status changes yet: pin the events that tell the story.',
    );
    expect(sectionText(text, 'detection')).toBe('No alert or detection marker is recorded yet.');
    expect(sectionText(text, 'contributing-factors')).toBe('');
    expect(sectionText(text, 'supporting-information')).toContain('No participants recorded.');
    expect(sectionSource(text, 'supporting-information')).toContain(
      '### Charts\n\n<!-- debrief:evidence:start -->\n<!-- debrief:evidence:end -->',
    );
    expect(isImpactQuantified(sectionText(text, 'impact'))).toBe(false);
  });

  describe('with a custom template', () => {
    const custom: PostmortemTemplate = {
      ...DEFAULT_TEMPLATE,
      id: 'security',
      name: 'Security',
      builtIn: false,
      sections: [
        { id: 'overview', title: 'Overview', prompt: 'What happened?', required: true },
        { id: 'root-causes', title: 'Root causes', prompt: 'Why?', required: true },
        { id: 'disclosure', title: 'Disclosure', prompt: 'Who was told, and when?', required: true },
        { id: 'summary', title: 'Summary', prompt: 'Again.', required: false },
        { id: 'follow-ups', title: 'Follow-ups', prompt: 'What next?', required: true },
      ],
    };
    const text = composeDraft(input({ template: custom }));

    it('fills sections named by an alias, each canonical section once, and leaves unknown ones with their prompt', () => {
      expect(sectionText(text, 'overview')).toContain('- **Severity:** SEV1');
      expect(sectionText(text, 'root-causes')).toContain('confirm or delete');
      expect(findSection(parseSections(text), 'disclosure')?.content.trim()).toBe('<!-- Who was told, and when? -->');
      expect(findSection(parseSections(text), 'summary-2')).toBeUndefined();
      expect(
        parseSections(text)
          .find((section) => section.title === 'Summary')
          ?.content.trim(),
      ).toBe('<!-- Again. -->');
      expect(sectionText(text, 'follow-ups')).toMatch(/^\| Action \| Type \| Owner \| Due \| Priority \| Ticket \|\n/);
    });

    it('adds the evidence block at the end when the template has no supporting information', () => {
      expect(
        text.endsWith(
          '<!-- debrief:evidence:start -->\n![429 ratio (flags)](/api/v1/artifacts/art-429/chart.svg)\n<!-- debrief:evidence:end -->\n',
        ),
      ).toBe(true);
      expect(composeDraft(input({ template: custom, charts: [] }))).not.toContain('debrief:evidence');
    });
  });
});

describe('replaceEvidenceBlock', () => {
  const charts = [
    { artifactId: 'a1', title: 'Error [ratio]', service: 'checkout' },
    { artifactId: 'a/2', title: 'p99 latency', service: 'payments' },
  ];
  const block =
    '<!-- debrief:evidence:start -->\n![Error \\[ratio\\] (checkout)](/api/v1/artifacts/a1/chart.svg)\n' +
    '![p99 latency (payments)](/api/v1/artifacts/a%2F2/chart.svg)\n<!-- debrief:evidence:end -->';

  it('rewrites only the block and is idempotent', () => {
    const body =
      '## Supporting information\n\nSee the dashboards.\n\n<!-- debrief:evidence:start -->\nold\n<!-- debrief:evidence:end -->\n\nAfter.\n';
    const once = replaceEvidenceBlock(body, charts);
    expect(once).toBe(`## Supporting information\n\nSee the dashboards.\n\n${block}\n\nAfter.\n`);
    expect(replaceEvidenceBlock(once, charts)).toBe(once);
    expect(replaceEvidenceBlock(once, [])).toBe(
      '## Supporting information\n\nSee the dashboards.\n\n<!-- debrief:evidence:start -->\n<!-- debrief:evidence:end -->\n\nAfter.\n',
    );
  });

  it('adds the block at the end of Supporting information, before the next section', () => {
    const body = '## Summary\nA.\n\n## Appendix\nLinks.\n\n## Attendees\n- ana\n';
    const once = replaceEvidenceBlock(body, charts);
    expect(once).toBe(`## Summary\nA.\n\n## Appendix\nLinks.\n\n${block}\n\n## Attendees\n- ana\n`);
    expect(replaceEvidenceBlock(once, charts)).toBe(once);
  });

  it('adds the block at the end of the document when there is no Supporting information', () => {
    const once = replaceEvidenceBlock('## Summary\nA.\n', charts);
    expect(once).toBe(`## Summary\nA.\n\n${block}\n`);
    expect(replaceEvidenceBlock(once, charts)).toBe(once);
    expect(replaceEvidenceBlock('', [])).toBe('<!-- debrief:evidence:start -->\n<!-- debrief:evidence:end -->\n');
  });

  it('ignores markers inside code', () => {
    const body =
      '## Supporting information\n```\n<!-- debrief:evidence:start -->\n<!-- debrief:evidence:end -->\n```\n';
    expect(replaceEvidenceBlock(body, [])).toBe(
      `${body}\n<!-- debrief:evidence:start -->\n<!-- debrief:evidence:end -->\n`,
    );
  });
});

describe('formatUtc', () => {
  it('prints times in UTC to the minute', () => {
    expect(formatUtc('2026-03-04T14:05:59.999Z')).toBe('2026-03-04 14:05 UTC');
    expect(formatUtc('2026-03-04T16:05:00+02:00')).toBe('2026-03-04 14:05 UTC');
    expect(formatUtc('not a time')).toBe('not a time');
  });
});

describe('people in the timeline', () => {
  it('names role holders whose addresses appear in status events', () => {
    const draft = composeDraft({
      ...input(),
      timeline: [
        event({
          at: '2025-10-24T18:50:00.000Z',
          kind: 'status',
          title: 'Roles: commander: ana@example.com, scribe: zed@example.org',
        }),
      ],
    });
    expect(draft).toContain('Roles: commander: Ana Example, scribe: zed@example.org');
  });
});

describe('personName', () => {
  it('writes people by display name, or by the handle before the @ when unknown', () => {
    expect(personName({ 'ana@example.com': 'Ana Souza' }, 'Ana@example.com')).toBe('Ana Souza');
    expect(personName({}, 'ben.okafor@example.com')).toBe('ben.okafor');
    expect(personName({}, 'token:ci')).toBe('token:ci');
  });
});
