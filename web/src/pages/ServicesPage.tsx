import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  MultiSelect,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { minimumRole, roleAtLeast } from '../../../src/domain/access';
import { SERVICE_TIERS, type Service, type ServiceTier } from '../../../src/domain/types';
import { api, ApiError, type CreateServiceInput, fieldIsUnder } from '../api';
import { QueryError } from '../components/QueryError';
import { meQuery, servicesQuery, teamsQuery } from '../queries';

const TIER_LABEL: Record<ServiceTier, string> = {
  1: 'Tier 1 — critical',
  2: 'Tier 2 — important',
  3: 'Tier 3 — standard',
  4: 'Tier 4 — low',
};

export function ServicesPage() {
  useDocumentTitle('Services · Debrief');
  const services = useQuery(servicesQuery);
  const me = useQuery(meQuery);
  const canWrite = me.data ? roleAtLeast(me.data.role, minimumRole('service.write')) : false;

  return (
    <Stack gap="lg">
      <Title order={1}>Services</Title>

      {services.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading services" />
        </Center>
      ) : services.isError ? (
        <QueryError error={services.error} onRetry={() => void services.refetch()} title="Could not load services" />
      ) : services.data.length === 0 ? (
        <Paper withBorder p="xl">
          <Text ta="center" c="dimmed">
            No services in the catalog yet.{canWrite ? ' Add the first one below.' : ''}
          </Text>
        </Paper>
      ) : (
        <ServiceTable services={services.data} />
      )}

      {canWrite && <AddServiceForm services={services.data ?? []} />}
    </Stack>
  );
}

function ServiceTable({ services }: { services: Service[] }) {
  return (
    <Table.ScrollContainer minWidth={900} type="native">
      <Table striped verticalSpacing="sm" aria-label="Services">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Display name</Table.Th>
            <Table.Th scope="col">Team</Table.Th>
            <Table.Th scope="col">Tier</Table.Th>
            <Table.Th scope="col">Owners</Table.Th>
            <Table.Th scope="col">Dependencies</Table.Th>
            <Table.Th scope="col">Runbook</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {services.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td ff="monospace">{s.name}</Table.Td>
              <Table.Td>
                {s.displayName}
                {s.description && (
                  <Text size="xs" c="dimmed">
                    {s.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{s.team ?? '—'}</Table.Td>
              <Table.Td>{s.tier}</Table.Td>
              <Table.Td className="break-anywhere">{s.owners.join(', ') || '—'}</Table.Td>
              <Table.Td className="break-anywhere">{s.dependencies.join(', ') || '—'}</Table.Td>
              <Table.Td>
                {s.runbookUrl ? (
                  <Anchor
                    href={s.runbookUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    aria-label={`Runbook for ${s.name}`}
                  >
                    Runbook ↗
                  </Anchor>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const FORM_FIELDS = ['name', 'displayName', 'description', 'team', 'tier', 'runbookUrl', 'owners', 'dependencies'];

const EMPTY = { name: '', displayName: '', description: '', team: '', tier: '3', runbookUrl: '' };

function AddServiceForm({ services }: { services: Service[] }) {
  const queryClient = useQueryClient();
  const teams = useQuery(teamsQuery);
  const [form, setForm] = useState(EMPTY);
  const [owners, setOwners] = useState<string[]>([]);
  const [dependencies, setDependencies] = useState<string[]>([]);
  const [nameMissing, setNameMissing] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: (input: CreateServiceInput) => api.createService(input),
    onSuccess: async (service) => {
      setCreated(service.name);
      setForm(EMPTY);
      setOwners([]);
      setDependencies([]);
      await queryClient.invalidateQueries({ queryKey: servicesQuery.queryKey });
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  const field = (name: keyof typeof EMPTY) => ({
    value: form[name],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setForm((f) => ({ ...f, [name]: value }));
    },
    error: error?.fieldMessage(name),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const name = form.name.trim();
    setNameMissing(!name);
    if (!name) return;
    const input: CreateServiceInput = {
      name,
      tier: Number(form.tier) as ServiceTier,
      // Pasted or half-typed tags can still hold separators; the API wants one email per entry.
      owners: owners.flatMap((o) => o.split(/[\s,;]+/)).filter(Boolean),
      dependencies,
    };
    if (form.displayName.trim()) input.displayName = form.displayName.trim();
    if (form.description.trim()) input.description = form.description.trim();
    if (form.team) input.team = form.team;
    if (form.runbookUrl.trim()) input.runbookUrl = form.runbookUrl.trim();
    create.mutate(input);
  };

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="add-service-heading">
      <Title order={2} size="h3" id="add-service-heading" mb="sm">
        Add a service
      </Title>
      <form onSubmit={onSubmit} noValidate aria-label="Add a service">
        <Stack gap="md">
          {created && (
            <Alert color="green" role="status" title="Service added" withCloseButton onClose={() => setCreated(null)}>
              {created} is now in the catalog.
            </Alert>
          )}
          {create.error && (
            <Alert color="red" role="alert" title="Service not added">
              {error &&
              error.errors.length > 0 &&
              error.errors.every((e) => FORM_FIELDS.some((f) => fieldIsUnder(e.field, f)))
                ? 'Check the highlighted fields.'
                : create.error.message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Name"
              description="Stable slug: lowercase letters, digits and dashes (e.g. checkout-api)."
              required
              autoComplete="off"
              {...field('name')}
              error={nameMissing ? 'A name is required.' : field('name').error}
            />
            <TextInput label="Display name" autoComplete="off" {...field('displayName')} />
            <NativeSelect
              label="Team"
              {...field('team')}
              data={[
                { value: '', label: teams.data?.length === 0 ? 'No teams yet' : 'No team' },
                ...(teams.data ?? []).map((t) => ({ value: t.name, label: t.displayName || t.name })),
              ]}
            />
            <NativeSelect
              label="Tier"
              {...field('tier')}
              data={SERVICE_TIERS.map((t) => ({ value: String(t), label: TIER_LABEL[t] }))}
            />
            <TextInput label="Runbook URL" type="url" placeholder="https://" {...field('runbookUrl')} />
            <TagsInput
              label="Owners"
              description="Emails; press Enter or comma after each."
              value={owners}
              onChange={setOwners}
              splitChars={[',', ' ']}
              clearable
              error={error?.fieldMessage('owners')}
            />
          </SimpleGrid>
          <MultiSelect
            label="Dependencies"
            description="Services this one needs to work."
            data={services.map((s) => ({ value: s.name, label: s.displayName || s.name }))}
            value={dependencies}
            onChange={setDependencies}
            searchable
            clearable
            nothingFoundMessage={services.length === 0 ? 'No services yet' : 'No matching service'}
            error={error?.fieldMessage('dependencies')}
          />
          <Textarea label="Description" autosize minRows={2} {...field('description')} />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              Add service
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
