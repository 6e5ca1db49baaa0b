import { Badge, Button, Collapse, Group, Paper, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import type { ParsedSection } from '../../../../src/analysis/postmortem';

export interface SectionNavProps {
  sections: readonly ParsedSection[];
  hidden: readonly string[];
  /** Unresolved comments per section id. */
  comments: ReadonlyMap<string, number>;
  onSelect: (section: ParsedSection) => void;
}

/** The document's sections: which are written, which are hidden externally, where reviewers left comments. */
export function SectionNav({ sections, hidden, comments, onSelect }: SectionNavProps) {
  // On a phone the list folds away above the editor; on wider screens it sits beside it.
  const wide = useMediaQuery('(min-width: 62em)', true, { getInitialValueInEffect: false });
  const [open, toggle] = useDisclosure(false);
  const filled = sections.filter((s) => s.filled).length;

  return (
    <Paper withBorder p="sm" component="nav" aria-labelledby="sections-heading" className="section-nav">
      <Group justify="space-between" mb={wide || open ? 'xs' : 0} wrap="nowrap">
        <Title order={2} size="h5" id="sections-heading">
          Sections
        </Title>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {filled} of {sections.length} written
          </Text>
          {!wide && (
            <Button
              size="compact-xs"
              variant="default"
              onClick={toggle.toggle}
              aria-expanded={open}
              aria-controls="section-list"
            >
              {open ? 'Hide' : 'Show'}
            </Button>
          )}
        </Group>
      </Group>
      <Collapse expanded={wide || open} id="section-list" keepMountedMode="display-none">
        {sections.length === 0 ? (
          <Text size="sm" c="dimmed">
            No sections yet: start one with a line like <code>## Summary</code>.
          </Text>
        ) : (
          <Stack component="ul" gap={2} className="plain-list" aria-label="Sections">
            {sections.map((section) => {
              const count = comments.get(section.id) ?? 0;
              const isHidden = hidden.includes(section.id);
              return (
                <li key={section.id}>
                  <UnstyledButton
                    className="section-nav-item"
                    onClick={() => onSelect(section)}
                    aria-label={`${section.title}${section.filled ? '' : ', empty'}${
                      count > 0 ? `, ${count} open comment${count === 1 ? '' : 's'}` : ''
                    }${isHidden ? ', hidden externally' : ''}`}
                  >
                    <Group gap={6} wrap="nowrap" justify="space-between">
                      <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                        <span
                          aria-hidden="true"
                          className={section.filled ? 'fill-dot fill-dot-filled' : 'fill-dot'}
                          title={section.filled ? 'Written' : 'Empty'}
                        />
                        <Text size="sm" truncate>
                          {section.title}
                        </Text>
                      </Group>
                      <Group gap={4} wrap="nowrap" aria-hidden="true">
                        {isHidden && (
                          <Badge size="xs" variant="outline" color="gray">
                            internal
                          </Badge>
                        )}
                        {count > 0 && (
                          <Badge size="xs" variant="filled" color="orange" circle>
                            {count}
                          </Badge>
                        )}
                      </Group>
                    </Group>
                  </UnstyledButton>
                </li>
              );
            })}
          </Stack>
        )}
      </Collapse>
    </Paper>
  );
}
