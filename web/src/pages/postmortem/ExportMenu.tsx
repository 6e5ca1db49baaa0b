import { Button, Menu } from '@mantine/core';
import { type ExportFormat, type ExportVariant, postmortemExportUrl } from '../../api';

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'md', label: 'Markdown' },
  { format: 'html', label: 'HTML' },
  { format: 'pdf', label: 'PDF' },
  { format: 'json', label: 'JSON' },
];

const VARIANTS: { variant: ExportVariant; label: string }[] = [
  { variant: 'internal', label: 'Internal' },
  { variant: 'external', label: 'External' },
];

/** Downloads in every format, for the internal text and the external (public) one; drafts are marked as drafts. */
export function ExportMenu({ incidentKey, published }: { incidentKey: string; published: boolean }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" size="xs">
          Export{published ? '' : ' draft'}
        </Button>
      </Menu.Target>
      <Menu.Dropdown aria-label="Export formats">
        {VARIANTS.map(({ variant, label: variantLabel }) => [
          <Menu.Label key={`${variant}-label`}>{variantLabel}</Menu.Label>,
          ...FORMATS.map(({ format, label }) => (
            <Menu.Item
              key={`${variant}-${format}`}
              component="a"
              href={postmortemExportUrl(incidentKey, format, variant)}
              download
            >
              {label} ({variantLabel.toLowerCase()})
            </Menu.Item>
          )),
        ])}
      </Menu.Dropdown>
    </Menu>
  );
}
