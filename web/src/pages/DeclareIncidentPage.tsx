import {
  Alert,
  Button,
  Group,
  MultiSelect,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import {
  INCIDENT_TYPES,
  SEVERITIES,
  VISIBILITIES,
  type IncidentType,
  type Severity,
  type Visibility,
} from '../../../src/domain/types';
import { minimumRole, roleAtLeast } from '../../../src/domain/access';
import { api, ApiError, type DeclareIncidentInput, fieldIsUnder } from '../api';
import { AnchorLink } from '../components/links';
import { fromLocalInput } from '../format';
import { TYPE_LABEL } from '../labels';
import { meQuery, servicesQuery } from '../queries';

const SEVERITY_HINT: Record<Severity, string> = {
  SEV1: 'SEV1 — critical: broad customer impact',
  SEV2: 'SEV2 — major: significant impact or degradation',
  SEV3: 'SEV3 — minor: limited impact',
  SEV4: 'SEV4 — low: no visible customer impact',
};

type FieldErrors = Partial<Record<string, string>>;

export function DeclareIncidentPage() {
  useDocumentTitle('Declare an incident · Debrief');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const services = useQuery(servicesQuery);
  const me = useQuery(meQuery);

  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [type, setType] = useState<IncidentType>('standard');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [selectedServices, setSelectedServices] = useState<string[]>([]);
  const [summary, setSummary] = useState('');
  const [customerImpact, setCustomerImpact] = useState('');
  const [impactStart, setImpactStart] = useState('');
  const [commander, setCommander] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const declare = useMutation({
    mutationFn: (input: DeclareIncidentInput) => api.declareIncident(input),
    onError: focusFirstInvalid,
    onSuccess: async (incident) => {
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
      await navigate({ to: '/incidents/$key', params: { key: incident.key } });
    },
  });

  const serverError = declare.error instanceof ApiError ? declare.error : null;
  const errorFor = (field: string) => clientErrors[field] ?? serverError?.fieldMessage(field);
  // Server messages that belong to no field on this form still need to be seen.
  const knownFields = [
    'title',
    'severity',
    'type',
    'visibility',
    'services',
    'summary',
    'customerImpact',
    'impactStartedAt',
    'roles',
  ];
  const unplacedErrors = serverError?.errors.filter((e) => !knownFields.some((f) => fieldIsUnder(e.field, f)));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!title.trim()) errors.title = 'Give the incident a short title.';
    if (!severity) errors.severity = 'Choose a severity.';
    const impactStartedAt = fromLocalInput(impactStart);
    if (impactStart && !impactStartedAt) errors.impactStartedAt = 'Enter a valid date and time.';
    setClientErrors(errors);
    if (Object.keys(errors).length > 0 || !severity) {
      focusFirstInvalid();
      return;
    }

    const input: DeclareIncidentInput = {
      title: title.trim(),
      severity,
      type,
      visibility,
      services: selectedServices,
      summary: summary.trim(),
      customerImpact: customerImpact.trim(),
    };
    if (impactStartedAt) input.impactStartedAt = impactStartedAt;
    if (commander.trim()) input.roles = { commander: commander.trim() };
    declare.mutate(input);
  };

  return (
    <Stack gap="md" maw={860}>
      <div>
        <Title order={1}>Declare an incident</Title>
        <Text c="dimmed" size="sm">
          Declare early: a declared incident that turns out small costs less than a late one. Details can change later.
        </Text>
      </div>

      {me.data && !roleAtLeast(me.data.role, minimumRole('incident.create')) && (
        <Alert color="yellow" title="Your role cannot declare incidents">
          You are signed in as a {me.data.role}. Ask an administrator for the responder role to declare incidents.
        </Alert>
      )}

      <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
        <form onSubmit={onSubmit} noValidate aria-label="Declare an incident">
          <Stack gap="md">
            {serverError && (
              <Alert color="red" role="alert" title="The incident was not declared">
                <Text size="sm">
                  {serverError.errors.length > 0 && unplacedErrors?.length === 0
                    ? 'Check the highlighted fields.'
                    : serverError.detail || serverError.message}
                </Text>
                {unplacedErrors && unplacedErrors.length > 0 && (
                  <ul>
                    {unplacedErrors.map((e) => (
                      <li key={e.field}>
                        {e.field}: {e.message}
                      </li>
                    ))}
                  </ul>
                )}
              </Alert>
            )}
            {declare.error && !serverError && (
              <Alert color="red" role="alert" title="The incident was not declared">
                {declare.error.message}
              </Alert>
            )}

            <TextInput
              label="Title"
              description="What is happening, as customers would notice it."
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={errorFor('title')}
              maxLength={200}
            />

            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <NativeSelect
                label="Severity"
                required
                value={severity}
                onChange={(e) => setSeverity(e.currentTarget.value as Severity | '')}
                error={errorFor('severity')}
                data={[
                  { value: '', label: 'Choose severity…', disabled: true },
                  ...SEVERITIES.map((s) => ({ value: s, label: SEVERITY_HINT[s] })),
                ]}
              />
              <NativeSelect
                label="Type"
                value={type}
                onChange={(e) => setType(e.currentTarget.value as IncidentType)}
                error={errorFor('type')}
                data={INCIDENT_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
              />
              <NativeSelect
                label="Visibility"
                value={visibility}
                onChange={(e) => setVisibility(e.currentTarget.value as Visibility)}
                error={errorFor('visibility')}
                data={VISIBILITIES.map((v) => ({
                  value: v,
                  label: v === 'public' ? 'Public — everyone signed in' : 'Private — members only',
                }))}
              />
            </SimpleGrid>

            <MultiSelect
              label="Services"
              description={
                services.data?.length === 0 ? (
                  <>
                    No services in the catalog yet —{' '}
                    <AnchorLink to="/services" fz="inherit">
                      add one
                    </AnchorLink>
                    .
                  </>
                ) : (
                  'Services affected by the incident.'
                )
              }
              placeholder={selectedServices.length ? undefined : 'Pick services'}
              data={(services.data ?? []).map((s) => ({ value: s.name, label: s.displayName || s.name }))}
              value={selectedServices}
              onChange={setSelectedServices}
              searchable
              clearable
              nothingFoundMessage="No matching service"
              error={errorFor('services')}
            />

            <Textarea
              label="Summary"
              description="What is known so far."
              autosize
              minRows={3}
              value={summary}
              onChange={(e) => setSummary(e.currentTarget.value)}
              error={errorFor('summary')}
            />
            <Textarea
              label="Customer impact"
              description="Who is affected and how."
              autosize
              minRows={2}
              value={customerImpact}
              onChange={(e) => setCustomerImpact(e.currentTarget.value)}
              error={errorFor('customerImpact')}
            />

            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextInput
                label="Impact start (optional)"
                description="Your local time. When customers started to be affected."
                type="datetime-local"
                step={1}
                value={impactStart}
                onChange={(e) => setImpactStart(e.currentTarget.value)}
                error={errorFor('impactStartedAt')}
              />
              <TextInput
                label="Commander (optional)"
                description="Email of the incident commander."
                type="email"
                autoComplete="off"
                value={commander}
                onChange={(e) => setCommander(e.currentTarget.value)}
                error={errorFor('roles')}
              />
            </SimpleGrid>

            <Group justify="flex-end">
              <Button type="submit" color="red" loading={declare.isPending}>
                Declare incident
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

/** Moves keyboard focus to the first field marked invalid, once React has rendered the messages. */
function focusFirstInvalid(): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus();
  });
}
