import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog.js';
import { createAppContext } from '../../src/app/context.js';
import type { PostmortemImportResult } from '../../src/app/postmortem-import.js';
import type { PostmortemDetailView, TemplateView } from '../../src/app/postmortem-views.js';
import type { IncidentView } from '../../src/app/presenters.js';
import { migrateToLatest, openDatabase, type Database } from '../../src/store/database.js';
import { debrief, json, lines, tempDir } from './run.js';
import { createTokens, listen, type TestServer } from './server.js';

/** A postmortem as a wiki might hold it: its own section names, a personal address and a blaming sentence. */
const OUTAGE = `# Checkout outage

Written by the payments team.

## Issue Summary

Between 14:02 and 14:47 UTC 38% of checkout requests failed.

## Timeline (all times UTC)

### 2024-05-01

- 14:02 Errors started on checkout
- 14:05 An alert fired and the on-call engineer was paged
- 14:41 The config change was rolled back, errors dropped
- 14:47 Recovered: error rate back to normal

## Root Cause

The connection pool was reduced from 200 to 20. Questions to ana.lopez@example.com.

## Attendees

- Ana, Bo
`;

/** A short postmortem with nothing to redact and no blame language. */
const CLEAN = `# Search latency 2024-06-03

## Summary

From 09:10 to 09:40 UTC search answered in 4 s instead of 300 ms for 12% of queries.

## Timeline

- 2024-06-03 09:10 UTC Latency rose on search
- 2024-06-03 09:14 UTC An alert fired
- 2024-06-03 09:40 UTC Recovered after the index was rebuilt
`;

describe('debrief import postmortem and debrief postmortem (local SQLite data directory)', () => {
  const dir = tempDir();
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  const file = (name: string, text: string | Buffer): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  let database: Database;
  let outage = '';
  let clean = '';

  beforeAll(async () => {
    database = openDatabase({ dataDir: dir.path });
    await migrateToLatest(database);
    await createService(
      createAppContext(database),
      { kind: 'system', name: 'test', role: 'admin' },
      {
        name: 'checkout',
        tier: 1,
      },
    );
    outage = file('checkout-outage.md', OUTAGE);
    clean = file('search-latency.md', CLEAN);
  });
  afterAll(async () => {
    await database.close();
    dir.remove();
  });

  it('checks files on a dry run without writing, one progress line per file', async () => {
    const dry = await run('import', 'postmortem', outage, clean, '--dry-run', '--format', 'json');
    expect(dry.code).toBe(0);
    const { items } = json<{ items: (PostmortemImportResult & { file: string })[] }>(dry);
    expect(items.map((i) => [i.file, i.incident, i.hasSummary, i.timeline.events])).toEqual([
      [outage, null, true, 4],
      [clean, null, true, 3],
    ]);
    expect(lines(dry.stderr)).toHaveLength(2);
    expect(lines(dry.stderr)[0]).toContain('would go to a new incident "Checkout outage"');
    const listed = json<{ items: IncidentView[] }>(await run('incident', 'list', '--format', 'json'));
    expect(listed.items).toEqual([]);
  });

  it('imports files as resolved incidents with their postmortems and timelines', async () => {
    const imported = await run('import', 'postmortem', outage, clean, '--severity', 'sev3', '--service', 'checkout');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(lines(imported.stdout)).toEqual([
      `${outage} -> INC-1 "Checkout outage": 3 sections mapped, 1 kept as they are (Attendees); summary yes; ` +
        '4 timeline events (impact_start, detected, mitigated, resolved)',
      `${clean} -> INC-2 "Search latency 2024-06-03": 2 sections mapped; summary yes; 3 timeline events ` +
        '(impact_start, detected, mitigated)',
      'Imported 2 postmortems: 2 with a summary, 2 with a timeline.',
    ]);
    const incident = json<IncidentView>(await run('incident', 'show', 'INC-1', '--timeline', '--format', 'json'));
    expect(incident).toMatchObject({
      status: 'resolved',
      severity: 'SEV3',
      services: ['checkout'],
      resolvedAt: '2024-05-01T14:47:00.000Z',
    });
    expect(incident.timeline?.filter((e) => e.source === 'import')).toHaveLength(4);
  });

  it('refuses a second postmortem for an incident unless told to replace its text', async () => {
    const again = await run('import', 'postmortem', outage, '--incident', 'INC-1');
    expect(again.code).toBe(2);
    expect(lines(again.stderr)).toEqual([
      `debrief: ${outage}: INC-1 already has a postmortem; replace its text with --replace (a normal save, kept in its history)`,
    ]);
    const replaced = await run('import', 'postmortem', outage, '--incident', '1', '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('-> INC-1 "Checkout outage"');
  });

  it('rejects unusable files and option combinations with exit 2 and one line', async () => {
    const binary = file('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe]));
    const cases: [string[], string][] = [
      [[join(dir.path, 'missing.md')], `debrief: cannot read ${join(dir.path, 'missing.md')}: no such file`],
      [[binary], `debrief: ${binary} is not a text file (it is binary or not UTF-8)`],
      [[dir.path], `debrief: ${dir.path} is a directory, not a file`],
      [
        [outage, clean, '--incident', 'INC-1'],
        'debrief: --incident takes one file (an incident has one postmortem); got 2',
      ],
      [[outage, '--replace'], 'debrief: --replace needs --incident: without it every file gets a new incident'],
      [[outage, '--severity', 'SEV9'], `debrief: ${outage}: severity: must be one of SEV1, SEV2, SEV3, SEV4`],
      [
        [outage, '--service', 'nope'],
        `debrief: ${outage}: services[0]: unknown service "nope"; add it to the catalog first`,
      ],
      [
        [outage, '--url', 'http://127.0.0.1:9'],
        'debrief: import postmortem writes to the database directly: run it where the data lives, without --url or DEBRIEF_URL',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await debrief(['import', 'postmortem', ...args], { env: { ...env, DEBRIEF_TOKEN: 'dbf_x' } });
      expect({ args, code: result.code, stderr: lines(result.stderr) }).toEqual({ args, code: 2, stderr: [message] });
    }
    const unknown = await run('import', 'postmortem', outage, '--incident', 'INC-99');
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual([`debrief: ${outage}: incident INC-99 not found`]);
  });

  it('shows the postmortem, prints its text, and saves an edited text back', async () => {
    const shown = await run('postmortem', 'show', 'INC-1');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^INC-1 {2}Checkout outage\n/);
    expect(shown.stdout).toMatch(/Status\s+draft\n/);
    expect(shown.stdout).toMatch(/Quality\s+\d+\/100\n/);
    expect(shown.stdout).toMatch(/Approvals\s+0 of 1 in round 0\n/);
    expect(shown.stdout).toContain('Publishing blocked\n');
    expect(shown.stdout).toContain('  status: status is draft: request review first\n');

    const body = await run('postmortem', 'show', 'INC-1', '--body');
    const detail = json<PostmortemDetailView>(await run('postmortem', 'show', 'INC-1', '--format', 'json'));
    expect(body.stdout).toBe(detail.postmortem.body);
    expect(body.stdout).toContain('## Contributing factors\n\nThe connection pool was reduced');

    const edited = file('edited.md', body.stdout.replace('38% of checkout requests', '38% of all checkout requests'));
    const saved = await run('postmortem', 'edit', 'INC-1', '--file', edited);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe(`Saved the postmortem of INC-1 (draft, version ${detail.postmortem.version + 1})\n`);
    expect(saved.stderr).toContain(`Saving over version ${detail.postmortem.version} of the postmortem of INC-1`);
    const stale = await run('postmortem', 'edit', 'INC-1', '--file', edited, '--expect-version', '1');
    expect(stale.code).toBe(1);
    expect(lines(stale.stderr)[0]).toMatch(
      /^debrief: the postmortem of INC-1 was changed by system:cli \(now version \d+, you sent 1\)/,
    );
    const same = await run('postmortem', 'edit', 'INC-1', '--file', edited);
    expect(same.stdout).toMatch(/^Nothing to save: the file is the text of the postmortem of INC-1/);
    const missing = await run('postmortem', 'edit', 'INC-1');
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual(["debrief: required option '--file <file>' not specified"]);
  });

  it('checks the stored text, redacts and waives findings, and exits 1 while any is open', async () => {
    const checked = await run('postmortem', 'check', 'INC-1');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(
      /Redaction\nLINE\s+KIND\s+CATEGORY\s+WAIVED\s+FINGERPRINT\n\d+:\d+\s+email\s+personal\s+no\s+[0-9a-f]{64}\n/,
    );
    // The value itself stays off the terminal.
    expect(checked.stdout).not.toContain('ana.lopez@example.com');
    expect(lines(checked.stderr).at(-1)).toMatch(
      /^debrief: INC-1: \d+ blame-language findings?, 1 redaction finding neither redacted nor waived$/,
    );
    const report = json<Pick<PostmortemDetailView, 'lint' | 'redaction'>>(
      await run('postmortem', 'check', 'INC-1', '--format', 'json'),
    );
    const email = report.redaction.find((f) => f.kind === 'email');
    expect(email?.text).toBe('ana.lopez@example.com');

    const waived = await run(
      'postmortem',
      'waive',
      'INC-1',
      '--fingerprint',
      email?.fingerprint ?? '',
      '--reason',
      'our public contact',
    );
    expect(waived.code).toBe(0);
    expect(waived.stdout).toBe(`Waived the email finding ${email?.fingerprint.slice(0, 12)}…: our public contact\n`);
    const after = json<PostmortemDetailView>(await run('postmortem', 'show', 'INC-1', '--format', 'json'));
    expect(after.redaction.find((f) => f.kind === 'email')?.waiver?.reason).toBe('our public contact');

    const bothFlags = await run('postmortem', 'redact', 'INC-1', '--all', '--fingerprint', email?.fingerprint ?? '');
    expect(bothFlags.code).toBe(2);
    const badPrint = await run('postmortem', 'redact', 'INC-1', '--fingerprint', 'abc');
    expect(badPrint.code).toBe(2);
    expect(lines(badPrint.stderr)[0]).toContain('"abc" is not a fingerprint');
    const redacted = await run('postmortem', 'redact', 'INC-1', '--fingerprint', email?.fingerprint ?? '');
    expect(redacted.code).toBe(0);
    expect(redacted.stdout).toMatch(/^Redacted 1 finding in INC-1 \(email ×1\); now version \d+\n$/);
    const text = await run('postmortem', 'show', 'INC-1', '--body');
    expect(text.stdout).toContain('Questions to [REDACTED:email].');
  });

  it("applies the data directory's settings file, as the server would", async () => {
    const settings = file(
      'settings.json',
      JSON.stringify({ postmortems: { redaction: { terms: [{ kind: 'internal', values: ['connection pool'] }] } } }),
    );
    try {
      const report = json<Pick<PostmortemDetailView, 'redaction'>>(
        await run('postmortem', 'check', 'INC-1', '--format', 'json'),
      );
      expect(report.redaction.filter((f) => f.kind === 'internal').map((f) => f.category)).toEqual(['term']);
    } finally {
      rmSync(settings);
    }
    const without = json<Pick<PostmortemDetailView, 'redaction'>>(
      await run('postmortem', 'check', 'INC-1', '--format', 'json'),
    );
    expect(without.redaction.some((f) => f.kind === 'internal')).toBe(false);
  });

  it('submits for review and refuses unusable review options', async () => {
    const submitted = await run('postmortem', 'submit', 'INC-1', '--note', 'ready for Thursday');
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toMatch(/^Review requested for INC-1, round 1 \(in_review, version \d+\)\n$/);
    const neither = await run('postmortem', 'review', 'INC-1');
    expect(neither.code).toBe(2);
    expect(lines(neither.stderr)).toEqual(['debrief: pass exactly one of --approve and --request-changes']);
    const badScore = await run('postmortem', 'review', 'INC-1', '--approve', '--score', '7');
    expect(badScore.code).toBe(2);
    expect(lines(badScore.stderr)[0]).toContain('must be a whole number from 1 to 5');
    // The local operator asked for the review, so it may not approve it.
    const own = await run('postmortem', 'review', 'INC-1', '--approve');
    expect(own.code).toBe(1);
    expect(lines(own.stderr)[0]).toMatch(/^debrief: you requested this review/);
  });

  it('lists the open gates one per line when publishing is blocked', async () => {
    const blocked = await run('postmortem', 'publish', 'INC-1');
    expect(blocked.code).toBe(1);
    expect(lines(blocked.stdout)).toContain('approvals: 1 more approval needed');
    expect(lines(blocked.stdout).every((line) => /^(blame|redaction|approvals|status): /.test(line))).toBe(true);
    expect(lines(blocked.stderr).at(-1)).toMatch(/^debrief: INC-1 was not published: \d+ gates? open$/);
    const asJson = await run('postmortem', 'publish', 'INC-1', '--format', 'json');
    expect(asJson.code).toBe(1);
    const parsed = json<{ published: boolean; blockers: { gate: string }[] }>(asJson);
    expect(parsed.published).toBe(false);
    expect(parsed.blockers.map((b) => b.gate)).toContain('approvals');
  });

  it('lists postmortems by status', async () => {
    const listed = await run('postmortem', 'list', '--status', 'in_review');
    expect(listed.code).toBe(0);
    expect(lines(listed.stdout)[0]).toMatch(/^KEY\s+SEV\s+STATUS\s+SCORE\s+UPDATED\s+TITLE$/);
    expect(
      lines(listed.stdout)
        .slice(1)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['INC-1']);
    const page = json<{ items: { incident: { key: string } }[]; nextCursor: string | null }>(
      await run('postmortem', 'list', '--all', '--format', 'json'),
    );
    expect(page.items.map((i) => i.incident.key).sort()).toEqual(['INC-1', 'INC-2']);
    const bad = await run('postmortem', 'list', '--status', 'finished');
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)[0]).toMatch(/^debrief: status\[0\]: must be one of draft, in_review/);
  });

  it('creates a draft for an incident without a postmortem, once', async () => {
    const declared = json<IncidentView>(
      await run('incident', 'declare', '--title', 'Queue backlog', '--severity', 'SEV4', '--format', 'json'),
    );
    const unknown = await run('postmortem', 'create', declared.key, '--template', 'nope');
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)).toEqual(['debrief: templateId: no template with id "nope"']);
    const created = await run('postmortem', 'create', declared.key, '--template', 'default');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`Created the postmortem of ${declared.key} from template Default (draft, version 1)\n`);
    const body = await run('postmortem', 'show', declared.key, '--body');
    expect(body.stdout).toMatch(/^# .*Queue backlog/);
    expect(body.stdout).toContain('## Contributing factors');
    const twice = await run('postmortem', 'create', declared.key);
    expect(twice.code).toBe(2);
    expect(lines(twice.stderr)).toEqual([`debrief: ${declared.key} already has a postmortem`]);
  });

  it('creates, shows, lists and deletes templates, and keeps the built-in one', async () => {
    const spec = file(
      'security.json',
      JSON.stringify({
        name: 'Security incident',
        severities: ['SEV1', 'SEV2'],
        types: ['security'],
        sections: [{ title: 'Summary' }, { title: 'Exposure', prompt: 'What data, whose, for how long?' }],
      }),
    );
    const created = await run('postmortem', 'templates', 'create', '--file', spec, '--format', 'json');
    expect(created.code).toBe(0);
    const template = json<TemplateView>(created);
    expect(template.sections.map((s) => s.id)).toEqual(['summary', 'exposure']);
    const listed = await run('postmortem', 'templates', 'list');
    expect(lines(listed.stdout).map((l) => l.split(/\s+/)[0])).toEqual(['ID', 'default', template.id]);
    const shown = await run('postmortem', 'templates', 'show', template.id);
    expect(shown.stdout).toContain('## Exposure  [exposure]\n     What data, whose, for how long?\n');
    const builtIn = await run('postmortem', 'templates', 'delete', 'default');
    expect(builtIn.code).toBe(2);
    const deleted = await run('postmortem', 'templates', 'delete', template.id);
    expect(deleted.stdout).toBe(`Deleted template ${template.id}\n`);
    const gone = await run('postmortem', 'templates', 'show', template.id);
    expect(gone.code).toBe(1);
    const notJson = await run('postmortem', 'templates', 'create', '--file', outage);
    expect(notJson.code).toBe(2);
    expect(lines(notJson.stderr)[0]).toMatch(/^debrief: --file: .* is not valid JSON/);
  });

  describe('with --url', () => {
    let server: TestServer;
    let tokens: Record<string, string> = {};

    beforeAll(async () => {
      tokens = await createTokens(run, 'pm', ['viewer', 'reviewer']);
      server = await listen(database);
    });
    afterAll(() => server.close());

    const remote = (role: string, ...args: string[]) => server.cli(tokens[role] ?? '')(...args);

    it('goes through review and publication with another reviewer, then reopens', async () => {
      expect((await run('postmortem', 'submit', 'INC-2')).code).toBe(0);
      const approved = await remote('reviewer', 'postmortem', 'review', 'INC-2', '--approve', '--score', '4');
      expect(approved.stderr).toBe('');
      expect(approved.stdout).toBe('Approved the postmortem of INC-2: now approved (1 of 1 approvals)\n');
      const published = await remote('reviewer', 'postmortem', 'publish', 'INC-2');
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/^Published the postmortem of INC-2 \(version \d+\) at \d{4}-\d\d-\d\dT/);
      const shown = await remote('viewer', 'postmortem', 'show', 'INC-2');
      expect(shown.stdout).toMatch(/Status\s+published\n/);
      expect(shown.stdout).toMatch(/Published\s+\S+ by token:pm-reviewer \(version \d+\)\n/);
      expect(shown.stdout).not.toContain('Publishing blocked');
      const reopened = await remote('reviewer', 'postmortem', 'reopen', 'INC-2');
      expect(reopened.stdout).toMatch(/^Reopened the postmortem of INC-2 \(draft, version \d+\)\n$/);
    });

    it('answers a viewer who may not edit, and an unknown incident, like a local run would', async () => {
      const edit = await remote('viewer', 'postmortem', 'edit', 'INC-2', '--file', clean);
      expect(edit.code).toBe(1);
      expect(lines(edit.stderr).at(-1)).toMatch(/^debrief: your role \(viewer\) may not postmortem\.edit/);
      const missing = await remote('viewer', 'postmortem', 'show', 'INC-404');
      expect(missing.code).toBe(1);
      const templates = await remote('viewer', 'postmortem', 'templates', 'list', '--format', 'json');
      expect(json<{ items: TemplateView[] }>(templates).items[0]?.id).toBe('default');
    });
  });
});
