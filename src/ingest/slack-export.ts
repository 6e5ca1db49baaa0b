import { z } from 'zod';
import { validationError } from '../domain/errors.js';
import { clip, compactLabels, nonEmpty, parsePayload } from './common.js';
import type { NormalizedEvent } from './types.js';

const userSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  real_name: z.string().optional(),
  profile: z.looseObject({ real_name: z.string().optional(), display_name: z.string().optional() }).optional(),
});

const channelSchema = z.looseObject({ id: z.string(), name: z.string().optional() });

const fileSchema = z.looseObject({
  name: z.string().nullish(),
  title: z.string().nullish(),
  permalink: z.string().nullish(),
});

const attachmentSchema = z.looseObject({
  pretext: z.string().optional(),
  title: z.string().optional(),
  text: z.string().optional(),
  fallback: z.string().optional(),
});

const messageSchema = z.looseObject({
  type: z.string().optional(),
  subtype: z.string().optional(),
  ts: z.string().regex(/^\d+(\.\d+)?$/, 'expected a Slack timestamp like 1452837352.000006'),
  user: z.string().optional(),
  username: z.string().optional(),
  bot_id: z.string().nullish(),
  bot_profile: z.looseObject({ name: z.string().optional() }).nullish(),
  user_profile: z.looseObject({ real_name: z.string().optional(), display_name: z.string().optional() }).nullish(),
  text: z.string().default(''),
  thread_ts: z.string().optional(),
  reply_count: z.number().int().nonnegative().optional(),
  hidden: z.boolean().optional(),
  attachments: z.array(attachmentSchema).optional(),
  files: z.array(fileSchema).optional(),
  file: fileSchema.optional(),
});
type SlackMessage = z.output<typeof messageSchema>;

/** Membership noise: who joined or left says nothing about the incident. */
const SKIPPED_SUBTYPES = new Set(['channel_join', 'channel_leave', 'group_join', 'group_leave']);

const DAY_FILE = /^(.*)\/(\d{4}-\d{2}-\d{2})\.json$/;

function readJson(files: ReadonlyMap<string, string>, path: string, key: string): unknown {
  const text = files.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationError(path, 'not valid JSON');
  }
}

/** Slack `ts` (`seconds.micros`) to ISO-8601 UTC, without floating-point rounding. */
export function slackTsToIso(ts: string): string {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return new Date(Number(seconds) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 3))).toISOString();
}

const compareTs = (a: string, b: string): number => {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
};

const decodeEntities = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Slack's message markup to plain text: `<@U123>` -> `@Name`, `<#C123|general>` -> `#general`, `<!here>` -> `@here`,
 * `<https://x|label>` -> `label (https://x)`, then `&lt;`/`&gt;`/`&amp;` decoded.
 */
export function slackText(text: string, users: ReadonlyMap<string, string>, channels: ReadonlyMap<string, string>) {
  const plain = text.replace(/<([^<>]+)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? null : inner.slice(bar + 1);
    if (target.startsWith('@')) return `@${users.get(target.slice(1)) ?? label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? channels.get(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith('!')) {
      const command = target.slice(1);
      if (label) return label.startsWith('@') || command.startsWith('date') ? label : `@${label}`;
      return `@${command.split('^')[0] ?? command}`;
    }
    return label && label !== target ? `${label} (${target})` : target;
  });
  return decodeEntities(plain);
}

function userName(users: ReadonlyMap<string, string>, message: SlackMessage): string {
  if (message.user && users.has(message.user)) return users.get(message.user) ?? message.user;
  return (
    nonEmpty(message.user_profile?.real_name) ??
    nonEmpty(message.user_profile?.display_name) ??
    nonEmpty(message.username) ??
    nonEmpty(message.bot_profile?.name) ??
    message.user ??
    (message.bot_id ? 'bot' : 'unknown')
  );
}

function messageBody(message: SlackMessage, users: ReadonlyMap<string, string>, channels: ReadonlyMap<string, string>) {
  const lines: string[] = [];
  if (message.text.trim() !== '') lines.push(slackText(message.text, users, channels));
  else {
    // Integrations often post an empty text with attachments.
    for (const a of message.attachments ?? []) {
      const parts = [a.pretext, a.title, a.text].filter((p): p is string => !!p && p.trim() !== '');
      const text = parts.length > 0 ? parts.join('\n') : (a.fallback ?? '');
      if (text.trim() !== '') lines.push(slackText(text, users, channels));
    }
  }
  // Permalinks only: url_private links carry an access token.
  for (const file of [...(message.files ?? []), ...(message.file ? [message.file] : [])]) {
    const name = nonEmpty(file.title) ?? nonEmpty(file.name) ?? 'file';
    lines.push(`[file] ${name}${file.permalink ? ` ${file.permalink}` : ''}`);
  }
  return lines.join('\n');
}

/**
 * Reads one channel of a Slack workspace export into `chat` events. `files` maps each file's path inside the export
 * (`users.json`, `channels.json`, `<channel>/<YYYY-MM-DD>.json`; a single top folder is allowed) to its text;
 * unzipping or reading the directory is the caller's job.
 *
 * User ids become names from `users.json` (real name, else display name), mentions and links become plain text,
 * join/leave messages are left out. Thread replies keep `thread_ts` as a label and a `↳ ` title prefix; thread
 * parents carry `thread_ts` and `reply_count`. The dedupe key is `slack:<channel id>:<ts>`.
 *
 * @param channel channel name (with or without `#`) or id.
 * @throws DebriefError DEBRIEF_ERR_VALIDATION on field `channel`, listing the export's channels, when it has no
 *   such channel; with the file and JSON path (e.g. `incident/2026-03-14.json[3].ts`) for malformed content.
 */
export function parseSlackExport(files: ReadonlyMap<string, string>, channel: string): NormalizedEvent[] {
  const byPath = new Map<string, string>();
  for (const [key, value] of files) byPath.set(key.replace(/\\/g, '/').replace(/^\.\//, ''), value);

  const marker = [...byPath.keys()]
    .filter((path) => /(^|\/)(channels|users)\.json$/.test(path))
    .sort((a, b) => a.length - b.length)[0];
  const root = marker ? marker.slice(0, marker.lastIndexOf('/') + 1) : '';
  const rel = (path: string) => path.slice(root.length);

  const users = new Map<string, string>();
  const rawUsers = readJson(byPath, 'users.json', `${root}users.json`);
  if (rawUsers !== undefined) {
    for (const u of parsePayload(z.array(userSchema), rawUsers, 'Slack export', 'users.json')) {
      users.set(
        u.id,
        nonEmpty(u.real_name) ??
          nonEmpty(u.profile?.real_name) ??
          nonEmpty(u.profile?.display_name) ??
          nonEmpty(u.name) ??
          u.id,
      );
    }
  }

  const channels: { id: string | null; name: string }[] = [];
  for (const list of ['channels.json', 'groups.json', 'mpims.json']) {
    const raw = readJson(byPath, list, `${root}${list}`);
    if (raw === undefined) continue;
    for (const c of parsePayload(z.array(channelSchema), raw, 'Slack export', list)) {
      channels.push({ id: c.id, name: c.name ?? c.id });
    }
  }
  const days = new Map<string, string[]>();
  for (const path of byPath.keys()) {
    if (!path.startsWith(root)) continue;
    const match = DAY_FILE.exec(rel(path));
    if (!match?.[1] || match[1].includes('/')) continue;
    days.set(match[1], [...(days.get(match[1]) ?? []), path]);
    if (!channels.some((c) => c.name === match[1])) channels.push({ id: null, name: match[1] });
  }

  const wanted = channel.trim().replace(/^#/, '');
  const found =
    channels.find((c) => c.name === wanted || c.id === wanted) ??
    channels.find((c) => c.name.toLowerCase() === wanted.toLowerCase());
  if (!found) {
    const names = [...new Set(channels.map((c) => c.name))].sort();
    throw validationError(
      'channel',
      `the export has no channel ${JSON.stringify(wanted)}; available: ${names.length > 0 ? names.join(', ') : '(none)'}`,
    );
  }
  const channelNames = new Map(channels.filter((c) => c.id !== null).map((c) => [c.id ?? '', c.name]));
  const channelKey = found.id ?? found.name;

  const messages: SlackMessage[] = [];
  for (const path of (days.get(found.name) ?? []).sort()) {
    const raw = readJson(byPath, rel(path), path);
    messages.push(...parsePayload(z.array(messageSchema), raw, 'Slack export', rel(path)));
  }
  messages.sort((a, b) => compareTs(a.ts, b.ts));

  const events: NormalizedEvent[] = [];
  for (const message of messages) {
    if (message.hidden || (message.subtype && SKIPPED_SUBTYPES.has(message.subtype))) continue;
    const name = userName(users, message);
    const body = messageBody(message, users, channelNames);
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    events.push({
      at: slackTsToIso(message.ts),
      kind: 'chat',
      source: 'slack',
      title: clip(`${isReply ? '↳ ' : ''}${name}: ${body || '(no text)'}`),
      body,
      labels: compactLabels({
        channel: found.name,
        channel_id: found.id,
        user: message.user,
        user_name: name,
        bot_id: message.bot_id,
        ts: message.ts,
        thread_ts: message.thread_ts,
        reply_count: isReply ? undefined : message.reply_count,
        subtype: message.subtype,
      }),
      dedupeKey: `slack:${channelKey}:${message.ts}`,
      service: null,
      severity: null,
    });
  }
  return events;
}
