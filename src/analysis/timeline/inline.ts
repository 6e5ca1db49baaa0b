/**
 * Inline markdown to plain text: emphasis, links, images, autolinks and HTML tags are reduced to their visible
 * text. Code spans are kept, with their backticks, until {@link plainText}, so that a timestamp written inside
 * inline code never reads as the time of an entry.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' };

/** Applies `rewrite` to the parts of `text` outside code spans. */
function outsideCode(text: string, rewrite: (part: string) => string): string {
  let result = '';
  let plainStart = 0;
  const opener = /`+/g;
  for (let open = opener.exec(text); open; open = opener.exec(text)) {
    const fence = open[0];
    const close = text.indexOf(fence, open.index + fence.length);
    if (close < 0) break;
    // A longer backtick run does not close a shorter one.
    if (text[close + fence.length] === '`') continue;
    result += rewrite(text.slice(plainStart, open.index)) + text.slice(open.index, close + fence.length);
    plainStart = close + fence.length;
    opener.lastIndex = plainStart;
  }
  return result + rewrite(text.slice(plainStart));
}

/**
 * Removes inline markup from `text` outside code spans. `references` holds the (lower-case) labels of the
 * document's link reference definitions, so that `[hook]` becomes `hook` when `[hook]: https://…` exists.
 *
 * @example
 * stripInlineMarkup('**14:05** [rolled back](https://x) `v1.2`', new Set()); // '14:05 rolled back `v1.2`'
 */
export function stripInlineMarkup(text: string, references: ReadonlySet<string>): string {
  return outsideCode(text, (part) =>
    part
      .replace(/!\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '')
      .replace(/\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/\[([^\]]+)\](?![(:])/g, (whole, label: string) => (references.has(label.toLowerCase()) ? label : whole))
      .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
      .replace(/<\/?[a-zA-Z][^<>]*>/g, ' ')
      .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
      .replace(/(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])/g, '$1')
      .replace(/(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])/g, '$1')
      .replace(/~~(.+?)~~/g, '$1')
      .replace(/\*\*|__/g, '')
      .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, '$1')
      .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => ENTITIES[name] ?? ''),
  );
}

/** Final form of an event's text: code spans unwrapped, whitespace collapsed, leading separators removed. */
export function plainText(text: string): string {
  return text
    .replace(/(`+)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—:|,;.)\]*_>]+/, '')
    .trim();
}
