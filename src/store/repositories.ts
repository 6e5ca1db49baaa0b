import type { Kysely } from 'kysely';
import { ArtifactRepository } from './artifact-repository.js';
import { AuditRepository } from './audit-repository.js';
import { CatalogRepository } from './catalog-repository.js';
import { ChangeRepository } from './change-repository.js';
import { IdentityRepository } from './identity-repository.js';
import { IncidentRepository } from './incident-repository.js';
import { JobRepository } from './job-repository.js';
import type { Dialect } from './migrations.js';
import { PostmortemRepository } from './postmortem-repository.js';
import { RoutingRepository } from './routing-repository.js';
import type { DB } from './schema.js';
import { SignalRepository } from './signal-repository.js';
import { TelemetryRepository } from './telemetry-repository.js';
import { TemplateRepository } from './template-repository.js';
import { TimelineRepository } from './timeline-repository.js';

/** Every repository bound to one connection or transaction. */
export interface Repositories {
  incidents: IncidentRepository;
  timeline: TimelineRepository;
  catalog: CatalogRepository;
  identity: IdentityRepository;
  audit: AuditRepository;
  jobs: JobRepository;
  artifacts: ArtifactRepository;
  changes: ChangeRepository;
  telemetry: TelemetryRepository;
  signals: SignalRepository;
  routing: RoutingRepository;
  postmortems: PostmortemRepository;
  templates: TemplateRepository;
}

export function repositories(db: Kysely<DB>, dialect: Dialect): Repositories {
  return {
    incidents: new IncidentRepository(db),
    timeline: new TimelineRepository(db),
    catalog: new CatalogRepository(db),
    identity: new IdentityRepository(db),
    audit: new AuditRepository(db),
    jobs: new JobRepository(db, dialect),
    artifacts: new ArtifactRepository(db),
    changes: new ChangeRepository(db),
    telemetry: new TelemetryRepository(db),
    signals: new SignalRepository(db, dialect),
    routing: new RoutingRepository(db),
    postmortems: new PostmortemRepository(db, dialect),
    templates: new TemplateRepository(db),
  };
}
