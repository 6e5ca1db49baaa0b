import { Alert, Center, Grid, Group, Loader, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { parseSections, type ParsedSection } from '../../../../src/analysis/postmortem';
import { api, type RedactionFindingView, type TextCheckView } from '../../api';
import { ConflictBanner } from './ConflictBanner';
import { FindingsPanel } from './FindingsPanel';
import type { FindingActions } from './findings';
import { MarkdownEditor, MarkdownPreview } from './lazy';
import { SectionNav } from './SectionNav';
import type { DocumentPanelProps } from './useBodyDocument';
import { useRedact } from './useRedact';
import { WaiveDialog } from './WaiveDialog';

/** Where the renderer puts a section heading (its ids are prefixed so they never clash with the app's). */
const headingDomId = (sectionId: string) => `user-content-${sectionId}`;

export function DocumentTab({ detail, doc, editor, editable }: DocumentPanelProps) {
  const key = detail.postmortem.incident.key;
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const showEditor = editable && mode === 'write';
  // The text as typed, a moment behind the keystrokes: enough for the section list and the preview.
  const [typed, setTyped] = useState(() => doc.text());
  const followTyping = useDebouncedCallback(setTyped, 300);
  const text = editable ? typed : detail.postmortem.body;
  // Becoming editable (reopened, say) starts from the text as it is now, not as it was when the page opened.
  useEffect(() => {
    if (editable) setTyped(doc.text());
  }, [editable, doc.text]);

  const [checked, setChecked] = useState<{ text: string; result: TextCheckView } | null>(null);
  const [waiving, setWaiving] = useState<RedactionFindingView | null>(null);
  const redact = useRedact(detail, doc, editable);
  const redactFindings = redact.mutate;

  const sections = useMemo(() => parseSections(text), [text]);
  const comments = useMemo(() => {
    const counts = new Map<string, number>();
    for (const c of detail.comments) if (!c.resolvedAt) counts.set(c.section, (counts.get(c.section) ?? 0) + 1);
    return counts;
  }, [detail.comments]);

  const actions = useMemo(
    (): FindingActions => ({
      redact: (finding) => redactFindings([finding.fingerprint]),
      waive: detail.permissions.waive ? (finding) => setWaiving(finding) : undefined,
    }),
    [redactFindings, detail.permissions.waive],
  );

  const check = useCallback((body: string) => api.checkPostmortemText(key, body), [key]);
  const onChecked = useCallback((body: string, result: TextCheckView) => setChecked({ text: body, result }), []);

  const onSelectSection = (section: ParsedSection) => {
    if (showEditor) {
      editor.current?.goToLine(section.line);
      return;
    }
    const heading = document.getElementById(headingDomId(section.id));
    if (heading) {
      heading.scrollIntoView({ block: 'start' });
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  };

  const conflict = doc.state.kind === 'conflict' ? doc.state.theirs : null;
  const stored = { text: detail.postmortem.body, result: { lint: detail.lint, redaction: detail.redaction } };

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <div className="sticky-column">
          <SectionNav
            sections={sections}
            hidden={detail.postmortem.hiddenSections}
            comments={comments}
            onSelect={onSelectSection}
          />
        </div>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>
        <Stack gap="md">
          {!editable && (
            <Text size="sm" c="dimmed">
              {detail.postmortem.status === 'published'
                ? 'Published: the text is frozen. Reopen it from the Review tab to change it.'
                : 'You can read and comment on this postmortem; editing needs the responder role.'}
            </Text>
          )}
          {conflict && (
            <ConflictBanner
              theirs={conflict}
              mine={doc.text()}
              onKeepTheirs={doc.keepTheirs}
              onOverwrite={() => void doc.overwriteWithMine()}
              overwriting={doc.state.kind === 'saving'}
            />
          )}
          {redact.error && (
            <Alert color="red" role="alert" title="Not redacted" withCloseButton onClose={() => redact.reset()}>
              {redact.error.message}
            </Alert>
          )}
          {editable && (
            <Group justify="space-between">
              <SegmentedControl
                aria-label="Editor mode"
                value={mode}
                onChange={(value) => setMode(value === 'preview' ? 'preview' : 'write')}
                data={[
                  { value: 'write', label: 'Write' },
                  { value: 'preview', label: 'Preview' },
                ]}
              />
              <Text size="xs" c="dimmed">
                Markdown; saved automatically. F8 jumps to the next finding.
              </Text>
            </Group>
          )}
          {editable && (
            <div style={{ display: showEditor ? undefined : 'none' }}>
              <Suspense fallback={<EditorFallback />}>
                <MarkdownEditor
                  initialText={doc.text()}
                  label="Postmortem text (markdown)"
                  onChange={(next) => {
                    doc.change(next);
                    followTyping(next);
                  }}
                  onExternalChange={setTyped}
                  onBlur={() => void doc.flush()}
                  check={check}
                  onChecked={onChecked}
                  actions={actions}
                  handleRef={editor}
                />
              </Suspense>
            </div>
          )}
          {!showEditor && (
            <Paper withBorder p={{ base: 'sm', sm: 'lg' }}>
              <Suspense fallback={<EditorFallback />}>
                <MarkdownPreview markdown={text} label="Postmortem preview" />
              </Suspense>
            </Paper>
          )}
          <FindingsPanel
            checked={editable ? checked : stored}
            onShow={showEditor ? (from, to) => editor.current?.select(from, to) : undefined}
            onReplace={
              showEditor
                ? (from, to, expected, insert) => {
                    editor.current?.replace(from, to, expected, insert);
                  }
                : undefined
            }
            actions={editable ? actions : null}
            canWaive={detail.permissions.waive}
          />
        </Stack>
      </Grid.Col>
      <WaiveDialog
        incidentKey={key}
        finding={waiving}
        onClose={() => setWaiving(null)}
        onWaived={() => editor.current?.recheck()}
      />
    </Grid>
  );
}

function EditorFallback() {
  return (
    <Center py="xl">
      <Loader aria-label="Loading editor" />
    </Center>
  );
}
