/**
 * Values whose key is not written right before them. Configuration often names a setting in one field and sets it
 * in another — Kubernetes and ECS environment lists (`- name: DB_PASSWORD` / `value: …`), CI variable exports
 * (`{"key": "API_TOKEN", "value": …}`), CloudFormation parameters (`ParameterKey` / `ParameterValue`), XML
 * (`<env name="…" value="…"/>`) — or puts the value on the lines below its key: `password:` over `  value: …`, a
 * YAML block scalar (`token: |`), an INI continuation line. Only the value is redacted.
 */
import { PRIORITY, readQuoted, readUnquoted, valueIsSecret, type Span } from './credentials.js';
import { classifyKey, type KeyClass } from './keys.js';
import type { Candidate } from './types.js';

const QUOTES = new Set(['"', "'", '`']);

function candidate(keyClass: KeyClass, span: Pick<Span, 'start' | 'end'>, rule: string): Candidate {
  return {
    kind: keyClass.kind,
    start: span.start,
    end: span.end,
    rule: `pattern:${rule}`,
    priority: PRIORITY.assignment,
  };
}

/** A quoted string at `at`, or an unquoted value the way YAML reads one (the rest of the line). */
function readValue(text: string, at: number, operator: string): (Span & { quoted: boolean }) | null {
  if (QUOTES.has(text[at] ?? '')) {
    const span = readQuoted(text, at);
    return span && { ...span, quoted: true };
  }
  const span = readUnquoted(text, at, operator, true);
  return span && { ...span, quoted: false };
}

// ---------------------------------------------------------------------------------------------------------------
// A setting named in one field and set in the next

/** A field that names a setting: `name: DB_PASSWORD`, `"key": "api_token"`, `ParameterKey=DbPassword`. */
const NAME_FIELD =
  /(["']?)\b(?:name|Name|NAME|key|Key|KEY|ParameterKey|OptionName)\1[ \t]*[:=][ \t]*(["']?)([A-Za-z_$/.][\w$/.-]{0,127})\2(?![\w$/.-])/g;
/** The field that sets it (not `valueFrom:`, which points elsewhere). */
const VALUE_FIELD = /(["']?)\b(?:value|Value|VALUE|ParameterValue)\1[ \t]*([:=])[ \t]*/;
/** Between the two fields: the same object or list item, so no bracket, blank line, new list item or other name. */
const ANOTHER_ITEM =
  /[{}[\]]|\n[ \t]*\r?\n|\n[ \t]*-[ \t]|\b(?:name|Name|NAME|key|Key|KEY|ParameterKey)["']?[ \t]*[:=]/;
/** How far after the name its value may be: the rest of one small object. */
const PAIR_WINDOW = 240;

/**
 * `- name: DB_PASSWORD` + `value: hunter2`, `{"key": "API_TOKEN", "value": "…"}`, `<env name="…" value="…"/>`:
 * the value of a field whose sibling names a secret.
 *
 * @example
 * findNamedValues('env:\n  - name: DB_PASSWORD\n    value: Tr0ub4dor&3'); // the candidate covers `Tr0ub4dor&3`
 */
export function findNamedValues(text: string): Candidate[] {
  const found: Candidate[] = [];
  if (!/value/i.test(text)) return found;
  NAME_FIELD.lastIndex = 0;
  for (const match of text.matchAll(NAME_FIELD)) {
    const name = match[3] ?? '';
    const keyClass = classifyKey(name);
    if (!keyClass) continue;
    const from = match.index + match[0].length;
    const window = text.slice(from, from + PAIR_WINDOW);
    const field = VALUE_FIELD.exec(window);
    if (!field) continue;
    const between = window.slice(0, field.index);
    // A line indented less than the name leaves its object (`metadata:` … `name:` / `spec:` … `value:`).
    const column = match.index - (text.lastIndexOf('\n', match.index - 1) + 1);
    const outdented = between
      .split('\n')
      .slice(1)
      .some((line) => line.length - line.trimStart().length < column);
    if (outdented || ANOTHER_ITEM.test(between)) continue;
    const value = readValue(text, from + field.index + field[0].length, field[2] ?? ':');
    if (!value || !valueIsSecret(value.value.trim(), keyClass, name, value.quoted)) continue;
    found.push(candidate(keyClass, value, 'named-value'));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Values on the lines below their key

/** A line holding only a key: `password:`, `- api_token:`, `secret =`, `token: |` (a YAML block scalar). */
const BARE_KEY_LINE =
  /^([ \t]*)(-[ \t]+)?(["']?)([\w.$-]{1,100})\3[ \t]*(?::[ \t]+([|>][-+]?[1-9]?)|[:=])[ \t]*(?:#[^\n]*)?\r?$/gm;
/** Cheap test for any such line, so prose without one costs a single scan. */
const BARE_KEY_HINT = /[:=][ \t]*(?:[|>][-+]?[1-9]?)?[ \t]*\r?\n[ \t]+\S/;
/** Child keys that hold the parent's value: `value:`, Travis' `secure:`, a schema's `default:`. */
const VALUE_CHILD = /^(["']?)(?:value|secure|default|plain|plaintext)\1[ \t]*:[ \t]*/;
/** A child line that is a key of its own: the block is a mapping of other settings. */
const MAPPING_CHILD = /^["']?[\w.$-]+["']?[ \t]*[:=](?:[ \t]|$)/;
/** A continuation line that can be a value: one word, starting like a value rather than list or code syntax. */
const CONTINUATION = /^(?:["'`][^\s"'`]+["'`]|[A-Za-z0-9+/][^\s]*)$/;
const MAX_BLOCK_LINES = 64;

interface Line {
  /** Offsets of the line's content, without its indentation and line break. */
  start: number;
  end: number;
  indent: number;
  text: string;
}

/** The lines after `from` indented deeper than `column`, up to the first blank or shallower one. */
function childLines(text: string, from: number, column: number): Line[] {
  const lines: Line[] = [];
  let at = text.indexOf('\n', from);
  while (at !== -1 && lines.length < MAX_BLOCK_LINES) {
    const start = at + 1;
    const next = text.indexOf('\n', start);
    const end = next === -1 ? text.length : next;
    const raw = text.slice(start, end).replace(/\r$/, '');
    const indent = raw.length - raw.trimStart().length;
    if (raw.trim() === '' || indent <= column) break;
    const content = raw.trimEnd();
    lines.push({ start: start + indent, end: start + content.length, indent, text: content.slice(indent) });
    at = next;
  }
  return lines;
}

/** Each continuation line that reads as a value, quotes and a trailing separator stripped. */
function continuationValues(lines: readonly Line[]): (Span & { quoted: boolean })[] {
  const values: (Span & { quoted: boolean })[] = [];
  for (const line of lines) {
    const word = line.text.replace(/[,;]$/, '');
    if (!CONTINUATION.test(word)) continue;
    const quoted = QUOTES.has(word[0] ?? '');
    const value = quoted ? word.slice(1, -1) : word;
    const start = line.start + (quoted ? 1 : 0);
    values.push({ value, start, end: start + value.length, quoted });
  }
  return values;
}

/**
 * `password:` over `  value: …` (or `secure:`, `default:`), `token: |` over a block of text, `secret =` over INI
 * continuation lines: values written below a key that names a secret. A key over a mapping of other settings
 * (`password:` over `  secretKeyRef:`) or over a list is left alone.
 *
 * @example
 * findBlockValues('db_password:\n  value: Tr0ub4dor&3'); // the candidate covers `Tr0ub4dor&3`
 */
export function findBlockValues(text: string): Candidate[] {
  const found: Candidate[] = [];
  if (!BARE_KEY_HINT.test(text)) return found;
  BARE_KEY_LINE.lastIndex = 0;
  for (const match of text.matchAll(BARE_KEY_LINE)) {
    const key = match[4] ?? '';
    const keyClass = classifyKey(key);
    if (!keyClass) continue;
    const column = (match[1] ?? '').length + (match[2] ?? '').length;
    const lines = childLines(text, match.index, column);
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (!first || !last) continue;
    if (match[5]) {
      const value = lines.map((line) => line.text).join('\n');
      if (valueIsSecret(value, keyClass, key, true))
        found.push(candidate(keyClass, { ...first, end: last.end }, 'block-value'));
      continue;
    }
    const siblings = lines.filter((line) => line.indent === first.indent);
    const child = siblings.find((line) => VALUE_CHILD.test(line.text));
    if (child) {
      const head = VALUE_CHILD.exec(child.text)?.[0] ?? '';
      const value = readValue(text, child.start + head.length, ':');
      if (value && valueIsSecret(value.value.trim(), keyClass, key, value.quoted)) {
        found.push(candidate(keyClass, value, 'block-value'));
      }
      continue;
    }
    if (siblings.some((line) => MAPPING_CHILD.test(line.text))) continue;
    for (const value of continuationValues(lines)) {
      if (valueIsSecret(value.value, keyClass, key, value.quoted))
        found.push(candidate(keyClass, value, 'block-value'));
    }
  }
  return found;
}
