import { Badge, Group, Paper, RingProgress, Stack, Text, Title } from '@mantine/core';
import type { PostmortemDetailView } from '../../api';
import { scoreColor } from '../../labels';

/** The quality rubric: a 0–100 score made of weighted checks, each saying what passed or what is missing. */
export function QualityPanel({ quality }: { quality: PostmortemDetailView['quality'] }) {
  const color = scoreColor(quality.score);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="quality-heading">
      <Stack gap="md">
        <Group gap="lg" align="center" wrap="wrap">
          <RingProgress
            size={120}
            thickness={12}
            roundCaps
            sections={[{ value: quality.score, color }]}
            label={
              <Text ta="center" fw={700} size="xl" aria-hidden="true">
                {quality.score}
              </Text>
            }
            role="img"
            aria-label={`Quality score ${quality.score} of 100`}
          />
          <Stack gap={4}>
            <Title order={2} size="h4" id="quality-heading">
              Quality {quality.score} / 100
            </Title>
            <Text size="sm" c="dimmed">
              The sum of the points of the checks below that pass.
            </Text>
            <Text size="sm">
              Reviewer score:{' '}
              {quality.reviewerScore === null ? 'no reviewer has scored this round' : `${quality.reviewerScore} / 5`}
            </Text>
          </Stack>
        </Group>
        <Stack component="ul" gap="xs" className="plain-list" aria-label="Rubric">
          {quality.items.map((item) => (
            <li key={item.id}>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <Badge
                  color={item.passed ? 'teal' : 'red'}
                  variant="light"
                  radius="sm"
                  w={64}
                  style={{ flex: 'none' }}
                  aria-label={item.passed ? 'passed' : 'not yet'}
                >
                  {item.passed ? '✓' : '✗'} {item.weight}
                </Badge>
                <Stack gap={0}>
                  <Text size="sm" fw={500}>
                    {item.label}
                  </Text>
                  <Text size="xs" c="dimmed" className="break-anywhere">
                    {item.detail}
                  </Text>
                </Stack>
              </Group>
            </li>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}
