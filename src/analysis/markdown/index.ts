export { escapeHtml } from './escape.js';
export { ID_PREFIX, renderMarkdown, type RenderOptions } from './render.js';
