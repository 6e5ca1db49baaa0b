/**
 * The demo's postmortem practice: after the incidents are loaded (resolving each one composed an evidence-filled
 * draft), the demo people write most of the older postmortems and take them through review the way a team does —
 * written over a couple of days, reviewed, sometimes sent back, approved by an owner of the impacted service,
 * published, then read and acknowledged by the teams involved. A few stay in review or in draft, and one was
 * published late, so lists, gates and the quality rubric show the variety a real quarter has.
 *
 * Every step is a real use case, acted by a demo person on a clock set to when it happened. Drawn from its own seeded
 * generator, so the same incidents always get the same postmortems.
 */
import {
  findSection,
  parseSections,
  removeSections,
  replaceSectionContent,
  UNCONFIRMED_FACTOR_MARK,
} from '../analysis/postmortem/index.js';
import { canSeeIncident, roleAtLeast } from '../domain/access.js';
import { parseIncidentKey } from '../domain/incident-key.js';
import { formatUtc } from '../domain/postmortem/index.js';
import type { PostmortemStatus } from '../domain/postmortem/types.js';
import { SeededRandom } from '../domain/seeded-random.js';
import type { Incident, IncidentType, Principal, Severity } from '../domain/types.js';
import { read, type AppContext } from './context.js';
import { STORIES, type Story, type StoryAction, type StoryFacts } from './demo-postmortem-stories.js';
import { getIncident, updateIncident } from './incidents.js';
import {
  acknowledgePostmortem,
  addComment,
  applyRedactions,
  checkPostmortemText,
  getReadership,
  publishPostmortem,
  recordView,
  requestReview,
  resolveComment,
  reviewPostmortem,
  savePostmortemBody,
  waiveRedaction,
} from './postmortems.js';
import { DEFAULT_SETTINGS } from './settings.js';

/** One demo incident as its postmortem writers know it: the scenario's facts and the people and times involved. */
export interface DemoIncident {
  key: string;
  /** The scenario's title, which names its story. */
  scenario: string;
  type: IncidentType;
  severity: Severity;
  services: readonly string[];
  facts: StoryFacts;
  summary: string;
  impact: string;
  peak: string;
  mitigatedNote: string;
  /** The recorded change behind the incident, when there was one; the draft proposes it as a suspect. */
  cause: { service: string; version: string | null; at: string } | null;
  /** Emails of the on-call who was paged and of the incident commander. */
  oncall: string;
  commander: string;
  /** When it was resolved (epoch ms), or null while open. */
  resolvedAt: number | null;
}

export interface DemoPostmortemsInput {
  /** The demo's "now" (epoch ms); nothing is written after it. */
  now: number;
  incidents: readonly DemoIncident[];
  /**
   * Everyone who may act in the demo's history, with the handle they go by in chat and action items. The signed-in
   * demo admin is left out on purpose: what is left to do is theirs.
   */
  people: readonly { email: string; handle: string }[];
}

const SEED = 0x9057;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Postmortems of incidents resolved more recently than this are left as the draft composed on resolution. */
const WRITTEN_AFTER = 10 * DAY;

class Rng extends SeededRandom {
  /** A duration between `min` and `max` hours, in whole minutes. */
  hours(min: number, max: number): number {
    return this.int(min * 60, max * 60) * MINUTE;
  }
}

/**
 * What happens to one postmortem. `published` on time; `late` after the policy's days; `revised` published after
 * a round of requested changes; `approved` waits for someone to publish it; `in_review`; `changes_requested` waits
 * for its author; `partial` is a draft half written; `untouched` is the composed draft nobody has opened.
 */
type Outcome =
  'published' | 'late' | 'revised' | 'approved' | 'in_review' | 'changes_requested' | 'partial' | 'untouched';

/** The most recent written postmortems are still in the works, in these states. */
const IN_PROGRESS: readonly Outcome[] = [
  'partial',
  'in_review',
  'changes_requested',
  'in_review',
  'approved',
  'in_review',
];

interface Assignment {
  incident: DemoIncident;
  outcome: Outcome;
  /** The writer pasted a command with a live token; a reviewer redacts it. */
  token: boolean;
  /** One action item still has no owner or due date (it passes the gates, not the rubric). */
  unowned: boolean;
}

/**
 * Which postmortem ends up where. Oldest first: one old near miss was never written up (or another old one), the
 * oldest standard incident's postmortem was published late, one went through requested changes, one quoted a
 * token; the most recent are in progress; the rest are published on time.
 */
function assignOutcomes(rng: Rng, eligible: readonly DemoIncident[]): Assignment[] {
  const recent = eligible.slice(-IN_PROGRESS.length);
  const older = eligible.slice(0, eligible.length - recent.length);
  const outcomes = new Map<DemoIncident, Outcome>();
  rng.shuffle(IN_PROGRESS).forEach((outcome, i) => {
    const incident = recent[i];
    if (incident) outcomes.set(incident, outcome);
  });
  const free = (pred: (i: DemoIncident) => boolean) => older.filter((i) => !outcomes.has(i) && pred(i));
  const standard = (i: DemoIncident) => i.type === 'standard';
  const untouched = free((i) => i.type === 'near_miss')[0] ?? free(() => true)[0];
  if (untouched) outcomes.set(untouched, 'untouched');
  const late = free(standard)[0];
  if (late) outcomes.set(late, 'late');
  const middle = free(standard);
  const revised = middle[Math.floor(middle.length / 2)];
  if (revised) outcomes.set(revised, 'revised');
  const published = free(() => true);
  for (const incident of published) outcomes.set(incident, 'published');
  const pick = (items: readonly DemoIncident[]) => (items.length > 0 ? rng.pick(items) : undefined);
  const token = pick(published.filter(standard));
  const unowned = pick(published.filter((i) => i !== token));
  return eligible.map((incident) => ({
    incident,
    outcome: outcomes.get(incident) ?? 'published',
    token: incident === token,
    unowned: incident === unowned,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Writing: the sections a person fills in, composed from the scenario's facts and its story.
// ---------------------------------------------------------------------------------------------------------------

const TEAM_PREFIX: Readonly<Record<string, string>> = { commerce: 'COM', platform: 'PLAT', discovery: 'DISC' };

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const sentence = (s: string): string => (/[.!?"]$/.test(s) ? s : `${s}.`);

function duration(minutes: number): string {
  if (minutes < 90) return `${minutes} minutes`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} hours` : `${h} h ${m} min`;
}

interface ActionRow {
  action: StoryAction;
  owner: string;
  due: string;
  ticket: string;
  /** Left out of the first version; added after a reviewer asked for it. */
  held: boolean;
}

/** Everything one postmortem's writers put in, drawn once so every version of the text agrees. */
interface Writing {
  story: Story;
  rows: ActionRow[];
  /** A command with a live token the writer pasted, or null. */
  token: string | null;
}

function planWriting(
  rng: Rng,
  assignment: Assignment,
  teamOf: ReadonlyMap<string, string>,
  members: ReadonlyMap<string, readonly string[]>,
  handles: ReadonlyMap<string, string>,
): Writing {
  const { incident } = assignment;
  const story = STORIES[incident.scenario];
  if (!story) throw new Error(`no demo postmortem story for "${incident.scenario}"`);
  const resolved = incident.resolvedAt ?? 0;
  const home = teamOf.get(incident.services[0] ?? '') ?? 'platform';
  // The action a reviewer asks for: how the next one would be found sooner, else the last one.
  const revising = assignment.outcome === 'revised' || assignment.outcome === 'changes_requested';
  const detect = story.actions.findIndex((a) => a.type === 'detect');
  const heldIndex = !revising ? -1 : detect === -1 ? story.actions.length - 1 : detect;
  const rows = story.actions.map((action, i): ActionRow => {
    const team = action.team ?? home;
    const people = members.get(team) ?? [];
    const owner = handles.get(rng.pick(people.length ? people : [...handles.keys()])) ?? 'TBD';
    const days =
      action.priority === 'P1' ? rng.int(10, 16) : action.priority === 'P2' ? rng.int(25, 35) : rng.int(50, 70);
    const prefix = TEAM_PREFIX[team] ?? 'OPS';
    const id = `${prefix}-${rng.int(120, 980)}`;
    return {
      action,
      owner: `@${owner}`,
      due: day(resolved + days * DAY),
      ticket: `[${id}](https://tracker.example.com/browse/${id})`,
      held: i === heldIndex,
    };
  });
  if (assignment.unowned) {
    const last = rows.at(-1);
    if (last) Object.assign(last, { owner: 'TBD', due: 'TBD' });
  }
  return { story, rows, token: assignment.token ? rng.hex(40) : null };
}

/** The prompt comment a section starts with (kept: it never reaches a rendered page) and the text after it. */
function splitPrompt(content: string): { prompt: string; rest: string } {
  const text = content.trim();
  if (!text.startsWith('<!--')) return { prompt: '', rest: text };
  const end = text.indexOf('-->');
  if (end === -1) return { prompt: text, rest: '' };
  return { prompt: text.slice(0, end + 3), rest: text.slice(end + 3).trim() };
}

/** Fills a section: its prompt first, then the new text in place of what was there, or before it (`prepend`). */
function fill(markdown: string, id: string, text: string, mode: 'replace' | 'prepend' = 'replace'): string {
  const section = findSection(parseSections(markdown), id);
  const { prompt, rest } = splitPrompt(section?.content ?? '');
  const parts = mode === 'replace' ? [prompt, text] : [prompt, text, rest];
  return replaceSectionContent(markdown, id, parts.filter((p) => p !== '').join('\n\n'));
}

const bullets = (lines: readonly string[]): string => lines.map((l) => `- ${l}`).join('\n');

/**
 * The change behind the incident as a confirmed factor: the draft's suspect line for it, with the writers' account
 * in place of "suspect …; confirm or delete". The draft's other suspects are dropped.
 */
function changeFactor(incident: DemoIncident, draftFactors: string, what: string): string {
  const { cause } = incident;
  let name = cause ? `The ${cause.service} change${cause.version ? ` ${cause.version}` : ''}` : 'The change';
  if (cause) {
    const anchor = `(${cause.service}${cause.version ? ` ${cause.version}` : ''}, ${formatUtc(cause.at)})`;
    const suspect = draftFactors
      .split('\n')
      .find((line) => line.includes(anchor) && line.includes(UNCONFIRMED_FACTOR_MARK));
    const named = suspect?.match(/^- \*\*Change:\*\* (.*) — suspect /)?.[1];
    if (named) name = named;
  }
  return `- **Change:** ${name} ${what}.`;
}

function actionTable(rows: readonly ActionRow[], includeHeld: boolean): string {
  const lines = rows
    .filter((r) => includeHeld || !r.held)
    .map(
      (r) =>
        `| ${r.action.text} | ${upperFirst(r.action.type)} | ${r.owner} | ${r.due} | ${r.action.priority} | ${r.ticket} |`,
    );
  return [
    '| Action | Type | Owner | Due | Priority | Ticket |',
    '| --- | --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

/**
 * The text after a writing session. `first`: TL;DR, impact, factors and the went-well/wrong/lucky sections;
 * `full`: also lessons and action items (without the held-back one); `revised`: everything.
 */
function compose(draft: string, incident: DemoIncident, writing: Writing, stage: 'first' | 'full' | 'revised'): string {
  const { story, rows } = writing;
  const f = incident.facts;
  const severe = incident.severity === 'SEV1' || incident.severity === 'SEV2';
  const main = rows.find((r) => r.action.priority === 'P1') ?? rows[0];
  const ended =
    incident.type === 'near_miss'
      ? `It was fixed ${duration(f.minutes.mitigate - f.minutes.detect)} after the alert`
      : `The impact ended after ${duration(f.minutes.mitigate)}`;
  const tldr = [
    incident.summary,
    /^None\b/.test(incident.impact) ? 'No customers were affected.' : incident.impact,
    `${ended}: ${sentence(lowerFirst(incident.mitigatedNote))}`,
    main ? `The main follow-up: ${sentence(lowerFirst(main.action.text))}` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  const impact = bullets([
    `**Customers:** ${incident.impact}`,
    `**Worst point:** ${sentence(upperFirst(incident.peak))}`,
    ...story.figures(f),
  ]);
  const draftFactors = splitPrompt(findSection(parseSections(draft), 'contributing-factors')?.content ?? '').rest;
  const factors = [
    ...(story.change ? [changeFactor(incident, draftFactors, story.change(f))] : []),
    ...story.factors(f).map(([label, text]) => `- **${label}:** ${text}`),
  ].join('\n');
  const wentWell = story.wentWell(f);
  if (writing.token) {
    const host = `${incident.services[0] ?? 'api'}.internal.example.com`;
    wentWell.push(
      `The fix was confirmed from the incident channel with the deep health check, ` +
        `\`curl -sH "Authorization: Bearer ${writing.token}" https://${host}/healthz/deep\`, which answered 200.`,
    );
  }

  let body = fill(draft, 'tldr', tldr);
  body = fill(body, 'impact', impact, 'prepend');
  body = fill(body, 'contributing-factors', factors);
  // The 5 whys are optional: written for the severe incidents, deleted from the others.
  const whys = severe ? (story.whys?.(f) ?? []) : [];
  body =
    whys.length > 0
      ? fill(body, '5-whys', whys.map((w, i) => `${i + 1}. ${w}`).join('\n'))
      : removeSections(body, ['5-whys']);
  body = fill(body, 'what-went-well', bullets(wentWell));
  body = fill(body, 'what-went-wrong', bullets(story.wentWrong(f)));
  body = fill(body, 'where-we-got-lucky', bullets(story.lucky(f)));
  if (stage === 'first') return body;
  body = fill(body, 'lessons', bullets(story.lessons(f)));
  return fill(body, 'action-items', actionTable(rows, stage === 'revised'));
}

// ---------------------------------------------------------------------------------------------------------------
// The review workflow, acted by the demo people.
// ---------------------------------------------------------------------------------------------------------------

const REVIEW_NOTES = ['Ready for review', 'Ready for the Thursday review', 'Draft complete; comments welcome', ''];
const APPROVAL_COMMENTS = [
  'Clear timeline, and the factors go beyond the change itself.',
  'Good, specific action items with owners.',
  'Approved. The impact numbers make the priority obvious to readers outside the team.',
  '',
];

/** The operator's postmortem policy does not apply to the demo's history: it is written for the defaults. */
const withDemoPolicy = (ctx: AppContext): AppContext => ({
  ...ctx,
  settings: { ...ctx.settings, postmortems: DEFAULT_SETTINGS.postmortems },
});

/** The stored incident behind a demo key (the demo reads it as it is now, e.g. its members). */
async function storedIncident(ctx: AppContext, key: string): Promise<Incident | null> {
  const number = parseIncidentKey(key);
  return number === null ? null : read(ctx).incidents.findByNumber(number);
}

/** The demo people act as themselves: signed-in users. */
type Person = Extract<Principal, { kind: 'user' }>;

interface Cast {
  principals: ReadonlyMap<string, Person>;
  /** Reviewers and admins who may approve, in a stable order. */
  reviewers: readonly Person[];
  ownersOf: (incident: Incident) => string[];
}

/**
 * The clock of one postmortem's history: it moves forward from the resolution, never past `limit` (the demo's
 * "now"), and each step runs on a context set to its moment.
 */
class Schedule {
  private t: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly rng: Rng,
    readonly key: string,
    start: number,
    private readonly limit: number,
  ) {
    this.t = start;
  }

  /** Moves the clock on by `min`..`max` hours (at least a minute) and returns the context at that moment. */
  later(min: number, max: number): AppContext {
    this.t = Math.min(Math.max(this.t + this.rng.hours(min, max), this.t + MINUTE), this.limit);
    const at = this.t;
    return { ...this.ctx, now: () => new Date(at) };
  }
}

/**
 * One postmortem's history, as far as its outcome goes: two writing sessions by the on-call (or the commander), a
 * review request, the review (changes asked for and made, findings redacted or waived, approvals), publication and
 * readership. Returns the status it ends in.
 */
async function runPostmortem(
  base: AppContext,
  rng: Rng,
  cast: Cast,
  assignment: Assignment,
  writing: Writing,
  now: number,
): Promise<PostmortemStatus> {
  const { incident, outcome } = assignment;
  const { key } = incident;
  const repos = read(base);
  const stored = await storedIncident(base, key);
  const draft = stored ? await repos.postmortems.findByIncident(stored.id) : null;
  if (!stored || !draft || outcome === 'untouched' || incident.resolvedAt === null) return draft?.status ?? 'draft';

  const run = new Schedule(base, rng, key, incident.resolvedAt, now - HOUR);
  const person = (email: string): Person | undefined => cast.principals.get(email);
  // The on-call writes it, unless they are the one owner who could approve it: then the commander does.
  const writers = [incident.oncall, incident.commander]
    .map(person)
    .filter((p): p is Person => p !== undefined && roleAtLeast(p.role, 'responder') && canSeeIncident(p, stored));
  const author = writers.find((w) => approvable(cast, stored, w)) ?? writers[0];
  if (!author) return draft.status;

  let version = (
    await savePostmortemBody(run.later(16, 40), author, key, {
      body: compose(draft.body, incident, writing, 'first'),
      version: draft.version,
    })
  ).version;
  if (outcome === 'partial') return 'draft';
  version = (
    await savePostmortemBody(run.later(4, 28), author, key, {
      body: compose(draft.body, incident, writing, 'full'),
      version,
    })
  ).version;

  const approvers = chooseApprovers(rng, cast, stored, author);
  await shareWith(run.later(0.1, 0.5), cast, stored, incident, approvers);
  await requestReview(run.later(0.2, 2), author, key, { version, note: rng.pick(REVIEW_NOTES) });
  if (outcome === 'late') run.later(6 * 24, 8 * 24);

  const [first, ...others] = approvers ?? [];
  if (outcome === 'in_review' || !first) return inReview(run, rng, cast, stored, author, approvers);

  let ctx = run.later(3, 30);
  await recordView(ctx, first, key);
  if (outcome === 'changes_requested' || outcome === 'revised') {
    const comment = await addComment(ctx, first, key, {
      section: 'action-items',
      body: writing.rows.some((r) => r.held && r.action.type === 'detect')
        ? 'Nothing here covers detection yet: how would we find out sooner next time? Please add a detect action ' +
          'with an owner and a due date.'
        : 'One contributing factor has no action yet. Please add one with an owner and a due date.',
    });
    await reviewPostmortem(ctx, first, key, {
      decision: 'request_changes',
      comment: 'Changes requested: see the comment on Action items.',
    });
    if (outcome === 'changes_requested') return 'changes_requested';
    ctx = run.later(3, 12);
    const current = await repos.postmortems.findByIncident(stored.id);
    const revised = await savePostmortemBody(ctx, author, key, {
      body: compose(draft.body, incident, writing, 'revised'),
      version: current?.version ?? version,
    });
    await resolveComment(ctx, author, key, comment.id, { resolved: true });
    await requestReview(run.later(0.1, 1), author, key, { version: revised.version, note: 'Added the missing action' });
    ctx = run.later(2, 12);
  }

  await settleFindings(ctx, first, key, writing);
  let last = first;
  for (const reviewer of [first, ...others]) {
    if (reviewer !== first) {
      ctx = run.later(1, 20);
      await recordView(ctx, reviewer, key);
    }
    await reviewPostmortem(ctx, reviewer, key, {
      decision: 'approve',
      ...(rng.chance(0.8) ? { score: rng.int(3, 5) } : {}),
      comment: rng.pick(APPROVAL_COMMENTS),
    });
    last = reviewer;
  }
  if (outcome === 'approved') return 'approved';

  ctx = run.later(0.5, 10);
  const current = await repos.postmortems.findByIncident(stored.id);
  if (!current) return 'draft';
  await publishPostmortem(ctx, last, key, { version: current.version });
  await spreadTheWord(run, rng, cast, key, last);
  return 'published';
}

/** Whether the cast can meet the approval policy for a review `author` requests (who may not approve it). */
function approvable(cast: Cast, incident: Incident, author: Person): boolean {
  const policy = DEFAULT_SETTINGS.postmortems;
  const pool = cast.reviewers.filter((r) => r.email !== author.email);
  const owners = new Set(cast.ownersOf(incident));
  return (
    pool.length >= policy.approvals[incident.severity] &&
    (!policy.ownerApprovalSeverities.includes(incident.severity) || pool.some((r) => owners.has(r.email)))
  );
}

/**
 * Reviewers to approve: as many as the severity needs, one of them an owner of an impacted service when the policy
 * asks for it, never the author (who requested the review). Null when the demo cast cannot meet the policy.
 */
function chooseApprovers(rng: Rng, cast: Cast, incident: Incident, author: Person): Person[] | null {
  if (!approvable(cast, incident, author)) return null;
  const policy = DEFAULT_SETTINGS.postmortems;
  const required = policy.approvals[incident.severity];
  const pool = rng.shuffle(cast.reviewers.filter((r) => r.email !== author.email));
  const owners = new Set(cast.ownersOf(incident));
  const chosen: Person[] = [];
  const owner = pool.find((r) => owners.has(r.email));
  if (owner && policy.ownerApprovalSeverities.includes(incident.severity)) chosen.push(owner);
  for (const reviewer of pool) {
    if (chosen.length >= required) break;
    if (!chosen.includes(reviewer)) chosen.push(reviewer);
  }
  // The owner's approval comes last: they sign off on what the others reviewed.
  return [...chosen.slice(1), ...chosen.slice(0, 1)];
}

/** A private incident's reviewers become its members, added by its commander, so they can read the postmortem. */
async function shareWith(
  ctx: AppContext,
  cast: Cast,
  stored: Incident,
  incident: DemoIncident,
  approvers: readonly Person[] | null,
): Promise<void> {
  const missing = (approvers ?? []).filter((p) => !canSeeIncident(p, stored));
  const commander = cast.principals.get(incident.commander);
  if (missing.length === 0 || !commander) return;
  const { version, members } = await getIncident(ctx, commander, incident.key);
  await updateIncident(ctx, commander, incident.key, {
    version,
    members: [...members, ...missing.map((p) => p.email)],
  });
}

/** Still in review: an SEV1/SEV2 has one approval and waits for the owner's; others may carry an open question. */
async function inReview(
  run: Schedule,
  rng: Rng,
  cast: Cast,
  stored: Incident,
  author: Principal,
  approvers: readonly Person[] | null,
): Promise<PostmortemStatus> {
  const key = run.key;
  const [first, ...rest] = approvers ?? [];
  const ctx = run.later(3, 30);
  if (first && rest.length > 0) {
    await recordView(ctx, first, key);
    await reviewPostmortem(ctx, first, key, { decision: 'approve', score: rng.int(3, 5), comment: '' });
    return 'in_review';
  }
  const reader = first ?? cast.reviewers.find((r) => r !== author && canSeeIncident(r, stored));
  if (reader) {
    await recordView(ctx, reader, key);
    await addComment(ctx, reader, key, {
      section: 'impact',
      body: 'Do we know how many of the affected customers came back within the day? Worth a line here.',
    });
  }
  return 'in_review';
}

/**
 * Before approving, the first reviewer deals with every redaction finding: the pasted token is redacted, and
 * colleagues' work addresses and values the story keeps on purpose are waived with a reason.
 */
async function settleFindings(ctx: AppContext, reviewer: Principal, key: string, writing: Writing): Promise<void> {
  const repos = read(ctx);
  const incident = await storedIncident(ctx, key);
  const current = incident ? await repos.postmortems.findByIncident(incident.id) : null;
  if (!current) return;
  const { redaction } = await checkPostmortemText(ctx, reviewer, key, { body: current.body });
  const token = writing.token;
  const leaked = redaction.filter((f) => token !== null && f.text.includes(token)).map((f) => f.fingerprint);
  if (leaked.length > 0) {
    await applyRedactions(ctx, reviewer, key, { version: current.version, fingerprints: leaked });
    await addComment(ctx, reviewer, key, {
      section: 'what-went-well',
      body: 'The health-check command carried a live session token; I redacted it. Please rotate it if it is still valid.',
    });
  }
  const waived = new Set<string>();
  for (const finding of redaction) {
    if (leaked.includes(finding.fingerprint) || waived.has(finding.fingerprint) || finding.waiver) continue;
    const reason =
      finding.kind === 'email' && finding.text.endsWith('@debrief.local')
        ? "A colleague's work address: kept in the internal version, redacted in the external one."
        : writing.story.keep;
    if (!reason) continue;
    await waiveRedaction(ctx, reviewer, key, { fingerprint: finding.fingerprint, reason });
    waived.add(finding.fingerprint);
  }
}

/** After publishing, most of the people expected to read it open it over the next days; most of those acknowledge. */
async function spreadTheWord(run: Schedule, rng: Rng, cast: Cast, key: string, publisher: Principal): Promise<void> {
  const ctx = run.later(0, 0);
  const { expected } = await getReadership(ctx, publisher, key);
  const incident = await storedIncident(ctx, key);
  for (const { user } of expected) {
    const reader = cast.principals.get(user);
    // A private incident's postmortem is only for those who may see the incident.
    if (!reader || !incident || !canSeeIncident(reader, incident) || !rng.chance(0.8)) continue;
    const at = run.later(0.5, 20);
    // Acknowledging counts as a view too.
    if (rng.chance(0.65)) await acknowledgePostmortem(at, reader, key);
    else await recordView(at, reader, key);
  }
}

/**
 * Writes the demo's postmortems and takes them through review. Returns how many postmortems ended in each status
 * (the untouched drafts of recent incidents included).
 *
 * @example
 * const counts = await loadDemoPostmortems(ctx, { now, incidents, people });
 * counts.published; // 20
 */
export async function loadDemoPostmortems(
  ctx: AppContext,
  input: DemoPostmortemsInput,
): Promise<Record<PostmortemStatus, number>> {
  const base = withDemoPolicy(ctx);
  const repos = read(base);
  const rng = new Rng(SEED);
  const principals = new Map<string, Person>();
  for (const { email } of input.people) {
    const user = await repos.identity.findUserByEmail(email);
    if (user && !user.disabledAt) {
      principals.set(email, { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role });
    }
  }
  const services = await repos.catalog.listServices();
  const teams = await repos.catalog.listTeams();
  const cast: Cast = {
    principals,
    reviewers: [...principals.values()].filter((p) => roleAtLeast(p.role, 'reviewer')),
    ownersOf: (incident) => [
      ...new Set(services.filter((s) => incident.services.includes(s.name)).flatMap((s) => s.owners)),
    ],
  };
  const teamOf = new Map(services.map((s) => [s.name, s.team ?? '']));
  const members = new Map(teams.map((t) => [t.name, t.members.filter((m) => principals.has(m))]));
  const handles = new Map(input.people.filter((p) => principals.has(p.email)).map((p) => [p.email, p.handle]));

  const eligible = input.incidents
    .filter((i) => i.resolvedAt !== null && i.resolvedAt <= input.now - WRITTEN_AFTER)
    .sort((a, b) => (a.resolvedAt ?? 0) - (b.resolvedAt ?? 0));
  const counts: Record<PostmortemStatus, number> = {
    draft: 0,
    in_review: 0,
    changes_requested: 0,
    approved: 0,
    published: 0,
  };
  const written = new Set<string>();
  for (const assignment of assignOutcomes(rng, eligible)) {
    // Each postmortem draws from its own generator, so one story's length never shifts another's.
    const own = new Rng(SEED ^ (parseIncidentKey(assignment.incident.key) ?? 0));
    const writing = planWriting(own, assignment, teamOf, members, handles);
    counts[await runPostmortem(base, own, cast, assignment, writing, input.now)]++;
    written.add(assignment.incident.key);
  }
  for (const incident of input.incidents) {
    if (!written.has(incident.key) && incident.resolvedAt !== null) counts.draft++;
  }
  return counts;
}
