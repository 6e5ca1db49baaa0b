/**
 * Sentence counting for short summaries (the TL;DR limit), good enough for postmortem prose: abbreviations,
 * decimals, versions, times and URLs do not end sentences; list items and paragraphs are separate sentences even
 * without a full stop. Tables and code are not prose and hold no sentences.
 */
import { isListItem, withoutListMarker } from '../timeline/markdown.js';
import { stripPrompts } from './sections.js';

/** Abbreviations whose full stop does not end a sentence (lowercase, without the final dot). */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'cf',
  'approx',
  'incl',
  'est',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'inc',
  'ltd',
  'co',
  'no',
  'fig',
  'min',
  'sec',
  'hrs',
  'a.m',
  'p.m',
  'u.s',
  'u.k',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Paragraphs and list items: the units that count as at least one sentence when they hold any words. */
function units(text: string): string[] {
  const result: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  const flush = (): void => {
    if (current.length > 0) result.push(current.join(' '));
    current = [];
  };
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const fenceMatch = FENCE.exec(raw)?.[1];
    if (fence !== null) {
      if (fenceMatch && fenceMatch[0] === fence[0] && raw.trim() === fenceMatch) fence = null;
      continue;
    }
    if (fenceMatch) {
      flush();
      fence = fenceMatch;
      continue;
    }
    const line = raw.trim();
    if (line === '' || /^(?:#{1,6}\s|[-=*_]{3,}$)/.test(line) || line.includes('|')) {
      flush();
      continue;
    }
    if (isListItem(raw)) {
      flush();
      current.push(withoutListMarker(raw).replace(/^\[[ xX]\]\s*/, ''));
      continue;
    }
    current.push(line.replace(/^>\s?/, ''));
  }
  flush();
  return result;
}

const TERMINATOR = /([.!?…]+)["')\]]*$/u;
const WORDY = /[\p{L}\p{N}]/u;

function countInUnit(unit: string): number {
  const words = unit
    .replace(/`[^`]*`/g, 'code')
    .replace(/!?\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/<?\b[a-z][a-z0-9+.-]*:\/\/[^\s>]*[^\s>.,;:!?)]>?/gi, 'link')
    .replace(/[*_~]+/g, '')
    .split(/\s+/);
  let count = 0;
  let open = false;
  for (const [index, word] of words.entries()) {
    if (WORDY.test(word)) open = true;
    const terminator = TERMINATOR.exec(word);
    if (!open || !terminator) continue;
    const stem = word.slice(0, terminator.index).replace(/^["'([]+/, '');
    const isAbbreviation = terminator[1] === '.' && (ABBREVIATIONS.has(stem.toLowerCase()) || /^\p{Lu}$/u.test(stem));
    // A sentence does not go on in lowercase: "Wait... it recovered." is one.
    const continues = /^\p{Ll}/u.test(words[index + 1] ?? '');
    if (isAbbreviation || continues) continue;
    count++;
    open = false;
  }
  return open ? count + 1 : count;
}

/**
 * How many sentences `text` (markdown) holds. HTML comments, code blocks and headings do not count.
 *
 * @example
 * countSentences('Checkout failed for 12% of users, e.g. in the EU. A rollback at 14:52 fixed it.'); // 2
 * countSentences('- API errors for 40 min\n- Rolled back v2.3.1'); // 2
 */
export function countSentences(text: string): number {
  return units(stripPrompts(text)).reduce((total, unit) => total + countInUnit(unit), 0);
}
