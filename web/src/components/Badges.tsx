import { Badge } from '@mantine/core';
import type { PostmortemStatus } from '../../../src/domain/postmortem/types';
import type { IncidentStatus, Severity } from '../../../src/domain/types';
import {
  POSTMORTEM_STATUS_COLOR,
  POSTMORTEM_STATUS_LABEL,
  scoreColor,
  SEVERITY_COLOR,
  STATUS_COLOR,
  STATUS_LABEL,
} from '../labels';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge color={SEVERITY_COLOR[severity]} variant="filled" autoContrast radius="sm">
      {severity}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" radius="sm">
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function PostmortemStatusBadge({ status }: { status: PostmortemStatus }) {
  return (
    <Badge color={POSTMORTEM_STATUS_COLOR[status]} variant="light" radius="sm">
      {POSTMORTEM_STATUS_LABEL[status]}
    </Badge>
  );
}

/** A quality score out of 100, coloured by band; the label says what the number is. */
export function QualityBadge({ score }: { score: number }) {
  return (
    <Badge color={scoreColor(score)} variant="outline" radius="sm" aria-label={`Quality score ${score} of 100`}>
      Quality {score}
    </Badge>
  );
}
