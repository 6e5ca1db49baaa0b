import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Center,
  Checkbox,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { sectionId } from '../../../src/analysis/postmortem';
import { minimumRole, roleAtLeast } from '../../../src/domain/access';
import { INCIDENT_TYPES, SEVERITIES, type IncidentType, type Severity } from '../../../src/domain/types';
import { api, ApiError, type TemplateInput, type TemplateView } from '../api';
import { AnchorLink } from '../components/links';
import { QueryError } from '../components/QueryError';
import { TYPE_LABEL } from '../labels';
import { meQuery, templatesQuery } from '../queries';

type Editing = { mode: 'new'; from?: TemplateView } | { mode: 'edit'; template: TemplateView } | null;

export function TemplatesPage() {
  useDocumentTitle('Postmortem templates · Debrief');
  const templates = useQuery(templatesQuery);
  const me = useQuery(meQuery);
  const canManage = me.data ? roleAtLeast(me.data.role, minimumRole('template.manage')) : false;
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<TemplateView | null>(null);

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <AnchorLink to="/postmortems" size="sm">
          ← Postmortems
        </AnchorLink>
        <Group justify="space-between" align="center">
          <Title order={1}>Postmortem templates</Title>
          {canManage && editing === null && <Button onClick={() => setEditing({ mode: 'new' })}>New template</Button>}
        </Group>
        <Text size="sm" c="dimmed">
          A new postmortem uses the most specific template for its incident&apos;s severity and type; the built-in one
          when nothing else matches.
        </Text>
      </Stack>

      {editing && (
        <TemplateForm
          key={editing.mode === 'edit' ? editing.template.id : `new-${editing.from?.id ?? ''}`}
          editing={editing}
          onDone={() => setEditing(null)}
        />
      )}

      {templates.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading templates" />
        </Center>
      ) : templates.isError ? (
        <QueryError error={templates.error} onRetry={() => void templates.refetch()} title="Could not load templates" />
      ) : (
        <Stack component="ul" gap="sm" className="plain-list" aria-label="Templates">
          {templates.data.map((t) => (
            <li key={t.id}>
              <TemplateCard
                template={t}
                canManage={canManage && editing === null}
                onEdit={() => setEditing({ mode: 'edit', template: t })}
                onCopy={() => setEditing({ mode: 'new', from: t })}
                onDelete={() => setDeleting(t)}
              />
            </li>
          ))}
        </Stack>
      )}
      <DeleteDialog template={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function appliesTo(t: TemplateView): string {
  const severities = t.severities.length > 0 ? t.severities.join(', ') : 'any severity';
  const types = t.types.length > 0 ? t.types.map((x) => TYPE_LABEL[x]).join(', ') : 'any type';
  return `${severities} · ${types}`;
}

function TemplateCard({
  template,
  canManage,
  onEdit,
  onCopy,
  onDelete,
}: {
  template: TemplateView;
  canManage: boolean;
  onEdit: () => void;
  onCopy: () => void;
  onDelete: () => void;
}) {
  const headingId = useId();
  return (
    <Paper withBorder p="md" component="article" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <Title order={2} size="h4" id={headingId} className="break-anywhere">
              {template.name}
            </Title>
            {template.builtIn && (
              <Badge variant="light" color="gray" radius="sm">
                Built-in · read-only
              </Badge>
            )}
          </Group>
          {canManage && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={onCopy}>
                Copy as new
              </Button>
              {!template.builtIn && (
                <>
                  <Button size="xs" variant="light" onClick={onEdit} aria-label={`Edit ${template.name}`}>
                    Edit
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={onDelete}
                    aria-label={`Delete ${template.name}`}
                  >
                    Delete
                  </Button>
                </>
              )}
            </Group>
          )}
        </Group>
        {template.description && <Text size="sm">{template.description}</Text>}
        <Text size="xs" c="dimmed">
          For {appliesTo(template)} · {template.sections.length} sections
        </Text>
        <details>
          <summary className="details-summary">Sections</summary>
          <Stack component="ol" gap={4} mt="xs" pl="lg">
            {template.sections.map((s) => (
              <li key={s.id}>
                <Text size="sm" fw={500} span>
                  {s.title}
                </Text>
                {!s.required && (
                  <Text size="xs" c="dimmed" span>
                    {' '}
                    (optional)
                  </Text>
                )}
                {s.prompt && (
                  <Text size="xs" c="dimmed" className="break-anywhere">
                    {s.prompt}
                  </Text>
                )}
              </li>
            ))}
          </Stack>
        </details>
      </Stack>
    </Paper>
  );
}

interface SectionDraft {
  /** Stable React key while titles change. */
  key: number;
  title: string;
  prompt: string;
  required: boolean;
}

let nextKey = 1;
const draftOf = (s: { title: string; prompt: string; required: boolean }): SectionDraft => ({
  key: nextKey++,
  title: s.title,
  prompt: s.prompt,
  required: s.required,
});

/** The message for one section field, whichever path style the server used (`sections[0].title`, `sections.0.title`). */
function sectionError(error: ApiError | null, index: number, field: string): string | undefined {
  if (!error) return undefined;
  return (
    error.fieldMessage(`sections[${index}].${field}`) ??
    error.fieldMessage(`sections.${index}.${field}`) ??
    (field === 'title'
      ? (error.fieldMessage(`sections[${index}]`) ?? error.fieldMessage(`sections.${index}`))
      : undefined)
  );
}

function TemplateForm({ editing, onDone }: { editing: NonNullable<Editing>; onDone: () => void }) {
  const queryClient = useQueryClient();
  const base = editing.mode === 'edit' ? editing.template : editing.from;
  const [name, setName] = useState(editing.mode === 'edit' ? editing.template.name : base ? `${base.name} (copy)` : '');
  const [description, setDescription] = useState(base?.description ?? '');
  const [severities, setSeverities] = useState<Severity[]>(base?.severities ?? []);
  const [types, setTypes] = useState<IncidentType[]>(base?.types ?? []);
  const [sections, setSections] = useState<SectionDraft[]>(() =>
    base ? base.sections.map(draftOf) : [draftOf({ title: 'Summary', prompt: '', required: true })],
  );
  const [local, setLocal] = useState<{ name?: string; sections?: string; titles: Record<number, string> }>({
    titles: {},
  });

  const save = useMutation({
    mutationFn: (input: TemplateInput) =>
      editing.mode === 'edit'
        ? api.updateTemplate(editing.template.id, editing.template.version, input)
        : api.createTemplate(input),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: templatesQuery.queryKey });
      onDone();
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  const fieldErrors = error?.errors.length ?? 0;

  const update = (index: number, patch: Partial<SectionDraft>) =>
    setSections((all) => all.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const move = (index: number, by: -1 | 1) =>
    setSections((all) => {
      const target = index + by;
      if (target < 0 || target >= all.length) return all;
      const copy = [...all];
      const [moved] = copy.splice(index, 1);
      if (moved) copy.splice(target, 0, moved);
      return copy;
    });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // The server's earlier verdict is about the earlier input; only what this attempt finds is shown.
    save.reset();
    const problems: typeof local = { titles: {} };
    if (!name.trim()) problems.name = 'A name is required.';
    if (sections.length === 0) problems.sections = 'Add at least one section.';
    const seen = new Map<string, number>();
    sections.forEach((s, i) => {
      const id = sectionId(s.title);
      if (!s.title.trim() || !id) problems.titles[i] = 'A section needs a title.';
      else if (seen.has(id)) problems.titles[i] = `Same heading as section ${(seen.get(id) ?? 0) + 1}.`;
      else seen.set(id, i);
    });
    setLocal(problems);
    if (problems.name || problems.sections || Object.keys(problems.titles).length > 0) return;
    save.mutate({
      name: name.trim(),
      description: description.trim(),
      severities,
      types,
      sections: sections.map((s) => ({
        id: sectionId(s.title),
        title: s.title.trim(),
        prompt: s.prompt.trim(),
        required: s.required,
      })),
    });
  };

  const heading = editing.mode === 'edit' ? `Edit ${editing.template.name}` : 'New template';
  // A message about the list as a whole; messages about one section are shown at that section.
  const sectionsMessage = local.sections ?? error?.errors.find((e) => e.field === 'sections')?.message;
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-label={heading}>
      <form onSubmit={onSubmit} noValidate aria-label={heading}>
        <Stack gap="md">
          <Title order={2} size="h3">
            {heading}
          </Title>
          {error && (
            <Alert color="red" role="alert" title="Template not saved">
              {fieldErrors > 0 ? 'Check the highlighted fields.' : error.message}
            </Alert>
          )}
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={local.name ?? error?.fieldMessage('name')}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={error?.fieldMessage('description')}
          />
          <Group grow align="flex-start" wrap="wrap">
            <MultiSelect
              label="Severities"
              description="Leave empty for any severity."
              data={[...SEVERITIES]}
              value={severities}
              onChange={(v) => setSeverities(v)}
              clearable
              error={error?.fieldMessage('severities')}
              miw={220}
            />
            <MultiSelect
              label="Incident types"
              description="Leave empty for any type."
              data={INCIDENT_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
              value={types}
              onChange={(v) => setTypes(v)}
              clearable
              error={error?.fieldMessage('types')}
              miw={220}
            />
          </Group>

          <Stack gap="xs" role="group" aria-labelledby="template-sections-heading">
            <Title order={3} size="h5" id="template-sections-heading">
              Sections
            </Title>
            {sectionsMessage && (
              <Text size="sm" c="red" role="alert">
                {sectionsMessage}
              </Text>
            )}
            <Stack component="ol" gap="sm" className="plain-list">
              {sections.map((s, i) => (
                <li key={s.key}>
                  <Paper withBorder p="sm">
                    <Stack gap="xs">
                      <Group gap="xs" align="flex-start" wrap="nowrap">
                        <TextInput
                          label={`Section ${i + 1} title`}
                          required
                          value={s.title}
                          onChange={(e) => update(i, { title: e.currentTarget.value })}
                          error={local.titles[i] ?? sectionError(error, i, 'title')}
                          style={{ flex: 1 }}
                        />
                        <Group gap={4} mt={26} wrap="nowrap">
                          <ActionIcon
                            variant="default"
                            aria-label={`Move section ${i + 1} up`}
                            disabled={i === 0}
                            onClick={() => move(i, -1)}
                          >
                            ↑
                          </ActionIcon>
                          <ActionIcon
                            variant="default"
                            aria-label={`Move section ${i + 1} down`}
                            disabled={i === sections.length - 1}
                            onClick={() => move(i, 1)}
                          >
                            ↓
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove section ${i + 1}`}
                            onClick={() => setSections((all) => all.filter((_, j) => j !== i))}
                          >
                            ×
                          </ActionIcon>
                        </Group>
                      </Group>
                      <Textarea
                        label="Prompt"
                        description="Guidance for the writer; shown in the draft as a comment, never rendered."
                        autosize
                        minRows={1}
                        value={s.prompt}
                        onChange={(e) => update(i, { prompt: e.currentTarget.value })}
                        error={sectionError(error, i, 'prompt')}
                      />
                      <Checkbox
                        label="Required"
                        checked={s.required}
                        onChange={(e) => update(i, { required: e.currentTarget.checked })}
                      />
                    </Stack>
                  </Paper>
                </li>
              ))}
            </Stack>
            <Group>
              <Button
                variant="default"
                size="xs"
                onClick={() => setSections((all) => [...all, draftOf({ title: '', prompt: '', required: true })])}
              >
                Add section
              </Button>
            </Group>
          </Stack>

          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing.mode === 'edit' ? 'Save template' : 'Create template'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function DeleteDialog({ template, onClose }: { template: TemplateView | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => api.deleteTemplate(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: templatesQuery.queryKey });
      close();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal opened={template !== null} onClose={close} title="Delete template?">
      {template && (
        <Stack gap="sm">
          <Text size="sm">
            Delete “{template.name}”? Postmortems written from it keep their text; new ones will use another template.
          </Text>
          {remove.error && (
            <Alert color="red" role="alert" title="Not deleted">
              {remove.error.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" onClick={() => remove.mutate(template.id)} loading={remove.isPending}>
              Delete
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
