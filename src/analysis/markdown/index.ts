export { ID_PREFIX, renderMarkdown, type RenderOptions } from './render.js';
