import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { LintFindingView, RedactionFindingView, TextCheckView } from '../../api';
import { type FindingActions, lineStarts, lintRange, maskValue, redactionRange, replacementOf } from './findings';

const SEVERITY_COLOR: Record<LintFindingView['severity'], string> = { error: 'red', warning: 'orange', info: 'blue' };

export interface FindingsPanelProps {
  /** The findings and the text they were made for. */
  checked: { text: string; result: TextCheckView } | null;
  /** Moves the editor to a range (absent when there is no editor). */
  onShow?: (from: number, to: number) => void;
  /** Applies a named replacement when the text there is unchanged. */
  onReplace?: (from: number, to: number, expected: string, insert: string) => void;
  actions: FindingActions | null;
  canWaive: boolean;
  /** Whether the findings are still being worked out for the latest text. */
  pending?: boolean;
}

/** Blame language and possible secrets in the text, each with what can be done about it. */
export function FindingsPanel({ checked, onShow, onReplace, actions, canWaive, pending }: FindingsPanelProps) {
  const lint = checked?.result.lint ?? [];
  const redaction = checked?.result.redaction ?? [];
  const starts = checked ? lineStarts(checked.text) : [];
  const length = checked?.text.length ?? 0;
  const errors = lint.filter((f) => f.severity === 'error').length;
  const open = redaction.filter((f) => !f.waiver).length;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="findings-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="findings-heading">
          Findings
        </Title>
        <Text size="sm" c="dimmed" aria-live="polite">
          {!checked
            ? 'Checking…'
            : lint.length + redaction.length === 0
              ? 'No blame language or sensitive values found.'
              : `${errors} blame error${errors === 1 ? '' : 's'}, ${lint.length - errors} other, ${open} possible secret${
                  open === 1 ? '' : 's'
                }`}
          {pending && checked ? ' (updating)' : ''}
        </Text>
      </Group>
      {(lint.length > 0 || redaction.length > 0) && (
        <Stack component="ul" gap="xs" className="plain-list" aria-label="Findings">
          {lint.map((finding) => {
            const range = lintRange(starts, length, finding);
            const replacement = replacementOf(finding.suggestion);
            return (
              <LintItem
                key={`lint-${finding.ruleId}-${range.from}-${range.to}`}
                finding={finding}
                onShow={onShow && (() => onShow(range.from, range.to))}
                onReplace={
                  onReplace && replacement
                    ? () => onReplace(range.from, range.to, finding.text, replacement)
                    : undefined
                }
                replacement={replacement}
              />
            );
          })}
          {redaction.map((finding) => {
            const range = redactionRange(length, finding);
            return (
              <RedactionItem
                key={`redaction-${finding.fingerprint}-${range.from}`}
                finding={finding}
                onShow={onShow && (() => onShow(range.from, range.to))}
                actions={actions}
                canWaive={canWaive}
              />
            );
          })}
        </Stack>
      )}
    </Paper>
  );
}

/** What both kinds of finding show: a badge, the line and what was found there, a note, then what can be done. */
function FindingItem({
  badge,
  color,
  line,
  message,
  note,
  onShow,
  children,
}: {
  badge: string;
  color: string;
  line: number;
  message: ReactNode;
  note: ReactNode;
  onShow?: (() => void) | undefined;
  children: ReactNode;
}) {
  return (
    <li>
      <Stack gap={4}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge color={color} variant="light" radius="sm" style={{ flex: 'none' }}>
            {badge}
          </Badge>
          <Text size="sm" className="break-anywhere">
            <Text span inherit fw={500}>
              Line {line}:
            </Text>{' '}
            {message}
          </Text>
        </Group>
        {note ? (
          <Text size="xs" c="dimmed" className="break-anywhere">
            {note}
          </Text>
        ) : null}
        <Group gap="xs">
          {onShow && (
            <Button size="compact-xs" variant="subtle" onClick={onShow}>
              Show in text
            </Button>
          )}
          {children}
        </Group>
      </Stack>
    </li>
  );
}

function LintItem({
  finding,
  onShow,
  onReplace,
  replacement,
}: {
  finding: LintFindingView;
  onShow?: () => void;
  onReplace?: () => void;
  replacement: string | null;
}) {
  return (
    <FindingItem
      badge={finding.severity}
      color={SEVERITY_COLOR[finding.severity]}
      line={finding.line}
      message={finding.message}
      note={replacement ? null : finding.suggestion}
      onShow={onShow}
    >
      {onReplace && replacement && (
        <Button size="compact-xs" variant="light" onClick={onReplace}>
          Replace with “{replacement}”
        </Button>
      )}
      <Text size="xs" c="dimmed">
        {finding.ruleId}
      </Text>
    </FindingItem>
  );
}

function RedactionItem({
  finding,
  onShow,
  actions,
  canWaive,
}: {
  finding: RedactionFindingView;
  onShow?: () => void;
  actions: FindingActions | null;
  canWaive: boolean;
}) {
  return (
    <FindingItem
      badge={finding.waiver ? 'waived' : finding.category}
      color={finding.waiver ? 'gray' : 'orange'}
      line={finding.line}
      message={
        <>
          {finding.waiver ? `${finding.kind} kept internally` : `Possible ${finding.kind}`}{' '}
          <code>{maskValue(finding.text)}</code>
        </>
      }
      note={finding.waiver && `Waived by ${finding.waiver.waivedBy}: ${finding.waiver.reason}`}
      onShow={onShow}
    >
      {actions && !finding.waiver && (
        <Button size="compact-xs" variant="light" onClick={() => actions.redact(finding)}>
          Redact
        </Button>
      )}
      {actions?.waive && canWaive && !finding.waiver && (
        <Button size="compact-xs" variant="subtle" onClick={() => actions.waive?.(finding)}>
          Waive…
        </Button>
      )}
    </FindingItem>
  );
}
