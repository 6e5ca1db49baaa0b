/**
 * Markdown rendered the way exports render it (`renderMarkdown`: GitHub-flavoured, sanitized). This module pulls in
 * the unified pipeline, so it is only ever loaded lazily.
 */
import { Typography } from '@mantine/core';
import { useDeferredValue, useMemo } from 'react';
import { renderMarkdown } from '../../../../src/analysis/markdown/render';

export function MarkdownPreview({ markdown, label }: { markdown: string; label: string }) {
  // A long document re-renders after typing pauses, not on every keystroke.
  const deferred = useDeferredValue(markdown);
  // The renderer sanitizes (no raw HTML, scripts, handlers or javascript: links), so its output may be inserted.
  const html = useMemo(() => renderMarkdown(deferred), [deferred]);
  return (
    <Typography>
      <div className="markdown-preview" aria-label={label} role="document" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
