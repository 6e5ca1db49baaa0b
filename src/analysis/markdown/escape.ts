// Kept apart from the renderer so pages that only need escaping do not load the markdown pipeline.

/**
 * Text made safe to place in HTML text or a quoted attribute, for the pages and templates built around rendered
 * markdown.
 *
 * @example
 * escapeHtml('<b>"Q&A"</b>'); // '&#60;b&#62;&#34;Q&#38;A&#34;&#60;/b&#62;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
