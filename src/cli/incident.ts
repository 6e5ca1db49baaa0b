/**
 * `debrief incident …`: declare, list, show, update, change status, resolve, add notes, assign roles — locally
 * or against a server, with the same input rules as the API.
 */
import type {
  ChangeStatusInput,
  DeclareIncidentInput,
  ListIncidentsInput,
  UpdateIncidentInput,
} from '../app/inputs.js';
import type { IncidentView } from '../app/presenters.js';
import { INCIDENT_ROLES, type IncidentRole, type LifecycleField, type TimelineEvent } from '../domain/types.js';
import { fetchPages, type RolesInput } from './client.js';
import {
  CliError,
  formatSeconds,
  formatTime,
  NONE,
  orNone,
  printPage,
  renderFields,
  renderTable,
  writeJson,
  type Column,
  type Format,
  type Writer,
} from './output.js';
import { collectList, formatOption, incidentKey, parsePositiveInt, type Program, type Runtime } from './runtime.js';

const STATUS_HELP = 'investigating | mitigated | resolved | closed';
const SEVERITY_HELP = 'SEV1 | SEV2 | SEV3 | SEV4';
const TYPE_HELP = 'standard | security | near_miss | exercise';
const VISIBILITY_HELP = 'public | private';
const TIME_HELP = 'ISO-8601 with a zone, e.g. 2026-11-20T10:02:00Z';

const upper = (values: string[] | undefined): string[] | undefined => values?.map((v) => v.toUpperCase());
const lower = (values: string[] | undefined): string[] | undefined => values?.map((v) => v.toLowerCase());

/** `none` (or an empty value) clears a time or role; anything else goes to the app to validate. */
function clearable(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.trim() === '' || value.trim().toLowerCase() === 'none' ? null : value;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const LIFECYCLE_LABELS: readonly (readonly [LifecycleField | 'closedAt', string])[] = [
  ['impactStartedAt', 'Impact started'],
  ['detectedAt', 'Detected'],
  ['acknowledgedAt', 'Acknowledged'],
  ['mitigatedAt', 'Mitigated'],
  ['resolvedAt', 'Resolved'],
  ['closedAt', 'Closed'],
];

const ROLE_LABELS: Record<IncidentRole, string> = {
  commander: 'Commander',
  scribe: 'Scribe',
  communications: 'Communications',
};

const INCIDENT_COLUMNS: Column<IncidentView>[] = [
  { header: 'KEY', value: (i) => i.key },
  { header: 'SEV', value: (i) => i.severity },
  { header: 'STATUS', value: (i) => i.status },
  { header: 'TYPE', value: (i) => i.type },
  { header: 'DECLARED', value: (i) => formatTime(i.declaredAt) },
  { header: 'SERVICES', value: (i) => (i.services.length ? i.services.join(',') : NONE) },
  { header: 'TITLE', value: (i) => i.title },
];

const TIMELINE_COLUMNS: Column<TimelineEvent>[] = [
  { header: 'AT', value: (e) => formatTime(e.at) },
  { header: 'KIND', value: (e) => e.kind },
  { header: 'SOURCE', value: (e) => e.source },
  { header: 'MARKER', value: (e) => (e.marker ? `[${e.marker}]` : '') },
  { header: 'PIN', value: (e) => (e.pinned ? '*' : '') },
  { header: 'TITLE', value: (e) => (e.count > 1 ? `${e.title} (x${e.count})` : e.title) },
];

function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}

/** The incident as a readable block: facts, lifecycle times, derived durations, roles and (when read) timeline. */
export function renderIncident(incident: IncidentView): string {
  const next = incident.allowedTransitions.length ? ` (next: ${incident.allowedTransitions.join(', ')})` : '';
  const facts: [string, string][] = [
    ['Status', `${incident.status}${next}`],
    ['Severity', incident.severity],
    ['Type', incident.type],
    ['Visibility', incident.visibility],
    ['Services', incident.services.length ? incident.services.join(', ') : NONE],
    ['Declared', `${formatTime(incident.declaredAt)} by ${incident.declaredBy}`],
    ['Updated', `${formatTime(incident.updatedAt)} (version ${incident.version})`],
  ];
  if (incident.visibility === 'private' || incident.members.length) {
    facts.push(['Members', incident.members.length ? incident.members.join(', ') : NONE]);
  }
  const d = incident.durations;
  const sections = [
    `${incident.key}  ${incident.title}\n${renderFields(facts, '  ')}`,
    `Customer impact\n${indent(orNone(incident.customerImpact))}\n`,
    `Summary\n${indent(orNone(incident.summary))}\n`,
    `Lifecycle\n${renderFields(
      LIFECYCLE_LABELS.map(([field, label]) => [label, formatTime(incident[field])] as const),
      '  ',
    )}`,
    `Durations\n${renderFields(
      [
        ['Time to detect', formatSeconds(d.timeToDetectSeconds)],
        ['Time to acknowledge', formatSeconds(d.timeToAcknowledgeSeconds)],
        ['Time to mitigate', formatSeconds(d.timeToMitigateSeconds)],
        ['Time to resolve', formatSeconds(d.timeToResolveSeconds)],
      ],
      '  ',
    )}`,
    `Roles\n${renderFields(
      INCIDENT_ROLES.map((role) => [ROLE_LABELS[role], orNone(incident.roles[role])] as const),
      '  ',
    )}`,
  ];
  if (incident.timeline) {
    const count = incident.timeline.length;
    const table = count ? indent(renderTable(TIMELINE_COLUMNS, incident.timeline)) : '  (no events)\n';
    sections.push(`Timeline (${count} event${count === 1 ? '' : 's'})\n${table}`);
  }
  return sections.join('\n');
}

function printIncident(out: Writer, format: Format, incident: IncidentView): void {
  if (format === 'json') writeJson(out, incident);
  else out.write(renderIncident(incident));
}

function renderEvent(event: TimelineEvent): string {
  return renderFields([
    ['Event', event.id],
    ['At', formatTime(event.at)],
    ['Kind', event.kind],
    ['Marker', orNone(event.marker)],
    ['Pinned', event.pinned ? 'yes' : 'no'],
    ['Title', orNone(event.title)],
    ['By', orNone(event.actor)],
  ]);
}

export function registerIncidentCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const incident = program
    .command('incident')
    .description('declare, inspect and update incidents')
    .addHelpText(
      'after',
      '\nWithout --url these commands work on the local database (as the operator); with --url (or DEBRIEF_URL) ' +
        'they call that server with DEBRIEF_TOKEN.',
    );

  incident
    .command('declare')
    .description('declare an incident')
    .requiredOption('--title <title>', 'short description of what is happening')
    .requiredOption('--severity <severity>', SEVERITY_HELP)
    .option('--type <type>', `${TYPE_HELP} (default standard)`)
    .option('--visibility <visibility>', `${VISIBILITY_HELP} (default public)`)
    .option('--service <name>', 'impacted service from the catalog (repeatable, or a comma list)', collectList)
    .option('--summary <text>', 'what is known so far')
    .option('--impact <text>', 'customer impact')
    .option('--impact-start <time>', `when impact started; ${TIME_HELP}`)
    .option('--detected <time>', 'when it was detected (default: now)')
    .option('--commander <email>', 'incident commander')
    .option('--scribe <email>', 'scribe')
    .option('--communications <email>', 'communications lead')
    .option('--member <email>', 'who may see a private incident (repeatable, or a comma list)', collectList)
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const roles: RolesInput = defined({
        commander: opts.commander,
        scribe: opts.scribe,
        communications: opts.communications,
      });
      const input: DeclareIncidentInput = defined({
        title: opts.title,
        severity: opts.severity.toUpperCase() as DeclareIncidentInput['severity'],
        type: opts.type as DeclareIncidentInput['type'],
        visibility: opts.visibility as DeclareIncidentInput['visibility'],
        services: opts.service,
        summary: opts.summary,
        customerImpact: opts.impact,
        impactStartedAt: opts.impactStart,
        detectedAt: opts.detected,
        roles: Object.keys(roles).length ? roles : undefined,
        members: opts.member,
      });
      const created = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.declareIncident(input));
      printIncident(io.stdout, opts.format, created);
    });

  incident
    .command('list')
    .description('list incidents, newest first')
    .option('--status <statuses>', `comma list of ${STATUS_HELP}`, collectList)
    .option('--severity <severities>', `comma list of ${SEVERITY_HELP}`, collectList)
    .option('--type <types>', `comma list of ${TYPE_HELP}`, collectList)
    .option('--visibility <visibility>', VISIBILITY_HELP)
    .option('--service <name>', 'only incidents impacting this service')
    .option('--search <text>', 'title contains')
    .option('--from <time>', `declared at or after; ${TIME_HELP}`)
    .option('--to <time>', 'declared before')
    .option('--limit <n>', 'page size, 1-200 (default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow cursors and list every match')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const filter: ListIncidentsInput = defined({
        status: lower(opts.status) as ListIncidentsInput['status'],
        severity: upper(opts.severity) as ListIncidentsInput['severity'],
        type: lower(opts.type) as ListIncidentsInput['type'],
        visibility: opts.visibility as ListIncidentsInput['visibility'],
        service: opts.service,
        q: opts.search,
        from: opts.from,
        to: opts.to,
        limit: opts.limit ?? (opts.all ? 200 : undefined),
        cursor: opts.cursor,
      });
      const page = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        fetchPages((f: ListIncidentsInput) => client.listIncidents(f), filter, opts.all === true),
      );
      printPage(io, opts.format, page, INCIDENT_COLUMNS, 'incidents');
    });

  incident
    .command('show')
    .description('show an incident: lifecycle times, durations, roles, and with --timeline its timeline')
    .argument('<key>', 'incident key, e.g. INC-12 (or just 12)')
    .option('--timeline', 'include the timeline')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const found = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.getIncident(incidentKey(key), { timeline: opts.timeline === true }),
      );
      printIncident(io.stdout, opts.format, found);
    });

  incident
    .command('update')
    .description('change fields or lifecycle times (reads the current version, then updates it)')
    .argument('<key>', 'incident key')
    .option('--title <title>', 'new title')
    .option('--severity <severity>', SEVERITY_HELP)
    .option('--type <type>', TYPE_HELP)
    .option('--visibility <visibility>', VISIBILITY_HELP)
    .option('--summary <text>', 'summary')
    .option('--impact <text>', 'customer impact')
    .option('--service <name>', 'replace the impacted services (repeatable, or a comma list; "" for none)', collectList)
    .option('--member <email>', 'replace the members (repeatable, or a comma list; "" for none)', collectList)
    .option('--impact-start <time>', `impact start; ${TIME_HELP}; "none" clears it`)
    .option('--detected <time>', 'detection time')
    .option('--acknowledged <time>', 'acknowledgement time')
    .option('--mitigated <time>', 'mitigation time')
    .option('--resolved <time>', 'resolution time (the incident must be resolved or closed)')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const changes: Omit<UpdateIncidentInput, 'version'> = defined({
        title: opts.title,
        severity: opts.severity?.toUpperCase() as UpdateIncidentInput['severity'],
        type: opts.type as UpdateIncidentInput['type'],
        visibility: opts.visibility as UpdateIncidentInput['visibility'],
        summary: opts.summary,
        customerImpact: opts.impact,
        services: opts.service,
        members: opts.member,
        impactStartedAt: clearable(opts.impactStart),
        detectedAt: clearable(opts.detected),
        acknowledgedAt: clearable(opts.acknowledged),
        mitigatedAt: clearable(opts.mitigated),
        resolvedAt: clearable(opts.resolved),
      });
      if (Object.keys(changes).length === 0) {
        throw new CliError(
          'nothing to update: pass at least one of --title, --severity, --type, --visibility, --summary, --impact, ' +
            '--service, --member, --impact-start, --detected, --acknowledged, --mitigated, --resolved',
        );
      }
      const updated = await runtime.withClient(cmd.optsWithGlobals(), async (client) => {
        const current = await client.getIncident(incidentKey(key));
        return client.updateIncident(current.key, { ...changes, version: current.version });
      });
      printIncident(io.stdout, opts.format, updated);
    });

  incident
    .command('status')
    .description(`move an incident through its lifecycle (${STATUS_HELP}; reopen with investigating)`)
    .argument('<key>', 'incident key')
    .argument('<status>', STATUS_HELP)
    .option('--at <time>', `when it happened (default: now); ${TIME_HELP}`)
    .option('--note <text>', 'note recorded with the status change')
    .addOption(formatOption())
    .action(async (key, status, opts, cmd) => {
      const changed = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.changeStatus(
          incidentKey(key),
          defined({ status: status.toLowerCase() as ChangeStatusInput['status'], at: opts.at, note: opts.note }),
        ),
      );
      printIncident(io.stdout, opts.format, changed);
    });

  incident
    .command('resolve')
    .description('resolve an incident (shortcut for `status KEY resolved`)')
    .argument('<key>', 'incident key')
    .option('--at <time>', `when it was resolved (default: now); ${TIME_HELP}`)
    .option('--note <text>', 'note recorded with the resolution')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const resolved = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.changeStatus(incidentKey(key), defined({ status: 'resolved' as const, at: opts.at, note: opts.note })),
      );
      printIncident(io.stdout, opts.format, resolved);
    });

  incident
    .command('note')
    .description("add a note to an incident's timeline")
    .argument('<key>', 'incident key')
    .argument('<text>', 'the note (markdown)')
    .option('--marker <marker>', 'impact_start | detected | acknowledged | mitigated | resolved | key_moment')
    .option('--pin', 'pin the note')
    .option('--at <time>', `when it happened (default: now); ${TIME_HELP}`)
    .option('--title <title>', 'title (default: the first line of the text)')
    .addOption(formatOption())
    .action(async (key, text, opts, cmd) => {
      const event = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.addTimelineEvent(
          incidentKey(key),
          defined({
            kind: 'note' as const,
            body: text,
            title: opts.title,
            at: opts.at,
            marker: opts.marker as 'key_moment' | undefined,
            pinned: opts.pin === true,
          }),
        ),
      );
      if (opts.format === 'json') writeJson(io.stdout, event);
      else io.stdout.write(renderEvent(event));
    });

  incident
    .command('roles')
    .description('assign incident roles (an email, or "none" to unassign; omitted roles stay as they are)')
    .argument('<key>', 'incident key')
    .option('--commander <email>', 'incident commander')
    .option('--scribe <email>', 'scribe')
    .option('--communications <email>', 'communications lead')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const roles: RolesInput = defined({
        commander: clearable(opts.commander),
        scribe: clearable(opts.scribe),
        communications: clearable(opts.communications),
      });
      if (Object.keys(roles).length === 0) {
        throw new CliError('nothing to assign: pass --commander, --scribe or --communications');
      }
      const updated = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.assignRoles(incidentKey(key), roles),
      );
      printIncident(io.stdout, opts.format, updated);
    });
}
