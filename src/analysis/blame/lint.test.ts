import { describe, expect, it } from 'vitest';
import { isLogLine, proseSegments } from './prose.js';
import { LintConfigError, lintPostmortem, parseLintOptions, RULE_IDS, RULES, type Finding } from './index.js';

const rules = (markdown: string): string[] => lintPostmortem(markdown).map((finding) => finding.ruleId);
const flagged = (markdown: string): [string, string][] =>
  lintPostmortem(markdown).map((finding) => [finding.ruleId, finding.text]);

describe('lintPostmortem: what it flags', () => {
  it.each([
    ['The outage was caused by human error.', 'human-error', 'human error'],
    ['It was operator error: the wrong context was selected.', 'human-error', 'operator error'],
    ['An engineer fat-fingered the replica count.', 'human-error', 'fat-fingered'],
    ['The engineer should have checked the logs.', 'counterfactual', 'The engineer should have checked'],
    ['If Bob had read the runbook, nothing would have broken.', 'counterfactual', 'If Bob had read'],
    ['Had they checked the dashboard, they would have seen it.', 'counterfactual', 'Had they checked'],
    ['This should have been caught in review.', 'counterfactual', 'should have been caught'],
    ['We could have rolled back sooner.', 'counterfactual', 'We could have rolled'],
    ['Obviously, nobody read the release notes.', 'hindsight', 'Obviously'],
    ['He just needed to restart the pod.', 'hindsight', 'He just needed to'],
    ['We failed to notice the queue growing.', 'hindsight', 'We failed to notice'],
    ['It was a sloppy deploy.', 'judgmental', 'sloppy'],
    ['The on-call engineer ignored the page.', 'judgmental', 'ignored the page'],
    ["They didn't bother to check.", 'judgmental', "didn't bother to"],
    ['Bob forgot to renew the certificate.', 'person-as-cause', 'Bob forgot'],
    ['The DBA misconfigured the replica.', 'person-as-cause', 'The DBA misconfigured'],
    ['The new hire pushed a bad config.', 'person-as-cause', 'The new hire pushed a bad'],
    ['The outage was caused by Bob.', 'person-as-cause', 'caused by Bob'],
    ["It was Alice's mistake.", 'person-as-cause', "Alice's mistake"],
    ["The spike was due to @sam's change.", 'person-as-cause', "due to @sam's change"],
    ['Carol did not check the lag.', 'person-as-cause', 'Carol did not check'],
    ['The payments team caused the outage.', 'team-blame', 'The payments team caused'],
    [
      'Because the SRE team failed to update the thresholds, nothing fired.',
      'team-blame',
      'the SRE team failed to update',
    ],
    ['The root cause was an expired certificate.', 'root-cause', 'The root cause was'],
    ['Root cause: the disk filled up.', 'root-cause', 'Root cause'],
    ['The cause of the outage was a bad load balancer rule.', 'root-cause', 'The cause of the outage was'],
    ['Operator mistakes made the failover slower.', 'human-error', 'Operator mistakes'],
    [
      'The engineer who ran the migration forgot a snapshot.',
      'person-as-cause',
      'The engineer who ran the migration forgot',
    ],
    ['Dana, who was on call, missed the page.', 'person-as-cause', 'Dana, who was on call, missed'],
    [
      'The reviewer approved the change without testing it.',
      'person-as-cause',
      'The reviewer approved the change without testing',
    ],
    ['Kasimir broke the build, and he knew it.', 'person-as-cause', 'Kasimir broke'],
    ['A user mistakenly deleted the shared folder.', 'person-as-cause', 'A user mistakenly deleted'],
    ['The fault for the outage lies with @kim.', 'person-as-cause', 'fault for the outage lies with @kim'],
    ['Carol ignored all critical alerts that night.', 'judgmental', 'ignored all critical alerts'],
    [
      'Blame for the delay rests with the networking team.',
      'team-blame',
      'Blame for the delay rests with the networking team',
    ],
    ["The change shouldn't have been approved on a Friday.", 'counterfactual', "shouldn't have been approved"],
    ['The warnings in the logs were obvious.', 'hindsight', 'The warnings in the logs were obvious'],
    ['It boils down to a single mistake.', 'root-cause', 'boils down to a single mistake'],
  ])('%s → %s', (markdown, ruleId, text) => {
    expect(flagged(markdown)).toContainEqual([ruleId, text]);
  });

  it('flags a "Root Cause" heading and suggests contributing factors', () => {
    const [finding] = lintPostmortem('# INC-12\n\n## Root Cause\n\nThe disk filled up.\n');
    expect(finding).toMatchObject({ ruleId: 'root-cause', severity: 'info', line: 3, column: 4, text: 'Root Cause' });
    expect(finding?.suggestion).toMatch(/Contributing factors/);
  });

  it('reads list items, table cells, headings, emphasis and prose blockquotes', () => {
    const markdown = [
      '- Bob forgot to renew it.',
      '',
      '| Time | Event |',
      '|---|---|',
      '| 10:00 | The intern ran a migration against production |',
      '',
      '> The engineer should have checked the dashboard.',
      '',
      'It was **careless**.',
    ].join('\n');
    expect(rules(markdown)).toEqual(['person-as-cause', 'person-as-cause', 'counterfactual', 'judgmental']);
  });
});

describe('lintPostmortem: what it does not flag', () => {
  it.each([
    ['a detector', 'Alice noticed the alert and paged Bob.'],
    ['a responder', 'Bob rolled back the deploy at 14:41.'],
    ['a plan', 'We should add a check. We should alert on saturation. We should have a staging area.'],
    ['a system as the subject', 'The job failed to start. The deploy failed. Jenkins failed to deploy the artifact.'],
    ['"we failed over"', 'We failed over to the secondary region.'],
    ['passive voice', 'The config was changed. The migration was run against production.'],
    ['a technical "lazy"', 'The lazy-loaded script and lazy loading both broke.'],
    ['a quoted mention', 'Remember that “operator error” is never a root cause.'],
    ['a design goal', 'Automation removes the risk of human error.'],
    ['a question', 'What could we have done differently?'],
    ['a worse outcome avoided', 'Without paging we could have noticed it much later.'],
    ['a negated root cause', 'There is no single root cause; the root cause is still unknown.'],
    ['the term discussed', 'The old view of human error blames bad actors.'],
    ['a claim about a kind of person', 'The bad-apple theory says that people who are careless cause outages.'],
    ['a user as the one affected', 'The user failed to load the page, and a user would have seen a 502.'],
    ['an outcome no one could change', 'This could not have been prevented by monitoring alone.'],
    ['a system skipping warnings', 'The router ignored the stale health-check warnings.'],
    ['a prompt to the reviewers', 'Reflect whether the release should have been announced to the teams.'],
    ['an unfamiliar name as a responder', 'Kasimir restarted the broker, and he confirmed recovery at 10:40.'],
  ])('%s', (_what, markdown) => {
    expect(lintPostmortem(markdown)).toEqual([]);
  });

  it('skips inline code, fenced code, links, images, HTML and front matter', () => {
    const markdown = [
      '---',
      'title: Bob forgot the human error',
      '---',
      '',
      'Run `bob forgot to renew` and see [Bob broke the build](https://example.com/obviously).',
      '',
      '![human error](https://example.com/careless.png) <span title="careless">x</span>',
      '',
      '```',
      'The engineer should have checked. Root cause: human error.',
      '```',
      '',
      '    indented code: operator error',
      '',
      '<div>The root cause was sloppy work.</div>',
      '',
      'See https://example.com/the-root-cause-was-human-error for details.',
    ].join('\n');
    expect(lintPostmortem(markdown)).toEqual([]);
  });

  it('skips log lines and blockquoted logs but reads the prose around them', () => {
    const markdown = [
      'The worker logged:',
      '',
      '> 2024-05-01T14:02:11Z ERROR Bob forgot to renew the lease',
      '> the retry loop was careless',
      '',
      '2024-05-01 14:02:12 WARN human error in config',
      '    at Object.<anonymous> (/srv/app.js:10:5)',
      'Then Bob forgot to renew it.',
    ].join('\n');
    expect(flagged(markdown)).toEqual([['person-as-cause', 'Bob forgot']]);
  });

  it('tells log lines from timeline entries', () => {
    expect(isLogLine('2024-05-01T14:02:11Z ERROR pool exhausted')).toBe(true);
    expect(isLogLine('> [14:02:11] [error] pool exhausted')).toBe(true);
    expect(isLogLine('I0501 14:02:11.123456 main.go:42] starting')).toBe(true);
    expect(isLogLine('Traceback (most recent call last):')).toBe(true);
    expect(isLogLine('level=error msg="lease lost" ts=2024-05-01T14:02:11Z')).toBe(true);
    expect(isLogLine('- 14:02 UTC Alice noticed the error rate alert')).toBe(false);
    expect(isLogLine('| 2021-09-17 13:43 | Assumed user error at the time |')).toBe(false);
  });

  it('gives code and links a neutral placeholder, so the sentence around them still reads', () => {
    const [segment] = proseSegments('The `deploy.sh` script and [the docs](https://x.io) disagree.');
    expect(segment?.text).toBe('The  it  script and  it  disagree.');
  });
});

describe('lintPostmortem: positions', () => {
  const at = (finding: Finding | undefined) =>
    finding && [finding.line, finding.column, finding.endLine, finding.endColumn, finding.text];

  it('reports 1-based lines and columns of the document, endColumn exclusive', () => {
    const markdown = '# Summary\n\nAt 10:00 the deploy ran.\nThen   Bob forgot to renew it.\n';
    const [finding] = lintPostmortem(markdown);
    expect(at(finding)).toEqual([4, 8, 4, 18, 'Bob forgot']);
    expect(markdown.split('\n')[3]?.slice(7, 17)).toBe('Bob forgot');
  });

  it('counts CRLF line endings as one break', () => {
    const [finding] = lintPostmortem('Line one.\r\n\r\nIt was careless.\r\n');
    expect(at(finding)).toEqual([3, 8, 3, 16, 'careless']);
  });

  it('maps through emphasis, escapes, entities and list indentation', () => {
    const markdown = '- Note \\* &amp; more:\n  the **root cause** was\n  a bad disk.';
    const [finding] = lintPostmortem(markdown);
    expect(finding).toMatchObject({ ruleId: 'root-cause', line: 2, column: 3, endLine: 2, endColumn: 25 });
    expect(finding?.text).toBe('the **root cause** was');
  });

  it('spans lines when the phrase does, inside a blockquote', () => {
    const [finding] = lintPostmortem('> This should have\n> been caught in review.');
    expect(at(finding)).toEqual([1, 8, 2, 14, 'should have\n> been caught']);
  });

  it('keeps curly quotes and apostrophes as written', () => {
    const [finding] = lintPostmortem('It was Alice’s mistake.');
    expect(finding?.text).toBe('Alice’s mistake');
  });
});

describe('lintPostmortem: options', () => {
  const text = 'The root cause was human error. Simply put, the engineer should have checked.';

  it('uses the default severities', () => {
    expect(Object.fromEntries(RULE_IDS.map((id) => [id, RULES[id].defaultSeverity]))).toEqual({
      'human-error': 'error',
      counterfactual: 'warning',
      hindsight: 'warning',
      judgmental: 'error',
      'person-as-cause': 'error',
      'team-blame': 'warning',
      'root-cause': 'info',
    });
    expect(lintPostmortem(text).map((finding) => finding.severity)).toEqual(['info', 'error', 'warning']);
  });

  it('turns rules off and changes severities', () => {
    const findings = lintPostmortem(text, {
      rules: { 'root-cause': { enabled: false }, counterfactual: { severity: 'error' } },
    });
    expect(findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([
      ['human-error', 'error'],
      ['counterfactual', 'error'],
    ]);
  });

  it('never flags allowed words and phrases', () => {
    expect(rules('Simply failed to start. Clearly, nobody checked.')).toEqual(['hindsight', 'hindsight']);
    expect(
      lintPostmortem('Simply failed to start. Clearly, nobody checked.', { allow: ['Simply'] }).map((f) => f.text),
    ).toEqual(['Clearly']);
    expect(lintPostmortem('The root cause was a bug.', { allow: ['Root Cause'] })).toEqual([]);
    expect(rules('Obviously Analytics shipped the fix.')).toEqual(['hindsight']);
    expect(lintPostmortem('Obviously Analytics shipped the fix.', { allow: ['obviously analytics'] })).toEqual([]);
  });

  it('rejects configurations it cannot use, with a clear message', () => {
    expect(() => lintPostmortem(text, { rules: { 'no-such-rule': {} } } as never)).toThrow(LintConfigError);
    expect(() => parseLintOptions({ rules: { hindsight: { severity: 'fatal' } } })).toThrow(
      /rules\.hindsight\.severity must be one of error, warning, info/,
    );
    expect(() => parseLintOptions({ allow: 'Simply' })).toThrow(/"allow" must be a list/);
    expect(() => parseLintOptions({ rule: {} })).toThrow(/unknown configuration key "rule"/);
    expect(parseLintOptions({ rules: { 'root-cause': { enabled: false } }, allow: ['x'] })).toEqual({
      rules: { 'root-cause': { enabled: false } },
      allow: ['x'],
    });
  });
});

describe('lintPostmortem: robustness', () => {
  it('returns nothing for empty, code-only or non-prose input', () => {
    expect(lintPostmortem('')).toEqual([]);
    expect(lintPostmortem('```\nhuman error\n```')).toEqual([]);
    expect(lintPostmortem('\u0000\u0001\u0002 | | ---')).toEqual([]);
  });

  it('gives every finding a message and a suggestion, and text equal to the document slice', () => {
    const markdown = 'Bob forgot it.\n\nThe root cause was careless operator error, obviously.';
    const lines = markdown.split('\n');
    for (const finding of lintPostmortem(markdown)) {
      expect(finding.message).toContain(finding.text.replace(/\s+/g, ' '));
      expect(finding.suggestion.length).toBeGreaterThan(20);
      if (finding.line === finding.endLine) {
        expect(lines[finding.line - 1]?.slice(finding.column - 1, finding.endColumn - 1)).toBe(finding.text);
      }
    }
  });
});
