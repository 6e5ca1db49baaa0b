/**
 * Action items, read from the Action items section (or an alias such as "Follow-ups" or "Corrective actions"): a
 * GFM table, or list items with their owner, due date and the like in `key: value` pairs.
 */
import type { ActionItem } from '../../domain/postmortem/types.js';
import { sectionBlocks } from './blocks.js';
import { findSectionLines } from './sections.js';

type Field = Exclude<keyof ActionItem, 'line'>;

/** Column headers (and list keys) people use for each field, normalised to lowercase words. */
const FIELD_NAMES: Readonly<Record<Field, readonly string[]>> = {
  description: ['action', 'action item', 'item', 'task', 'description', 'what', 'title', 'summary', 'follow up'],
  type: ['type', 'kind', 'category'],
  owner: ['owner', 'owners', 'assignee', 'assignees', 'assigned to', 'who', 'responsible'],
  due: ['due', 'due date', 'deadline', 'by', 'target date', 'eta', 'when'],
  priority: ['priority', 'prio', 'pri'],
  ticket: ['ticket', 'issue', 'link', 'tracking', 'tracker', 'jira', 'bug', 'url'],
};

function normalizeName(name: string): string {
  return name
    .replace(/[*_`]/g, '')
    .toLowerCase()
    .replace(/[-/]+/g, ' ')
    .replace(/[^\p{L}\p{N} ]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const FIELD_INDEX: ReadonlyMap<string, Field> = new Map(
  (Object.entries(FIELD_NAMES) as [Field, readonly string[]][]).flatMap(([field, names]) =>
    names.map((name) => [normalizeName(name), field] as const),
  ),
);

/** Action types by the words people use for them. */
const TYPE_WORDS: readonly [RegExp, string][] = [
  [/^mitigat/, 'mitigate'],
  [/^prevent/, 'prevent'],
  [/^(?:detect|monitor|alert|observ)/, 'detect'],
  [/^process/, 'process'],
];

/**
 * The action type a cell or heading names (`Prevention` -> `prevent`), or the cell's own words in lowercase when
 * they name no known type.
 */
function normalizeType(value: string): string {
  const words = normalizeName(value);
  for (const [pattern, type] of TYPE_WORDS) if (pattern.test(words)) return type;
  return words;
}

/** Words that stand for "nobody filled this in". */
const PLACEHOLDER_WORDS = new Set([
  'tbd',
  'tba',
  'todo',
  'unknown',
  'n a',
  'na',
  'none',
  'nobody',
  'unassigned',
  'owner',
  'assignee',
  'name',
  'person',
  'team',
  'date',
  'due',
  'due date',
  'deadline',
  'ticket',
  'link',
  'issue',
  'priority',
  'type',
  'action',
  'description',
  'summary',
  'yyyy mm dd',
  'dd mm yyyy',
  'mm dd yyyy',
]);

/**
 * Whether a cell or value is a placeholder: empty, only dashes, dots or question marks, a template slot
 * (`{{ owner }}`, `<owner>`, `[owner]`, `_owner_`) or a word such as `TBD`.
 *
 * @example
 * isPlaceholderValue('_owner_'); // true
 * isPlaceholderValue('@ana'); // false
 */
export function isPlaceholderValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '' || /^[-–—.…?!x\s]+$/i.test(trimmed)) return true;
  if (/^\{\{.*\}\}$|^<[^@:>]*>$|^\[[\p{L}\s_-]*\]$/u.test(trimmed)) return true;
  return PLACEHOLDER_WORDS.has(normalizeName(trimmed));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/**
 * A due date as `YYYY-MM-DD` when it can be read without guessing (`2026-12-01`, `2026/12/01`, `Dec 1, 2026`,
 * `1 December 2026`, `31/12/2026`); otherwise the text as written (`Q3`, `03/04/2026`, `next sprint`).
 *
 * @example
 * normalizeDueDate('Dec 1st, 2026'); // '2026-12-01'
 * normalizeDueDate('03/04/2026'); // '03/04/2026' (day and month order unknown)
 */
export function normalizeDueDate(value: string): string {
  const text = value.trim().replace(/[*_`]/g, '');
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/.exec(text);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) ?? text;
  const dayFirst = /^(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,})\.?,?\s+(\d{4})$/i.exec(text);
  if (dayFirst && monthNumber(dayFirst[2] ?? '') > 0) {
    return isoDate(Number(dayFirst[3]), monthNumber(dayFirst[2] ?? ''), Number(dayFirst[1])) ?? text;
  }
  const monthFirst = /^(?:[a-z]+\.?,?\s+)?([a-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i.exec(text);
  if (monthFirst && monthNumber(monthFirst[1] ?? '') > 0) {
    return isoDate(Number(monthFirst[3]), monthNumber(monthFirst[1] ?? ''), Number(monthFirst[2])) ?? text;
  }
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (numeric) {
    const first = Number(numeric[1]);
    const second = Number(numeric[2]);
    const year = Number(numeric[3]);
    if (first > 12 && second <= 12) return isoDate(year, second, first) ?? text;
    if (second > 12 && first <= 12) return isoDate(year, first, second) ?? text;
  }
  return text;
}

/** A link's target when the cell is a link (`[#12](https://…)`, `<https://…>`), else the text. */
function ticketOf(value: string): string {
  const link = /\[[^\]]*\]\(([^)\s]+)[^)]*\)/.exec(value) ?? /<(https?:\/\/[^>]+)>/.exec(value);
  return link?.[1] ?? value.trim();
}

function clean(field: Field, value: string | undefined): string | null {
  if (value === undefined || isPlaceholderValue(value)) return null;
  const text = value.trim();
  switch (field) {
    case 'due':
      return normalizeDueDate(text);
    case 'ticket':
      return ticketOf(text);
    case 'type':
      return normalizeType(text);
    default:
      return text;
  }
}

function emptyItem(line: number): ActionItem {
  return { description: '', type: null, owner: null, due: null, priority: null, ticket: null, line };
}

function fromTable(header: readonly string[], rows: readonly { cells: string[]; line: number }[]): ActionItem[] {
  const columns = new Map<Field, number>();
  for (const [index, name] of header.entries()) {
    const field = FIELD_INDEX.get(normalizeName(name));
    if (field && !columns.has(field)) columns.set(field, index);
  }
  if (!columns.has('description')) {
    const taken = new Set(columns.values());
    const free = header.findIndex((_, index) => !taken.has(index));
    if (free >= 0) columns.set('description', free);
  }
  const items: ActionItem[] = [];
  for (const row of rows) {
    const item = emptyItem(row.line);
    for (const [field, index] of columns) {
      const value = clean(field, row.cells[index]);
      if (field === 'description') item.description = value ?? '';
      else item[field] = value;
    }
    if (item.description !== '') items.push(item);
  }
  return items;
}

const KEY_NAMES = [...FIELD_INDEX.keys()]
  .filter((name) => FIELD_INDEX.get(name) !== 'description')
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace(/ /g, '[\\s_-]+'));
/** A `key: value` pair of list-item metadata, after a bracket, a separator or a space. */
const METADATA_START = new RegExp(`(?<![^\\s([,;|—–])(?:${KEY_NAMES.join('|')})\\s*:`, 'i');
const METADATA_SPLIT = new RegExp(`[,;|]\\s*(?=(?:${KEY_NAMES.join('|')})\\s*:)`, 'i');
const TICKET_URL =
  /https?:\/\/[^\s)>\]]*?(?:\/(?:issues|pull|pulls|merge_requests|browse|tickets?)\/|linear\.app|jira)[^\s)>\]]*/i;

function fromListItem(text: string, line: number, contextType: string | null): ActionItem | null {
  const item = emptyItem(line);
  let description = text.replace(/^\[[ xX]\]\s*/, '');
  const metadata = METADATA_START.exec(description);
  if (metadata) {
    const start = metadata.index;
    const tail = description
      .slice(start)
      .replace(/^[\s([,;|—–]+/, '')
      .replace(/[)\]]\s*\.?$/, '');
    description = description
      .slice(0, start)
      .replace(/[\s([,;|—–-]+$/, '')
      .trim();
    for (const pair of tail.split(METADATA_SPLIT)) {
      const separator = pair.indexOf(':');
      const field = FIELD_INDEX.get(normalizeName(pair.slice(0, separator)));
      if (!field || field === 'description' || item[field] !== null) continue;
      item[field] = clean(field, pair.slice(separator + 1));
    }
  }
  // A template line such as "{{ summary }} [link to github issue]" holds only slots.
  const words = description.replace(/\{\{[^}]*\}\}/g, '').replace(/\[[^\]]*\](?![([])/g, '');
  if (isPlaceholderValue(words)) return null;
  item.description = description;
  item.ticket ??= TICKET_URL.exec(text)?.[0] ?? null;
  item.type ??= contextType;
  return item;
}

/**
 * The action items of a postmortem, from its action-items section (or an alias). Reads GFM tables, with columns
 * recognised by header (Action/Item/Task/Description, Type, Owner/Assignee, Due/Due date/Deadline, Priority,
 * Ticket/Issue/Link), and list or task-list items such as `- [ ] Add a 429 alert (owner: @ana, due: 2026-12-01)`.
 * Placeholder values (`-`, `TBD`, `?`, `_owner_`, `{{ owner }}`) are null, rows without an action are skipped,
 * due dates become `YYYY-MM-DD` when readable, and a ticket cell holding a link gives its URL. Items under a
 * `### Prevention` (or Mitigation, Detection, Process) subheading take that type.
 *
 * @example
 * parseActionItems('## Action items\n| Action | Owner | Due |\n|---|---|---|\n| Add alert | @ana | TBD |');
 * // [{ description: 'Add alert', type: null, owner: '@ana', due: null, priority: null, ticket: null, line: 4 }]
 */
export function parseActionItems(markdown: string): ActionItem[] {
  const entry = findSectionLines(markdown, 'action-items');
  if (!entry) return [];
  const items: ActionItem[] = [];
  let contextType: string | null = null;
  for (const block of sectionBlocks(entry, markdown)) {
    if (block.kind === 'heading') {
      const type = normalizeType(block.text);
      contextType = TYPE_WORDS.some(([, known]) => known === type) ? type : null;
    } else if (block.kind === 'table') {
      items.push(...fromTable(block.header, block.rows).map((item) => ({ ...item, type: item.type ?? contextType })));
    } else if (block.kind === 'item') {
      const item = fromListItem(block.text, block.line, contextType);
      if (item) items.push(item);
    }
  }
  return items;
}
