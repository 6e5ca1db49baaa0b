import { Badge } from '@mantine/core';
import type { IncidentStatus, Severity } from '../../../src/domain/types';
import { SEVERITY_COLOR, STATUS_COLOR, STATUS_LABEL } from '../labels';

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
