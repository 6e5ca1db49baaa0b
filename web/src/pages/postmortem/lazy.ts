/** The heavy parts of the postmortem pages, each in its own chunk, loaded when first shown. */
import { lazy } from 'react';

export const MarkdownEditor = lazy(() => import('./MarkdownEditor').then((m) => ({ default: m.MarkdownEditor })));
export const MarkdownPreview = lazy(() => import('./MarkdownPreview').then((m) => ({ default: m.MarkdownPreview })));
export const TextDiff = lazy(() => import('./TextDiff').then((m) => ({ default: m.TextDiff })));
