import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { BodyConflict } from '../../api';
import { Time } from '../../components/Time';
import { SideBySideDiff } from './SideBySideDiff';

/**
 * Someone saved while this writer was typing. Both texts are shown side by side and nothing is saved until the
 * writer chooses: theirs (loaded into the editor) or mine (saved on top of theirs).
 */
export function ConflictBanner({
  theirs,
  mine,
  onKeepTheirs,
  onOverwrite,
  overwriting,
}: {
  theirs: BodyConflict;
  mine: string;
  onKeepTheirs: () => void;
  onOverwrite: () => void;
  overwriting: boolean;
}) {
  return (
    <Alert color="red" variant="light" role="alert" title="Someone else saved this postmortem while you were writing">
      <Stack gap="sm">
        <Text size="sm">
          {theirs.updatedBy} saved version {theirs.version}
          {theirs.updatedAt && (
            <>
              {' '}
              at <Time iso={theirs.updatedAt} />
            </>
          )}
          . Your text is not saved yet. Compare the two and choose which one to keep; copy anything you need from the
          other first.
        </Text>
        <SideBySideDiff
          left={theirs.body}
          right={mine}
          leftCaption="Theirs (saved)"
          rightCaption="Yours (not saved)"
          leftLabel="Their saved text"
          rightLabel="Your unsaved text"
          className="conflict-diff"
        />
        <Group gap="xs">
          <Button variant="default" onClick={onKeepTheirs}>
            Keep theirs
          </Button>
          <Button color="red" onClick={onOverwrite} loading={overwriting}>
            Overwrite with mine
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
