/**
 * Section ids: the slug of a heading, stable enough to name a section in comments, hidden-section lists and links.
 */

/** Headings are short; a longer line is cut here so that no heading costs more than a glance to read. */
const MAX_HEADING_LENGTH = 1_000;

/**
 * A heading's text without inline markdown: HTML tags, images and links (their text is kept), code-span backticks,
 * emphasis markers and backslash escapes.
 *
 * @example
 * plainHeadingText('**Root cause(s)** <a name="rc"></a>'); // 'Root cause(s)'
 */
export function plainHeadingText(text: string): string {
  return text
    .slice(0, MAX_HEADING_LENGTH)
    .replace(/<[^<>]*>/g, '')
    .replace(/!?\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/!?\[([^[\]]*)\]\[[^[\]]*\]/g, '$1')
    .replace(/`+/g, '')
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__|~~([^~]+)~~/g, (_, a?: string, b?: string, c?: string) => a ?? b ?? c ?? '')
    .replace(/(^|[\s(])([*_])([^*_\s][^*_]*?)\2(?=$|[\s).,:;!?])/g, '$1$3')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Characters that separate words in a slug; every other punctuation mark is dropped. */
const SEPARATORS = /[\s\-_/\\|–—·]+/g;

/**
 * The slug of a section heading: lowercase, inline markdown and punctuation stripped, accents removed, `&` read as
 * `and`, words joined by `-`. A heading with no letters or digits gets `section`.
 *
 * @example
 * sectionId('What went well'); // 'what-went-well'
 * sectionId('TL;DR'); // 'tldr'
 * sectionId('5 whys'); // '5-whys'
 * sectionId('Response & recovery'); // 'response-and-recovery'
 * sectionId('Timeline (all times UTC)'); // 'timeline-all-times-utc'
 */
export function sectionId(title: string): string {
  const slug = plainHeadingText(title)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(SEPARATORS, ' ')
    .replace(/[^\p{L}\p{N} ]+/gu, '')
    .trim()
    .replace(/ +/g, '-');
  return slug === '' ? 'section' : slug;
}
