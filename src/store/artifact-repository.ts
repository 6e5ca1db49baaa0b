import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface ArtifactMeta {
  /** sha256 of the content, hex. */
  id: string;
  mediaType: string;
  size: number;
  description: string;
  createdAt: string;
}

export interface Artifact extends ArtifactMeta {
  content: Buffer;
}

/** Content-addressed, immutable evidence: rows are inserted once and never updated. */
export class ArtifactRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Stores the artifact unless content with the same hash is already there; true when inserted now. */
  async put(artifact: Artifact): Promise<boolean> {
    const result = await this.db
      .insertInto('artifacts')
      .values({
        id: artifact.id,
        media_type: artifact.mediaType,
        size: artifact.size,
        content: artifact.content,
        description: artifact.description,
        created_at: artifact.createdAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(id: string): Promise<Artifact | null> {
    const row = await this.db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      mediaType: row.media_type,
      size: Number(row.size),
      description: row.description,
      createdAt: row.created_at,
      content: Buffer.from(row.content),
    };
  }

  async meta(ids: string[]): Promise<ArtifactMeta[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('artifacts')
      .select(['id', 'media_type', 'size', 'description', 'created_at'])
      .where('id', 'in', ids)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      mediaType: r.media_type,
      size: Number(r.size),
      description: r.description,
      createdAt: r.created_at,
    }));
  }
}
