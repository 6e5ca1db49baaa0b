/**
 * Getting a postmortem out: applying redactions to its text, the internal and external versions, publishing
 * behind the gates (blame language, redaction, approvals, status) and reopening a published one.
 */
import { stripPrompts } from '../analysis/postmortem/index.js';
import { applyRedactions as replaceFindings } from '../analysis/redact/index.js';
import { principalLabel } from '../domain/access.js';
import { validationError } from '../domain/errors.js';
import { assertCanReopen, assertPublishable } from '../domain/postmortem/index.js';
import type { Postmortem, PostmortemPublication } from '../domain/postmortem/types.js';
import type { Principal } from '../domain/types.js';
import { newId } from '../store/ids.js';
import { read, transact, type AppContext } from './context.js';
import { statusEvent } from './incidents.js';
import {
  assess,
  assertNotPublished,
  auditState,
  findTemplate,
  loadForWrite,
  loadPostmortem,
  nextVersion,
  presentPostmortem,
  recordRevision,
  storePostmortem,
} from './postmortem-common.js';
import {
  applyRedactionsInput,
  publishPostmortemInput,
  type ApplyRedactionsInput,
  type PublishPostmortemInput,
} from './postmortem-inputs.js';
import { externalVersion, findRedactions, redactionFingerprint } from './postmortem-text.js';
import type { PostmortemVersionsView, PostmortemView } from './postmortem-views.js';
import { parseInput } from './validate.js';

export interface RedactionResult {
  postmortem: PostmortemView;
  /** Findings replaced by placeholders. */
  redacted: number;
  /** How many of each kind, e.g. `{ "aws-access-key": 1, "email": 2 }`. */
  kinds: Record<string, number>;
}

/**
 * Replaces redaction findings in the stored text with `[REDACTED:kind]` placeholders: the ones named by
 * `fingerprints`, or every finding nobody waived. Not a content edit: status, review round and approvals stay. The
 * audit entry records kinds and counts, never the values.
 *
 * @example
 * const { redacted } = await applyRedactions(ctx, actor, 'INC-12', { version: 5 }); // every unwaived finding
 */
export async function applyRedactions(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: ApplyRedactionsInput,
): Promise<RedactionResult> {
  const input = parseInput(applyRedactionsInput, raw);
  const repos = read(ctx);
  const checked = await loadForWrite(repos, actor, key, 'postmortem.edit', {
    version: input.version,
    status: (postmortem) => assertNotPublished(postmortem, 'be redacted'),
  });
  const findings = await findRedactions(ctx, checked.postmortem.body);
  const withPrint = findings.map((f) => ({ finding: f, fingerprint: redactionFingerprint(f.kind, f.text) }));
  let selected: typeof withPrint;
  if (input.fingerprints === undefined) {
    const waived = new Set((await repos.postmortems.listWaivers(checked.postmortem.id)).map((w) => w.fingerprint));
    selected = withPrint.filter((f) => !waived.has(f.fingerprint));
  } else {
    const known = new Set(withPrint.map((f) => f.fingerprint));
    input.fingerprints.forEach((print, i) => {
      if (!known.has(print))
        throw validationError(`fingerprints[${i}]`, 'no finding with this fingerprint in the text');
    });
    const wanted = new Set(input.fingerprints);
    selected = withPrint.filter((f) => wanted.has(f.fingerprint));
  }
  const kinds: Record<string, number> = {};
  for (const { finding } of selected) kinds[finding.kind] = (kinds[finding.kind] ?? 0) + 1;

  return transact(ctx, async (tx) => {
    const { incident, postmortem: before } = await loadForWrite(tx.repos, actor, key, 'postmortem.edit', {
      version: checked.postmortem.version,
    });
    const template = await findTemplate(tx.repos, before.templateId);
    if (selected.length === 0) return { postmortem: presentPostmortem(before, incident, template), redacted: 0, kinds };
    const body = replaceFindings(
      before.body,
      selected.map((s) => s.finding),
    );
    const after: Postmortem = { ...nextVersion(tx, before), body, updatedBy: principalLabel(actor) };
    await storePostmortem(tx, incident, before, after);
    await recordRevision(tx, after, principalLabel(actor));
    await tx.audit(actor, 'postmortem.redact', 'postmortem', incident.key, auditState(before), {
      ...auditState(after),
      redacted: selected.length,
      kinds,
    });
    return { postmortem: presentPostmortem(after, incident, template), redacted: selected.length, kinds };
  });
}

/**
 * The two texts side by side: internal (the stored text) and external (hidden sections removed, every finding
 * redacted, waived ones included). Prompts are stripped from both so the diff shows only what readers see.
 *
 * @example
 * const { external, redactions } = await getPostmortemVersions(ctx, actor, 'INC-12');
 */
export async function getPostmortemVersions(
  ctx: AppContext,
  actor: Principal,
  key: string,
): Promise<PostmortemVersionsView> {
  const { postmortem } = await loadPostmortem(read(ctx), actor, key, 'postmortem.read');
  const external = await externalVersion(ctx, postmortem.body, postmortem.hiddenSections);
  return {
    internal: stripPrompts(postmortem.body),
    external: external.text,
    hiddenSections: postmortem.hiddenSections,
    redactions: external.redactions,
  };
}

export interface PublicationResult {
  postmortem: PostmortemView;
  publication: { version: number; publishedAt: string; publishedBy: string };
}

/**
 * Publishes: recomputes the gates on the stored text and, when none is open, freezes the internal and external
 * texts as a publication and marks the postmortem published.
 *
 * @throws DebriefError DEBRIEF_ERR_PUBLISH_BLOCKED (409) with one `{ field: gate, message }` per open gate
 * (`blame`, `redaction`, `approvals`, `status`).
 * @example
 * await publishPostmortem(ctx, reviewer, 'INC-12', { version: 9 });
 */
export async function publishPostmortem(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: PublishPostmortemInput,
): Promise<PublicationResult> {
  const input = parseInput(publishPostmortemInput, raw);
  const repos = read(ctx);
  const checked = await loadForWrite(repos, actor, key, 'postmortem.publish', {
    version: input.version,
    status: (postmortem) => assertNotPublished(postmortem, 'be published again'),
  });
  const { blockers } = await assess(ctx, repos, checked.incident, checked.postmortem);
  assertPublishable(blockers);
  const external = await externalVersion(ctx, checked.postmortem.body, checked.postmortem.hiddenSections);

  return transact(ctx, async (tx) => {
    const { incident, postmortem: before } = await loadForWrite(tx.repos, actor, key, 'postmortem.publish', {
      version: checked.postmortem.version,
    });
    const label = principalLabel(actor);
    const after: Postmortem = {
      ...nextVersion(tx, before),
      status: 'published',
      publishedAt: tx.now,
      publishedBy: label,
    };
    await storePostmortem(tx, incident, before, after);
    const publication: PostmortemPublication = {
      id: newId(Date.parse(tx.now)),
      postmortemId: after.id,
      version: after.version,
      internalBody: before.body,
      externalBody: external.text,
      publishedBy: label,
      publishedAt: tx.now,
    };
    await tx.repos.postmortems.insertPublication(publication);
    await tx.repos.timeline.insert(statusEvent(incident, tx, label, tx.now, 'Postmortem published'));
    await tx.audit(actor, 'postmortem.publish', 'postmortem', incident.key, auditState(before), {
      ...auditState(after),
      redactions: external.redactions,
    });
    return {
      postmortem: presentPostmortem(after, incident, await findTemplate(tx.repos, after.templateId)),
      publication: { version: publication.version, publishedAt: publication.publishedAt, publishedBy: label },
    };
  });
}

/**
 * Reopens a published postmortem as a draft for corrections; its publications stay on record, and publishing
 * again goes through review and the gates again.
 *
 * @example
 * await reopenPostmortem(ctx, reviewer, 'INC-12');
 */
export async function reopenPostmortem(ctx: AppContext, actor: Principal, key: string): Promise<PostmortemView> {
  return transact(ctx, async (tx) => {
    const { incident, postmortem: before } = await loadPostmortem(tx.repos, actor, key, 'postmortem.publish');
    assertCanReopen(before.status);
    const after: Postmortem = { ...nextVersion(tx, before), status: 'draft', publishedAt: null, publishedBy: null };
    await storePostmortem(tx, incident, before, after);
    const label = principalLabel(actor);
    await tx.repos.timeline.insert(statusEvent(incident, tx, label, tx.now, 'Postmortem reopened'));
    await tx.audit(actor, 'postmortem.reopen', 'postmortem', incident.key, auditState(before), auditState(after));
    return presentPostmortem(after, incident, await findTemplate(tx.repos, after.templateId));
  });
}
