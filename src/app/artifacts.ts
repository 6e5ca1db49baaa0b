import { createHash } from 'node:crypto';
import type { Artifact, ArtifactMeta } from '../store/artifact-repository.js';
import type { Tx } from './context.js';

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
