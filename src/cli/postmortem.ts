/**
 * `debrief postmortem …`: read, write, check, review, redact, waive, publish and list postmortems, and manage their
 * templates — locally or against a server, with the same rules as the API.
 *
 * Exit codes as everywhere: 0 ok, 1 failure (not found, conflict, and also `check` with findings and `publish`
 * with open gates), 2 usage error or rejected input.
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { createAppContext } from '../app/context.js';
import type { PostmortemImportResult } from '../app/postmortem-import.js';
import type { CreateTemplateInput, ListPostmortemsInput } from '../app/postmortem-inputs.js';
import type {
  LintFindingView,
  PostmortemDetailView,
  PostmortemSummaryView,
  PostmortemView,
  RedactionFindingView,
  TemplateView,
} from '../app/postmortem-views.js';
import { DebriefError } from '../domain/errors.js';
import type { PublishBlocker } from '../domain/postmortem/types.js';
import type { Severity } from '../domain/types.js';
import { CLI_PRINCIPAL, fetchPages, localSettings, openLocalDatabase, type DebriefClient } from './client.js';
import { readTextFile } from './files.js';
import {
  CliError,
  describeError,
  exitCodeFor,
  EXIT_FAILURE,
  EXIT_USAGE,
  formatTime,
  NONE,
  printPage,
  renderFields,
  renderTable,
  writeJson,
  type Column,
  type Format,
  type Writer,
} from './output.js';
import {
  collectList,
  formatOption,
  incidentKey,
  parsePositiveInt,
  type GlobalOptions,
  type Program,
  type Runtime,
} from './runtime.js';

const STATUS_HELP = 'draft | in_review | changes_requested | approved | published';

function score(value: string): number {
  if (!/^[1-5]$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number from 1 to 5.');
  return Number(value);
}

function fingerprintOption(value: string, previous: string[] | undefined): string[] {
  const next = collectList(value, previous);
  const bad = next.find((f) => !/^[0-9a-f]{64}$/.test(f));
  if (bad !== undefined) {
    throw new InvalidArgumentError(`"${bad}" is not a fingerprint (64 lowercase hex characters, as check shows).`);
  }
  return next;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function approvalsLine(detail: PostmortemDetailView): string {
  const a = detail.approvals;
  const by = a.approvedBy.length ? ` (${a.approvedBy.join(', ')})` : '';
  const lines = [`${a.approvedBy.length} of ${a.required} in round ${detail.postmortem.round}${by}`];
  if (a.ownerRequired) {
    const owners = a.owners.length ? a.owners.join(', ') : 'no owners listed for the impacted services';
    lines.push(a.ownerApproved ? 'an owner approved' : `an owner must approve: ${owners}`);
  }
  if (a.changesRequestedBy.length) lines.push(`changes requested by ${a.changesRequestedBy.join(', ')}`);
  return lines.join('\n');
}

function unresolved(redaction: readonly RedactionFindingView[]): RedactionFindingView[] {
  return redaction.filter((f) => f.waiver === null);
}

/** The postmortem as a readable block: status, quality, approvals, findings and what still blocks publishing. */
function renderPostmortem(detail: PostmortemDetailView): string {
  const pm = detail.postmortem;
  const quality = detail.quality;
  const reviewer = quality.reviewerScore === null ? '' : `; reviewers ${quality.reviewerScore}/5`;
  const filled = detail.sections.filter((s) => s.filled).length;
  const open = unresolved(detail.redaction).length;
  const facts: [string, string][] = [
    ['Status', pm.status],
    ['Template', pm.template.name],
    ['Version', `${pm.version}, updated ${formatTime(pm.updatedAt)} by ${pm.updatedBy}`],
    ['Quality', `${quality.score}/100${reviewer}`],
    ['Sections', `${filled} of ${detail.sections.length} filled`],
    ['Approvals', approvalsLine(detail)],
    [
      'Findings',
      `${plural(detail.lint.length, 'blame-language finding')}; ` +
        `${plural(open, 'redaction finding')} to redact or waive` +
        (detail.redaction.length > open ? ` (${detail.redaction.length - open} waived)` : ''),
    ],
  ];
  if (pm.reviewRequestedAt)
    facts.push(['Review asked', `${formatTime(pm.reviewRequestedAt)} by ${pm.reviewRequestedBy ?? NONE}`]);
  if (detail.publication) {
    facts.push([
      'Published',
      `${formatTime(detail.publication.publishedAt)} by ${detail.publication.publishedBy} (version ${detail.publication.version})`,
    ]);
  }
  const missing = quality.items.filter((item) => !item.passed);
  const sections = [`${pm.incident.key}  ${pm.incident.title}\n${renderFields(facts, '  ')}`];
  if (missing.length) {
    sections.push(
      `Quality gaps\n${missing.map((item) => `  ${item.label} (${item.weight}): ${item.detail}\n`).join('')}`,
    );
  }
  if (pm.status !== 'published') {
    sections.push(
      detail.blockers.length
        ? `Publishing blocked\n${detail.blockers.map((b) => `  ${b.gate}: ${b.message}\n`).join('')}`
        : 'Publishing: no gate is open\n',
    );
  }
  return sections.join('\n');
}

function printView(out: Writer, format: Format, view: PostmortemView, sentence: string): void {
  if (format === 'json') writeJson(out, view);
  else out.write(`${sentence} (${view.status}, version ${view.version})\n`);
}

const LINT_COLUMNS: Column<LintFindingView>[] = [
  { header: 'LINE', value: (f) => `${f.line}:${f.column}` },
  { header: 'SEVERITY', value: (f) => f.severity },
  { header: 'RULE', value: (f) => f.ruleId },
  { header: 'MESSAGE', value: (f) => (f.suggestion ? `${f.message} (${f.suggestion})` : f.message) },
];

// The matched text stays out of the table: a terminal or a CI log is no place for a secret.
const REDACTION_COLUMNS: Column<RedactionFindingView>[] = [
  { header: 'LINE', value: (f) => `${f.line}:${f.column}` },
  { header: 'KIND', value: (f) => f.kind },
  { header: 'CATEGORY', value: (f) => f.category },
  { header: 'WAIVED', value: (f) => (f.waiver ? `yes (${f.waiver.reason})` : 'no') },
  { header: 'FINGERPRINT', value: (f) => f.fingerprint },
];

const LIST_COLUMNS: Column<PostmortemSummaryView>[] = [
  { header: 'KEY', value: (p) => p.incident.key },
  { header: 'SEV', value: (p) => p.incident.severity },
  { header: 'STATUS', value: (p) => p.status },
  { header: 'SCORE', value: (p) => String(p.score) },
  { header: 'UPDATED', value: (p) => formatTime(p.updatedAt) },
  { header: 'TITLE', value: (p) => p.incident.title },
];

const TEMPLATE_COLUMNS: Column<TemplateView>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'SEVERITIES', value: (t) => (t.severities.length ? t.severities.join(',') : 'any') },
  { header: 'TYPES', value: (t) => (t.types.length ? t.types.join(',') : 'any') },
  { header: 'SECTIONS', value: (t) => String(t.sections.length) },
  { header: 'NAME', value: (t) => (t.builtIn ? `${t.name} (built in)` : t.name) },
];

function renderTemplate(template: TemplateView): string {
  const facts: [string, string][] = [
    ['Name', template.builtIn ? `${template.name} (built in)` : template.name],
    ['Description', template.description || NONE],
    ['Severities', template.severities.length ? template.severities.join(', ') : 'any'],
    ['Types', template.types.length ? template.types.join(', ') : 'any'],
    ['Version', `${template.version}, updated ${formatTime(template.updatedAt)}`],
  ];
  const sections = template.sections.map(
    (s) =>
      `  ## ${s.title}${s.required ? '' : ' (optional)'}  [${s.id}]\n${s.prompt ? `     ${s.prompt.replace(/\n/g, '\n     ')}\n` : ''}`,
  );
  return `${template.id}\n${renderFields(facts, '  ')}\nSections\n${sections.join('')}`;
}

function readTemplateFile(path: string): CreateTemplateInput {
  const text = readTextFile(path, '--file');
  try {
    return JSON.parse(text) as CreateTemplateInput;
  } catch (error) {
    throw new CliError(`--file: ${path} is not valid JSON: ${describeError(error)}`, EXIT_USAGE);
  }
}

/** The version to write over: the one given, or the current one (said on stderr, since it skips the conflict check). */
async function versionToUse(
  client: DebriefClient,
  key: string,
  given: number | undefined,
  err: Writer,
  what: string,
): Promise<number> {
  if (given !== undefined) return given;
  const current = (await client.getPostmortem(key)).postmortem.version;
  err.write(
    `${what} version ${current} of the postmortem of ${key}, the current one (--expect-version N checks it is still the one you read).\n`,
  );
  return current;
}

function isPublishBlocked(error: unknown): error is DebriefError {
  return error instanceof DebriefError && error.code === 'DEBRIEF_ERR_PUBLISH_BLOCKED';
}

/** Blockers from a refused publish: the problem's `details`, one per open gate. */
function blockersOf(error: DebriefError): Pick<PublishBlocker, 'gate' | 'message'>[] {
  return error.details.map((d) => ({ gate: d.field as PublishBlocker['gate'], message: d.message }));
}

export interface ImportPostmortemOptions {
  incident?: string | undefined;
  severity?: string | undefined;
  service?: string[] | undefined;
  replace?: boolean | undefined;
  dryRun?: boolean | undefined;
  format: Format;
}

function importLine(file: string, r: PostmortemImportResult, dryRun: boolean): string {
  const target = r.incident ?? 'a new incident';
  const kept = r.unmapped.length ? `, ${r.unmapped.length} kept as they are (${r.unmapped.join(', ')})` : '';
  const markers = r.timeline.markers.length ? ` (${r.timeline.markers.join(', ')})` : '';
  return (
    `${file} ${dryRun ? 'would go to' : '->'} ${target} "${r.title}": ${plural(r.mapped.length, 'section')} mapped${kept}; ` +
    `summary ${r.hasSummary ? 'yes' : 'no'}; ${plural(r.timeline.events, 'timeline event')}${markers}\n`
  );
}

/**
 * `debrief import postmortem FILE.md…`: every file is read first (a missing or binary one stops the command before
 * anything is written), then imported one by one with a line per file. Works on the local database: the import
 * declares incidents and writes their timelines in one transaction, which no single API call does.
 */
export async function importPostmortemFiles(
  runtime: Runtime,
  files: readonly string[],
  opts: ImportPostmortemOptions,
  globals: GlobalOptions,
): Promise<void> {
  const { io } = runtime;
  if (opts.incident !== undefined && files.length > 1) {
    throw new CliError(`--incident takes one file (an incident has one postmortem); got ${files.length}`);
  }
  if (opts.replace && opts.incident === undefined) {
    throw new CliError('--replace needs --incident: without it every file gets a new incident');
  }
  const config = runtime.config(globals);
  if (config.serverUrl) {
    throw new CliError(
      'import postmortem writes to the database directly: run it where the data lives, without --url or DEBRIEF_URL',
    );
  }
  const documents = files.map((file) => ({ file, markdown: readTextFile(file) }));
  const settings = localSettings(config);
  const database = await openLocalDatabase(config);
  const results: (PostmortemImportResult & { file: string })[] = [];
  try {
    const ctx = createAppContext(database, { settings });
    const { importPostmortem } = await import('../app/postmortem-import.js');
    for (const { file, markdown } of documents) {
      let result: PostmortemImportResult;
      try {
        result = await importPostmortem(ctx, CLI_PRINCIPAL, {
          markdown,
          fileName: file,
          ...(opts.incident === undefined ? {} : { incident: incidentKey(opts.incident) }),
          ...(opts.severity === undefined ? {} : { severity: opts.severity.toUpperCase() as Severity }),
          ...(opts.service === undefined ? {} : { services: opts.service }),
          replace: opts.replace === true,
          dryRun: opts.dryRun === true,
        });
      } catch (error) {
        if (error instanceof DebriefError) throw new CliError(`${file}: ${error.message}`, exitCodeFor(error));
        throw error;
      }
      results.push({ file, ...result });
      const line = importLine(file, result, opts.dryRun === true);
      (opts.format === 'json' ? io.stderr : io.stdout).write(line);
    }
  } finally {
    await database.close();
  }
  if (opts.format === 'json') writeJson(io.stdout, { items: results });
  else if (results.length > 1) {
    const summaries = results.filter((r) => r.hasSummary).length;
    const timelines = results.filter((r) => r.timeline.events > 0).length;
    io.stdout.write(
      `${opts.dryRun ? 'Checked' : 'Imported'} ${plural(results.length, 'postmortem')}: ${summaries} with a summary, ` +
        `${timelines} with a timeline.\n`,
    );
  }
}

export function registerPostmortemCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const group = program
    .command('postmortem')
    .description('write, check, review and publish postmortems, and manage their templates')
    .addHelpText(
      'after',
      '\nWithout --url these commands work on the local database (as the operator); with --url (or DEBRIEF_URL) ' +
        'they call that server with DEBRIEF_TOKEN. Import a postmortem written elsewhere with `debrief import postmortem`.',
    );

  group
    .command('show')
    .description('show a postmortem: status, quality score, approvals, findings and publishing blockers')
    .argument('<key>', 'incident key, e.g. INC-12 (or just 12)')
    .option('--body', 'print only the markdown text (to edit it and save it back with `edit --file`)')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const detail = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.getPostmortem(incidentKey(key)),
      );
      if (opts.format === 'json') writeJson(io.stdout, detail);
      else if (opts.body)
        io.stdout.write(detail.postmortem.body.endsWith('\n') ? detail.postmortem.body : `${detail.postmortem.body}\n`);
      else io.stdout.write(renderPostmortem(detail));
    });

  group
    .command('create')
    .description(
      "create an incident's postmortem: a draft filled from its evidence (resolving an incident does this too)",
    )
    .argument('<key>', 'incident key')
    .option('--template <id>', 'template id (default: the one matching the incident best; see `templates list`)')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const created = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.createPostmortem(incidentKey(key), opts.template === undefined ? {} : { templateId: opts.template }),
      );
      printView(
        io.stdout,
        opts.format,
        created,
        `Created the postmortem of ${created.incident.key} from template ${created.template.name}`,
      );
    });

  group
    .command('edit')
    .description('save a markdown file as the postmortem text')
    .argument('<key>', 'incident key')
    .requiredOption('--file <file>', 'the markdown text (e.g. from `show KEY --body`)')
    .option(
      '--expect-version <n>',
      'the version you edited: a save by someone else since is a conflict',
      parsePositiveInt,
    )
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const body = readTextFile(opts.file, '--file');
      const target = incidentKey(key);
      const saved = await runtime.withClient(cmd.optsWithGlobals(), async (client) => {
        const version = await versionToUse(client, target, opts.expectVersion, io.stderr, 'Saving over');
        return { version, view: await client.savePostmortemBody(target, { body, version }) };
      });
      const unchanged = saved.view.version === saved.version;
      printView(
        io.stdout,
        opts.format,
        saved.view,
        unchanged
          ? `Nothing to save: the file is the text of the postmortem of ${saved.view.incident.key}`
          : `Saved the postmortem of ${saved.view.incident.key}`,
      );
    });

  group
    .command('check')
    .description('blame-language and redaction findings of the stored text (exit 1 when there are any to act on)')
    .argument('<key>', 'incident key')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const detail = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.getPostmortem(incidentKey(key)),
      );
      const open = unresolved(detail.redaction);
      if (opts.format === 'json') writeJson(io.stdout, { lint: detail.lint, redaction: detail.redaction });
      else {
        if (detail.lint.length) io.stdout.write(`Blame language\n${renderTable(LINT_COLUMNS, detail.lint)}`);
        if (detail.redaction.length) {
          io.stdout.write(
            `${detail.lint.length ? '\n' : ''}Redaction\n${renderTable(REDACTION_COLUMNS, detail.redaction)}`,
          );
        }
        if (!detail.lint.length && !detail.redaction.length) io.stdout.write('No findings.\n');
      }
      if (detail.lint.length || open.length) {
        throw new CliError(
          `${detail.postmortem.incident.key}: ${plural(detail.lint.length, 'blame-language finding')}, ` +
            `${plural(open.length, 'redaction finding')} neither redacted nor waived`,
          EXIT_FAILURE,
        );
      }
    });

  group
    .command('submit')
    .description('ask for a review (from draft or changes requested): starts a new review round')
    .argument('<key>', 'incident key')
    .option('--note <text>', 'a note for the reviewers, added to the timeline')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const view = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.requestReview(incidentKey(key), opts.note === undefined ? {} : { note: opts.note }),
      );
      printView(io.stdout, opts.format, view, `Review requested for ${view.incident.key}, round ${view.round}`);
    });

  group
    .command('review')
    .description('approve a postmortem in review, or request changes')
    .argument('<key>', 'incident key')
    .option('--approve', 'approve it')
    .option('--request-changes', 'ask for changes (say which with --comment)')
    .option('--score <1-5>', 'your quality score', score)
    .option('--comment <text>', 'what you think; required with --request-changes')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      if (Boolean(opts.approve) === Boolean(opts.requestChanges)) {
        throw new CliError('pass exactly one of --approve and --request-changes');
      }
      const result = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.reviewPostmortem(incidentKey(key), {
          decision: opts.approve ? 'approve' : 'request_changes',
          ...(opts.score === undefined ? {} : { score: opts.score }),
          ...(opts.comment === undefined ? {} : { comment: opts.comment }),
        }),
      );
      if (opts.format === 'json') {
        writeJson(io.stdout, result);
        return;
      }
      const verb = result.review.decision === 'approve' ? 'Approved' : 'Requested changes to';
      const a = result.approvals;
      io.stdout.write(
        `${verb} the postmortem of ${result.postmortem.incident.key}: now ${result.postmortem.status} ` +
          `(${a.approvedBy.length} of ${a.required} approvals${a.ownerRequired && !a.ownerApproved ? ', an owner must still approve' : ''})\n`,
      );
    });

  group
    .command('redact')
    .description('replace redaction findings in the text with [REDACTED:kind] placeholders')
    .argument('<key>', 'incident key')
    .option('--all', 'every finding nobody waived')
    .option(
      '--fingerprint <f>',
      'only these findings (repeatable, or a comma list; `check` shows them)',
      fingerprintOption,
    )
    .option(
      '--expect-version <n>',
      'the version you checked: a change by someone else since is a conflict',
      parsePositiveInt,
    )
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      if (Boolean(opts.all) === (opts.fingerprint !== undefined)) {
        throw new CliError('pass --all or --fingerprint (one or more), not both');
      }
      const target = incidentKey(key);
      const result = await runtime.withClient(cmd.optsWithGlobals(), async (client) => {
        const version = await versionToUse(client, target, opts.expectVersion, io.stderr, 'Redacting');
        return client.applyRedactions(target, {
          version,
          ...(opts.fingerprint === undefined ? {} : { fingerprints: opts.fingerprint }),
        });
      });
      if (opts.format === 'json') {
        writeJson(io.stdout, result);
        return;
      }
      const kinds = Object.entries(result.kinds)
        .map(([kind, n]) => `${kind} ×${n}`)
        .join(', ');
      io.stdout.write(
        result.redacted === 0
          ? `Nothing to redact in ${result.postmortem.incident.key}.\n`
          : `Redacted ${plural(result.redacted, 'finding')} in ${result.postmortem.incident.key} (${kinds}); ` +
              `now version ${result.postmortem.version}\n`,
      );
    });

  group
    .command('waive')
    .description('keep one redaction finding in the internal version (the external one still redacts it)')
    .argument('<key>', 'incident key')
    .requiredOption('--fingerprint <f>', 'the finding (`check` shows fingerprints)')
    .requiredOption('--reason <text>', 'why the value may stay (recorded with your name)')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const waiver = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.waiveRedaction(incidentKey(key), { fingerprint: opts.fingerprint, reason: opts.reason }),
      );
      if (opts.format === 'json') writeJson(io.stdout, waiver);
      else io.stdout.write(`Waived the ${waiver.kind} finding ${waiver.fingerprint.slice(0, 12)}…: ${waiver.reason}\n`);
    });

  group
    .command('publish')
    .description('publish the postmortem (exit 1 listing the open gates when it may not be published yet)')
    .argument('<key>', 'incident key')
    .option(
      '--expect-version <n>',
      'the version you reviewed: a change by someone else since is a conflict',
      parsePositiveInt,
    )
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const target = incidentKey(key);
      const result = await runtime.withClient(cmd.optsWithGlobals(), async (client) => {
        const version = await versionToUse(client, target, opts.expectVersion, io.stderr, 'Publishing');
        try {
          return await client.publishPostmortem(target, { version });
        } catch (error) {
          if (!isPublishBlocked(error)) throw error;
          const blockers = blockersOf(error);
          if (opts.format === 'json') writeJson(io.stdout, { published: false, blockers });
          else io.stdout.write(blockers.map((b) => `${b.gate}: ${b.message}\n`).join(''));
          throw new CliError(`${target} was not published: ${plural(blockers.length, 'gate')} open`, EXIT_FAILURE);
        }
      });
      if (opts.format === 'json') writeJson(io.stdout, result);
      else {
        io.stdout.write(
          `Published the postmortem of ${result.postmortem.incident.key} (version ${result.publication.version}) ` +
            `at ${formatTime(result.publication.publishedAt)}\n`,
        );
      }
    });

  group
    .command('reopen')
    .description('reopen a published postmortem as a draft for corrections')
    .argument('<key>', 'incident key')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const view = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        client.reopenPostmortem(incidentKey(key)),
      );
      printView(io.stdout, opts.format, view, `Reopened the postmortem of ${view.incident.key}`);
    });

  group
    .command('list')
    .description('list postmortems, most recently updated first, with their quality scores')
    .option('--status <statuses>', `comma list of ${STATUS_HELP}`, collectList)
    .option('--limit <n>', 'page size, 1-200 (default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow cursors and list every match')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const filter: ListPostmortemsInput = {
        ...(opts.status ? { status: opts.status.map((s) => s.toLowerCase()) as ListPostmortemsInput['status'] } : {}),
        ...(opts.limit !== undefined || opts.all ? { limit: opts.limit ?? 200 } : {}),
        ...(opts.cursor !== undefined ? { cursor: opts.cursor } : {}),
      };
      const page = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        fetchPages((f: ListPostmortemsInput) => client.listPostmortems(f), filter, opts.all === true),
      );
      printPage(io, opts.format, page, LIST_COLUMNS, 'postmortems');
    });

  const templates = group.command('templates').description('postmortem templates: list, show, create, delete');

  templates
    .command('list')
    .description('the built-in default, then your own templates')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const items = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.listTemplates());
      if (opts.format === 'json') writeJson(io.stdout, { items });
      else io.stdout.write(renderTable(TEMPLATE_COLUMNS, items));
    });

  templates
    .command('show')
    .description('show a template and its sections')
    .argument('<id>', 'template id (`default` is the built-in one)')
    .addOption(formatOption())
    .action(async (id, opts, cmd) => {
      const template = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.getTemplate(id));
      if (opts.format === 'json') writeJson(io.stdout, template);
      else io.stdout.write(renderTemplate(template));
    });

  templates
    .command('create')
    .description('create a template from a JSON file')
    .requiredOption(
      '--file <file>',
      'JSON: {"name", "description"?, "severities"?: ["SEV1", …], "types"?: ["security", …], ' +
        '"sections": [{"title", "prompt"?, "required"?}, …]}',
    )
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const input = readTemplateFile(opts.file);
      const template = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.createTemplate(input));
      if (opts.format === 'json') writeJson(io.stdout, template);
      else
        io.stdout.write(
          `Created template ${template.id} "${template.name}" with ${plural(template.sections.length, 'section')}\n`,
        );
    });

  templates
    .command('delete')
    .description('delete a template (postmortems written with it keep their text)')
    .argument('<id>', 'template id')
    .action(async (id, _opts, cmd) => {
      await runtime.withClient(cmd.optsWithGlobals(), (client) => client.deleteTemplate(id));
      io.stdout.write(`Deleted template ${id}\n`);
    });
}
