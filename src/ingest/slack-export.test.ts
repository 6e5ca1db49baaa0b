import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectValidationError } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { parseSlackExport, slackText, slackTsToIso } from './slack-export.js';

/** The export as the CLI will hand it over: relative path -> file text. */
function readExport(dir: string, prefix = ''): Map<string, string> {
  const root = fileURLToPath(new URL(dir, import.meta.url));
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(prefix + relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

const USERS = JSON.stringify([
  { id: 'U01ALICE', name: 'alice', real_name: 'Alice Ops', profile: { real_name: 'Alice Ops', display_name: 'alice' } },
  { id: 'U02BOB', name: 'bob', profile: { real_name: '', display_name: 'bobby' } },
]);
const CHANNELS = JSON.stringify([{ id: 'C0INC1432', name: 'inc-1432-checkout' }]);
const DAY = JSON.stringify([
  {
    type: 'message',
    subtype: 'channel_join',
    user: 'U02BOB',
    text: '<@U02BOB> has joined the channel',
    ts: '1773479600.000100',
  },
  {
    type: 'message',
    user: 'U01ALICE',
    text: '<!here> checkout 5xx at 8% since 09:05, <@U02BOB> can you look at <#C0INC1432|inc-1432-checkout>? See <https://grafana.example.net/d/checkout|the dashboard> &amp; logs',
    ts: '1773479641.000200',
    thread_ts: '1773479641.000200',
    reply_count: 2,
  },
  {
    type: 'message',
    user: 'U02BOB',
    text: 'on it, rolling back',
    ts: '1773479702.000300',
    thread_ts: '1773479641.000200',
    parent_user_id: 'U01ALICE',
  },
  {
    type: 'message',
    subtype: 'file_share',
    user: 'U02BOB',
    text: 'error graph',
    ts: '1773479733.000400',
    thread_ts: '1773479641.000200',
    files: [
      {
        id: 'F01',
        name: 'graph.png',
        title: 'graph.png',
        url_private: 'https://files.slack.com/files-pri/T0-F01/graph.png',
        permalink: 'https://acme.slack.com/files/U02BOB/F01/graph.png',
      },
    ],
  },
  {
    type: 'message',
    subtype: 'channel_leave',
    user: 'U02BOB',
    text: '<@U02BOB> has left the channel',
    ts: '1773483000.000500',
  },
]);

const incidentExport = (prefix = ''): Map<string, string> =>
  new Map([
    [`${prefix}users.json`, USERS],
    [`${prefix}channels.json`, CHANNELS],
    [`${prefix}inc-1432-checkout/2026-03-14.json`, DAY],
  ]);

describe('parseSlackExport', () => {
  it('reads a channel of the real test archive, with names resolved and joins left out', () => {
    const events = parseSlackExport(readExport('./fixtures/slack/testarchive/'), 'enrique');
    expect(events).toHaveLength(30);
    expect(events.slice(0, 2)).toEqual([
      {
        at: '2016-01-15T05:55:52.000Z',
        kind: 'chat',
        source: 'slack',
        title:
          'Hamza Faran: @Harry Potter: Created an issue for a setup.py so that it can be installed to a standard place',
        body: '@Harry Potter: Created an issue for a setup.py so that it can be installed to a standard place',
        labels: {
          channel: 'enrique',
          channel_id: 'C0JGLMMNX',
          user: 'U0BMQB6JE',
          user_name: 'Hamza Faran',
          ts: '1452837352.000006',
        },
        dedupeKey: 'slack:C0JGLMMNX:1452837352.000006',
        service: null,
        severity: null,
      },
      {
        at: '2016-01-15T05:55:59.000Z',
        kind: 'chat',
        source: 'slack',
        title: 'Hamza Faran: Need that done before it can be used in victoria',
        body: 'Need that done before it can be used in victoria',
        labels: {
          channel: 'enrique',
          channel_id: 'C0JGLMMNX',
          user: 'U0BMQB6JE',
          user_name: 'Hamza Faran',
          ts: '1452837359.000007',
        },
        dedupeKey: 'slack:C0JGLMMNX:1452837359.000007',
        service: null,
        severity: null,
      },
    ]);
    expect(events.some((e) => e.labels.subtype === 'channel_join')).toBe(false);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
  });

  it('reads integration posts from their attachments', () => {
    const [, commit] = parseSlackExport(readExport('./fixtures/slack/testarchive/'), '#traveling-sailor');
    expect(commit).toMatchObject({
      at: '2016-03-29T12:33:06.000Z',
      title: 'bot: [traveling-sailor:master] 1 new commit by Hamza Faran:',
      body:
        '[traveling-sailor:master] 1 new commit by Hamza Faran:\n' +
        '5ccecce (https://github.com/mesos-magellan/traveling-sailor/commit/5ccecce40d7eba683487ae73af62b022d6f97e6e): Update problem.py - Hamza Faran',
      labels: { bot_id: 'B0JL6UFSL', subtype: 'bot_message', user_name: 'bot' },
    });
  });

  it('keeps threads, resolves mentions and links, and links files by permalink only', () => {
    const events = parseSlackExport(incidentExport(), 'inc-1432-checkout');
    expect(events.map((e) => e.title)).toEqual([
      'Alice Ops: @here checkout 5xx at 8% since 09:05, @bobby can you look at #inc-1432-checkout? See the dashboard…',
      '↳ bobby: on it, rolling back',
      '↳ bobby: error graph',
    ]);
    expect(events[0]).toEqual({
      at: '2026-03-14T09:14:01.000Z',
      kind: 'chat',
      source: 'slack',
      title:
        'Alice Ops: @here checkout 5xx at 8% since 09:05, @bobby can you look at #inc-1432-checkout? See the dashboard…',
      body: '@here checkout 5xx at 8% since 09:05, @bobby can you look at #inc-1432-checkout? See the dashboard (https://grafana.example.net/d/checkout) & logs',
      labels: {
        channel: 'inc-1432-checkout',
        channel_id: 'C0INC1432',
        user: 'U01ALICE',
        user_name: 'Alice Ops',
        ts: '1773479641.000200',
        thread_ts: '1773479641.000200',
        reply_count: '2',
      },
      dedupeKey: 'slack:C0INC1432:1773479641.000200',
      service: null,
      severity: null,
    });
    expect(events[1]?.labels).toMatchObject({ thread_ts: '1773479641.000200', user_name: 'bobby' });
    expect(events[1]?.labels.reply_count).toBeUndefined();
    expect(events[2]?.body).toBe('error graph\n[file] graph.png https://acme.slack.com/files/U02BOB/F01/graph.png');
    expect(events[2]?.body).not.toContain('files-pri');
  });

  it('gives the same dedupe keys when the export is read again', () => {
    const first = parseSlackExport(incidentExport(), 'inc-1432-checkout').map((e) => e.dedupeKey);
    expect(parseSlackExport(incidentExport(), 'C0INC1432').map((e) => e.dedupeKey)).toEqual(first);
  });

  it('finds the files under a single top folder, as a zipped folder has them', () => {
    expect(parseSlackExport(incidentExport('slack-export-2026-03-14/'), 'inc-1432-checkout')).toHaveLength(3);
  });

  it('names the available channels when the channel is unknown', () => {
    const error = expectValidationError(() => parseSlackExport(readExport('./fixtures/slack/testarchive/'), 'general'));
    expect(error.field).toBe('channel');
    expect(error.message).toBe('channel: the export has no channel "general"; available: enrique, traveling-sailor');
  });

  it('names the file and field of malformed content', () => {
    const badTs = incidentExport();
    badTs.set(
      'inc-1432-checkout/2026-03-15.json',
      JSON.stringify([{ type: 'message', user: 'U01ALICE', text: 'x', ts: 'noon' }]),
    );
    expect(expectValidationError(() => parseSlackExport(badTs, 'inc-1432-checkout')).field).toBe(
      'inc-1432-checkout/2026-03-15.json[0].ts',
    );
    const notJson = incidentExport();
    notJson.set('users.json', '[{');
    expect(expectValidationError(() => parseSlackExport(notJson, 'inc-1432-checkout')).field).toBe('users.json');
  });
});

describe('slack helpers', () => {
  it('reads ts without rounding', () => {
    expect(slackTsToIso('1452837352.000006')).toBe('2016-01-15T05:55:52.000Z');
    expect(slackTsToIso('1452837352.999999')).toBe('2016-01-15T05:55:52.999Z');
    expect(slackTsToIso('1452837352')).toBe('2016-01-15T05:55:52.000Z');
  });

  it('turns markup into plain text', () => {
    const users = new Map([['U1', 'Alice Ops']]);
    const channels = new Map([['C1', 'general']]);
    expect(
      slackText('<@U1> <@U9|zed> <#C1> <!channel> <!subteam^S1|@oncall> <mailto:a@b.c|a@b.c> &lt;3', users, channels),
    ).toBe('@Alice Ops @zed #general @channel @oncall a@b.c (mailto:a@b.c) <3');
  });
});
