/**
 * The one markdown renderer: the web preview and every export go through it, so what a reviewer sees is what gets
 * published. Postmortem text is untrusted (it quotes alerts, chat and logs), so the output is sanitized with
 * GitHub's rules: raw HTML never passes, event handlers, styles, iframes and non-web URLs are dropped, and element
 * ids are prefixed (`user-content-`) so a heading can never clobber a page global or an id of the app around it.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { sectionId } from '../postmortem/index.js';

/** What the sanitizer puts before every id (GitHub's prefix); in-document links are pointed at the prefixed ids. */
export const ID_PREFIX = 'user-content-';

export interface RenderOptions {
  /**
   * Called with each image's (already sanitized) `src`; returns the `src` to use, or null to drop the image and keep
   * its alt text. The returned value is trusted: exports use it to inline charts as `data:` URIs, which the
   * sanitizer would refuse in the text itself.
   */
  rewriteImage?: (src: string) => string | null;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function textOf(node: Root | RootContent | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' || node.type === 'root') return node.children.map(textOf).join('');
  return '';
}

function elements(node: Root | Element, visit: (element: Element, parent: Root | Element, index: number) => void) {
  for (let i = 0; i < node.children.length; i++) {
    const child = node.children[i];
    if (child?.type !== 'element') continue;
    visit(child, node, i);
    elements(child, visit);
  }
}

/**
 * Gives every heading an id. Level-2 headings get their section id (the same slug the postmortem's sections,
 * comments and hidden lists use, duplicates numbered the same way); other levels get a slug that avoids those.
 */
function headingIds() {
  return (tree: Root): void => {
    const headings: Element[] = [];
    elements(tree, (element) => {
      if (HEADINGS.has(element.tagName)) headings.push(element);
    });
    const used = new Set<string>();
    const take = (base: string): string => {
      let id = base || 'section';
      for (let n = 2; used.has(id); n++) id = `${base || 'section'}-${n}`;
      used.add(id);
      return id;
    };
    for (const h of headings) if (h.tagName === 'h2') h.properties.id = take(sectionId(textOf(h)));
    for (const h of headings) if (h.tagName !== 'h2') h.properties.id = take(sectionId(textOf(h)));
  };
}

/** `#%C3%A9t%C3%A9` names the id `été`; a malformed escape is taken as written rather than failing the render. */
function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Runs after sanitizing: only ids and URLs the sanitizer accepted are looked at. */
function finish(tree: Root, options: RenderOptions): void {
  const ids = new Set<string>();
  elements(tree, (element) => {
    if (typeof element.properties.id === 'string') ids.add(element.properties.id);
  });
  const drops: { parent: Root | Element; index: number; alt: string }[] = [];
  elements(tree, (element, parent, index) => {
    const href = element.properties.href;
    if (element.tagName === 'a' && typeof href === 'string' && href.startsWith('#')) {
      const target = decodeFragment(href.slice(1));
      if (!target.startsWith(ID_PREFIX) && ids.has(`${ID_PREFIX}${target}`)) {
        element.properties.href = `#${ID_PREFIX}${target}`;
      }
    }
    const src = element.properties.src;
    if (element.tagName === 'img' && typeof src === 'string' && options.rewriteImage) {
      const rewritten = options.rewriteImage(src);
      if (rewritten === null) {
        const alt = element.properties.alt;
        drops.push({ parent, index, alt: typeof alt === 'string' ? alt : '' });
      } else {
        element.properties.src = rewritten;
      }
    }
  });
  // Back to front, so earlier indexes stay valid.
  for (const { parent, index, alt } of drops.reverse()) {
    parent.children.splice(index, 1, ...(alt ? [{ type: 'text' as const, value: `[${alt}]` }] : []));
  }
}

// remark-rehype's own footnote prefix is left empty: the sanitizer adds the one prefix every id gets.
const toHast = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { clobberPrefix: '' })
  .use(headingIds)
  .use(rehypeSanitize)
  .freeze();

const toHtml = unified().use(rehypeStringify).freeze();

/**
 * Renders postmortem markdown (CommonMark + GFM: tables, task lists, strikethrough, autolinks, footnotes) to safe
 * HTML. HTML comments (the template's prompts) and any other raw HTML are dropped; `javascript:`, `data:` and other
 * non-web URLs lose their `href`/`src`; headings get ids (`user-content-<slug>`) that `#slug` links in the text reach.
 *
 * @example
 * renderMarkdown('## What went well\n\n<!-- prompt -->See [the timeline](#timeline).');
 * // '<h2 id="user-content-what-went-well">What went well</h2>\n<p>See <a href="#timeline">the timeline</a>.</p>'
 * renderMarkdown('![errors](/api/v1/artifacts/abc/chart.svg)', { rewriteImage: (src) => inlined.get(src) ?? null });
 */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): string {
  const tree = toHast.runSync(toHast.parse(markdown));
  finish(tree, options);
  return toHtml.stringify(tree);
}
