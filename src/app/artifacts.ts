import { createHash } from 'node:crypto';
import { canSeeIncident, visibilityScope } from '../domain/access.js';
import { notFound, validationError } from '../domain/errors.js';
import type { Principal } from '../domain/types.js';
import type { Artifact, ArtifactMeta } from '../store/artifact-repository.js';
import type { Repositories } from '../store/repositories.js';
import { read, type AppContext, type Tx } from './context.js';
import { authorize } from './guard.js';

export type { Artifact, ArtifactMeta };

/** The content address of an artifact: sha256 of its bytes, hex. */
export function artifactId(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Stores evidence inside the caller's transaction and returns its metadata. The same bytes always give the same
 * id, and stored content never changes, so a snapshot stays what it was when captured.
 */
export async function putArtifact(
  tx: Tx,
  content: Buffer | string,
  mediaType: string,
  description: string,
): Promise<ArtifactMeta> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const meta: ArtifactMeta = {
    id: artifactId(bytes),
    mediaType,
    size: bytes.length,
    description,
    createdAt: tx.now,
  };
  await tx.repos.artifacts.put({ ...meta, content: bytes });
  return meta;
}

const ARTIFACT_ID = /^[0-9a-f]{64}$/;

function artifactIdOf(id: string): string {
  const normalized = id.trim().toLowerCase();
  if (!ARTIFACT_ID.test(normalized)) {
    throw validationError('id', 'must be an artifact id: the sha256 of its content, 64 hex characters');
  }
  return normalized;
}

/**
 * Who may read an artifact: anyone signed in for a change's diff; otherwise whoever may see an incident whose
 * timeline links it (the same bytes reached through a visible incident reveal nothing more); otherwise admins only.
 * Refusals look exactly like a missing artifact.
 */
async function checkArtifactAccess(repos: Repositories, actor: Principal, id: string): Promise<void> {
  authorize(actor, 'incident.read');
  if (visibilityScope(actor).all) return;
  if (await repos.changes.isDiffArtifact(id)) return;
  for (const incidentId of await repos.timeline.incidentsReferencingArtifact(id)) {
    const incident = await repos.incidents.findById(incidentId);
    if (incident && canSeeIncident(actor, incident)) return;
  }
  throw notFound('artifact', id);
}

/** An artifact's metadata, when the caller may read it. */
export async function getArtifactMeta(ctx: AppContext, actor: Principal, rawId: string): Promise<ArtifactMeta> {
  const id = artifactIdOf(rawId);
  const repos = read(ctx);
  const [meta] = await repos.artifacts.meta([id]);
  if (!meta) throw notFound('artifact', id);
  await checkArtifactAccess(repos, actor, id);
  return meta;
}

/** An artifact's bytes and metadata, when the caller may read it. */
export async function getArtifact(ctx: AppContext, actor: Principal, rawId: string): Promise<Artifact> {
  const id = artifactIdOf(rawId);
  const repos = read(ctx);
  const [meta] = await repos.artifacts.meta([id]);
  if (!meta) throw notFound('artifact', id);
  await checkArtifactAccess(repos, actor, id);
  const artifact = await repos.artifacts.get(id);
  if (!artifact) throw notFound('artifact', id);
  return artifact;
}
