import { sql, type Kysely, type Selectable } from 'kysely';
import { DebriefError, validationError } from '../domain/errors.js';
import type {
  Postmortem,
  PostmortemAcknowledgement,
  PostmortemComment,
  PostmortemPublication,
  PostmortemReader,
  PostmortemReview,
  PostmortemRevision,
  PostmortemStatus,
  RedactionWaiver,
  ReviewDecision,
} from '../domain/postmortem/types.js';
import type { Incident } from '../domain/types.js';
import { IncidentRepository, visibleIncidents, type AccessScope } from './incident-repository.js';
import { fromJson, toJson } from './json.js';
import type { Dialect } from './migrations.js';
import type {
  DB,
  PostmortemCommentsTable,
  PostmortemPublicationsTable,
  PostmortemReadersTable,
  PostmortemReviewsTable,
  PostmortemRevisionsTable,
  PostmortemsTable,
  PostmortemWaiversTable,
} from './schema.js';

export interface PostmortemListFilter {
  statuses?: PostmortemStatus[] | undefined;
  /** Which private incidents' postmortems the reader may see; the same rule as the incident list. */
  scope: AccessScope;
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null | undefined;
}

export interface PostmortemPage {
  items: { postmortem: Postmortem; incident: Incident }[];
  /** Opaque; pass it back as `cursor` for the next page, or null at the end. */
  nextCursor: string | null;
}

/** A revision without its text, for history lists. */
export type RevisionSummary = Omit<PostmortemRevision, 'body'> & {
  /** Length of the body in UTF-8 bytes. */
  size: number;
};

/**
 * A second waiver for the same finding of one postmortem. A DebriefError with DEBRIEF_ERR_ALREADY_EXISTS, so it
 * reaches clients as a 409 naming `fingerprint` without any mapping.
 */
export class DuplicateWaiverError extends DebriefError {
  constructor(readonly fingerprint: string) {
    super('DEBRIEF_ERR_ALREADY_EXISTS', 'this finding is already waived', { field: 'fingerprint' });
    this.name = 'DuplicateWaiverError';
  }
}

function toPostmortem(row: Selectable<PostmortemsTable>): Postmortem {
  return {
    id: row.id,
    incidentId: row.incident_id,
    templateId: row.template_id,
    status: row.status as PostmortemStatus,
    body: row.body,
    hiddenSections: fromJson<string[]>(row.hidden_sections, []),
    round: Number(row.round),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    reviewRequestedAt: row.review_requested_at,
    reviewRequestedBy: row.review_requested_by,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    version: Number(row.version),
  };
}

function toRow(p: Postmortem): PostmortemsTable {
  return {
    id: p.id,
    incident_id: p.incidentId,
    template_id: p.templateId,
    status: p.status,
    body: p.body,
    hidden_sections: toJson(p.hiddenSections),
    round: p.round,
    created_by: p.createdBy,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    updated_by: p.updatedBy,
    review_requested_at: p.reviewRequestedAt,
    review_requested_by: p.reviewRequestedBy,
    published_at: p.publishedAt,
    published_by: p.publishedBy,
    version: p.version,
  };
}

function toRevision(row: Selectable<PostmortemRevisionsTable>): PostmortemRevision {
  return {
    id: row.id,
    postmortemId: row.postmortem_id,
    version: Number(row.version),
    body: row.body,
    author: row.author,
    createdAt: row.created_at,
  };
}

function toRevisionRow(r: PostmortemRevision): PostmortemRevisionsTable {
  return {
    id: r.id,
    postmortem_id: r.postmortemId,
    version: r.version,
    body: r.body,
    author: r.author,
    created_at: r.createdAt,
  };
}

function toReview(row: Selectable<PostmortemReviewsTable>): PostmortemReview {
  return {
    id: row.id,
    postmortemId: row.postmortem_id,
    round: Number(row.round),
    reviewer: row.reviewer,
    decision: row.decision as ReviewDecision,
    score: row.score === null ? null : Number(row.score),
    comment: row.comment,
    createdAt: row.created_at,
  };
}

function toComment(row: Selectable<PostmortemCommentsTable>): PostmortemComment {
  return {
    id: row.id,
    postmortemId: row.postmortem_id,
    section: row.section,
    author: row.author,
    body: row.body,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}

function toCommentRow(c: PostmortemComment): PostmortemCommentsTable {
  return {
    id: c.id,
    postmortem_id: c.postmortemId,
    section: c.section,
    author: c.author,
    body: c.body,
    created_at: c.createdAt,
    resolved_at: c.resolvedAt,
    resolved_by: c.resolvedBy,
  };
}

function toWaiver(row: Selectable<PostmortemWaiversTable>): RedactionWaiver {
  return {
    id: row.id,
    postmortemId: row.postmortem_id,
    fingerprint: row.fingerprint,
    kind: row.kind,
    reason: row.reason,
    waivedBy: row.waived_by,
    createdAt: row.created_at,
  };
}

function toPublication(row: Selectable<PostmortemPublicationsTable>): PostmortemPublication {
  return {
    id: row.id,
    postmortemId: row.postmortem_id,
    version: Number(row.version),
    internalBody: row.internal_body,
    externalBody: row.external_body,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
  };
}

function toReader(row: Selectable<PostmortemReadersTable>): PostmortemReader {
  return {
    postmortemId: row.postmortem_id,
    user: row.user,
    firstViewedAt: row.first_viewed_at,
    lastViewedAt: row.last_viewed_at,
    views: Number(row.views),
  };
}

function encodeCursor(p: Postmortem): string {
  return Buffer.from(`${p.updatedAt}|${p.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  const match = /^([0-9T:.Z-]{20,30})\|([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) throw validationError('cursor', 'is not a cursor returned by this API');
  return { updatedAt: match[1], id: match[2] };
}

/**
 * The postmortem aggregate and what hangs off it: revisions, reviews, comments, redaction waivers, publications and
 * readership. Children are written one by one by the use cases, each inside the caller's transaction.
 */
export class PostmortemRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async insert(postmortem: Postmortem): Promise<void> {
    await this.db.insertInto('postmortems').values(toRow(postmortem)).execute();
  }

  /** Writes the new state when the stored version is still `expectedVersion`; false when someone else won. */
  async update(postmortem: Postmortem, expectedVersion: number): Promise<boolean> {
    const { id: _id, incident_id: _incident, created_at: _created, created_by: _creator, ...row } = toRow(postmortem);
    const result = await this.db
      .updateTable('postmortems')
      .set(row)
      .where('id', '=', postmortem.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async get(id: string): Promise<Postmortem | null> {
    const row = await this.db.selectFrom('postmortems').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPostmortem(row) : null;
  }

  async findByIncident(incidentId: string): Promise<Postmortem | null> {
    const row = await this.db
      .selectFrom('postmortems')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    return row ? toPostmortem(row) : null;
  }

  /**
   * Most recently updated first, keyset-paginated on (updatedAt, id), each with its incident. A malformed cursor is
   * a DEBRIEF_ERR_VALIDATION naming `cursor`.
   *
   * @example
   * const page = await repos.postmortems.list({ statuses: ['in_review'], scope: { all: true }, limit: 20 });
   * const more = await repos.postmortems.list({ scope: { all: true }, limit: 20, cursor: page.nextCursor });
   */
  async list(filter: PostmortemListFilter): Promise<PostmortemPage> {
    let query = this.db
      .selectFrom('postmortems')
      .innerJoin('incidents', 'incidents.id', 'postmortems.incident_id')
      .selectAll('postmortems');
    if (filter.statuses?.length) query = query.where('postmortems.status', 'in', filter.statuses);
    if (!filter.scope.all) query = query.where(visibleIncidents(filter.scope.principals));
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      query = query.where((eb) =>
        eb.or([
          eb('postmortems.updated_at', '<', after.updatedAt),
          eb.and([eb('postmortems.updated_at', '=', after.updatedAt), eb('postmortems.id', '<', after.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('postmortems.updated_at', 'desc')
      .orderBy('postmortems.id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const page = rows.slice(0, filter.limit).map(toPostmortem);
    const incidents = await new IncidentRepository(this.db).findByIds(page.map((p) => p.incidentId));
    const items = page.flatMap((postmortem) => {
      const incident = incidents.get(postmortem.incidentId);
      return incident ? [{ postmortem, incident }] : [];
    });
    const last = page.at(-1);
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
  }

  async insertRevision(revision: PostmortemRevision): Promise<void> {
    await this.db.insertInto('postmortem_revisions').values(toRevisionRow(revision)).execute();
  }

  /** Rewrites a revision in place, so consecutive saves of one author fold into it. */
  async updateRevision(revision: PostmortemRevision): Promise<void> {
    const { id: _id, postmortem_id: _postmortem, ...row } = toRevisionRow(revision);
    await this.db.updateTable('postmortem_revisions').set(row).where('id', '=', revision.id).execute();
  }

  async latestRevision(postmortemId: string): Promise<PostmortemRevision | null> {
    const row = await this.db
      .selectFrom('postmortem_revisions')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toRevision(row) : null;
  }

  /** Newest first, without the bodies. */
  async listRevisions(postmortemId: string): Promise<RevisionSummary[]> {
    const size =
      this.dialect === 'postgres' ? sql<number>`octet_length(body)` : sql<number>`length(cast(body as blob))`;
    const rows = await this.db
      .selectFrom('postmortem_revisions')
      .select(['id', 'postmortem_id', 'version', 'author', 'created_at', size.as('size')])
      .where('postmortem_id', '=', postmortemId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      postmortemId: row.postmortem_id,
      version: Number(row.version),
      author: row.author,
      createdAt: row.created_at,
      size: Number(row.size),
    }));
  }

  async getRevision(postmortemId: string, version: number): Promise<PostmortemRevision | null> {
    const row = await this.db
      .selectFrom('postmortem_revisions')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? toRevision(row) : null;
  }

  async insertReview(review: PostmortemReview): Promise<void> {
    await this.db
      .insertInto('postmortem_reviews')
      .values({
        id: review.id,
        postmortem_id: review.postmortemId,
        round: review.round,
        reviewer: review.reviewer,
        decision: review.decision,
        score: review.score,
        comment: review.comment,
        created_at: review.createdAt,
      })
      .execute();
  }

  /** Oldest first, every round. */
  async listReviews(postmortemId: string): Promise<PostmortemReview[]> {
    const rows = await this.db
      .selectFrom('postmortem_reviews')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toReview);
  }

  async insertComment(comment: PostmortemComment): Promise<void> {
    await this.db.insertInto('postmortem_comments').values(toCommentRow(comment)).execute();
  }

  /** Rewrites the comment's text, section and resolution; false when it does not exist. */
  async updateComment(comment: PostmortemComment): Promise<boolean> {
    const { id: _id, postmortem_id: _postmortem, created_at: _created, ...row } = toCommentRow(comment);
    const result = await this.db
      .updateTable('postmortem_comments')
      .set(row)
      .where('id', '=', comment.id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async getComment(id: string): Promise<PostmortemComment | null> {
    const row = await this.db.selectFrom('postmortem_comments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toComment(row) : null;
  }

  /** Oldest first. */
  async listComments(postmortemId: string): Promise<PostmortemComment[]> {
    const rows = await this.db
      .selectFrom('postmortem_comments')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toComment);
  }

  /**
   * Stores the waiver, or throws DuplicateWaiverError when the postmortem already waives this fingerprint. The
   * conflict is detected without a failing statement, which on PostgreSQL would abort the caller's transaction.
   */
  async insertWaiver(waiver: RedactionWaiver): Promise<void> {
    const result = await this.db
      .insertInto('postmortem_waivers')
      .values({
        id: waiver.id,
        postmortem_id: waiver.postmortemId,
        fingerprint: waiver.fingerprint,
        kind: waiver.kind,
        reason: waiver.reason,
        waived_by: waiver.waivedBy,
        created_at: waiver.createdAt,
      })
      .onConflict((oc) => oc.columns(['postmortem_id', 'fingerprint']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) throw new DuplicateWaiverError(waiver.fingerprint);
  }

  /** False when there was no such waiver. */
  async deleteWaiver(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('postmortem_waivers').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async getWaiver(id: string): Promise<RedactionWaiver | null> {
    const row = await this.db.selectFrom('postmortem_waivers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toWaiver(row) : null;
  }

  /** Oldest first. */
  async listWaivers(postmortemId: string): Promise<RedactionWaiver[]> {
    const rows = await this.db
      .selectFrom('postmortem_waivers')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toWaiver);
  }

  async insertPublication(publication: PostmortemPublication): Promise<void> {
    await this.db
      .insertInto('postmortem_publications')
      .values({
        id: publication.id,
        postmortem_id: publication.postmortemId,
        version: publication.version,
        internal_body: publication.internalBody,
        external_body: publication.externalBody,
        published_by: publication.publishedBy,
        published_at: publication.publishedAt,
      })
      .execute();
  }

  async latestPublication(postmortemId: string): Promise<PostmortemPublication | null> {
    const row = await this.db
      .selectFrom('postmortem_publications')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .orderBy('published_at', 'desc')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toPublication(row) : null;
  }

  /**
   * Counts one view. A single upsert, so simultaneous first views of one reader (two tabs, two instances) add up
   * instead of failing on the primary key; the first and last times only ever widen, whatever order views land in.
   */
  async recordView(postmortemId: string, user: string, at: string): Promise<void> {
    const [earlier, later] =
      this.dialect === 'postgres' ? [sql.raw('least'), sql.raw('greatest')] : [sql.raw('min'), sql.raw('max')];
    await this.db
      .insertInto('postmortem_readers')
      .values({ postmortem_id: postmortemId, user, first_viewed_at: at, last_viewed_at: at, views: 1 })
      .onConflict((oc) =>
        oc.columns(['postmortem_id', 'user']).doUpdateSet((eb) => ({
          views: eb('postmortem_readers.views', '+', 1),
          first_viewed_at: sql<string>`${earlier}(${eb.ref('postmortem_readers.first_viewed_at')}, ${eb.ref('excluded.first_viewed_at')})`,
          last_viewed_at: sql<string>`${later}(${eb.ref('postmortem_readers.last_viewed_at')}, ${eb.ref('excluded.last_viewed_at')})`,
        })),
      )
      .execute();
  }

  /** Most recent reader first. */
  async listReaders(postmortemId: string): Promise<PostmortemReader[]> {
    const rows = await this.db
      .selectFrom('postmortem_readers')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .orderBy('last_viewed_at', 'desc')
      .orderBy('user')
      .execute();
    return rows.map(toReader);
  }

  /** Records "I have read this"; false when this user had already acknowledged (the first time stands). */
  async acknowledge(postmortemId: string, user: string, at: string): Promise<boolean> {
    const result = await this.db
      .insertInto('postmortem_acknowledgements')
      .values({ postmortem_id: postmortemId, user, at })
      .onConflict((oc) => oc.columns(['postmortem_id', 'user']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Oldest first. */
  async listAcknowledgements(postmortemId: string): Promise<PostmortemAcknowledgement[]> {
    const rows = await this.db
      .selectFrom('postmortem_acknowledgements')
      .selectAll()
      .where('postmortem_id', '=', postmortemId)
      .orderBy('at')
      .orderBy('user')
      .execute();
    return rows.map((row) => ({ postmortemId: row.postmortem_id, user: row.user, at: row.at }));
  }
}
