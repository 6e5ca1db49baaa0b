import { Center, Loader, SimpleGrid, Text } from '@mantine/core';
import { Suspense } from 'react';
import { TextDiff } from './lazy';
import type { TextDiffProps } from './TextDiff';

/**
 * Two texts compared side by side under a visible caption each; the diff view loads on first use. The captions are
 * hidden from screen readers, which read `leftLabel` and `rightLabel` on the two sides instead.
 */
export function SideBySideDiff({
  leftCaption,
  rightCaption,
  className,
  ...diff
}: TextDiffProps & {
  leftCaption: string;
  rightCaption: string;
  /** Wraps the diff view, e.g. to give it a background inside a coloured alert. */
  className?: string;
}) {
  const view = <TextDiff {...diff} />;
  return (
    <>
      <SimpleGrid cols={2} spacing="xs" aria-hidden="true">
        <Text size="xs" fw={600}>
          {leftCaption}
        </Text>
        <Text size="xs" fw={600}>
          {rightCaption}
        </Text>
      </SimpleGrid>
      <Suspense
        fallback={
          <Center py="md">
            <Loader size="sm" aria-label="Loading comparison" />
          </Center>
        }
      >
        {className ? <div className={className}>{view}</div> : view}
      </Suspense>
    </>
  );
}
