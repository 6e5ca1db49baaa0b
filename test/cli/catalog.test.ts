import { afterAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/domain/types.js';
import { debrief, json, tempDir } from './run.js';

describe('debrief service and team (local)', () => {
  const dir = tempDir();
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  afterAll(() => dir.remove());

  it('builds a catalog that incidents can then name', async () => {
    expect((await run('team', 'create', '--name', 'payments', '--display-name', 'Payments')).code).toBe(0);
    const payments = await run('service', 'create', '--name', 'payments', '--team', 'payments', '--tier', '1');
    expect(payments.code).toBe(0);
    expect(payments.stdout).toMatch(/^Created service payments\n/);
    const checkout = json<Service>(
      await run(
        'service',
        'create',
        '--name',
        'checkout',
        '--team',
        'payments',
        '--depends-on',
        'payments',
        '--owner',
        'Ana@Example.com,bo@example.com',
        '--runbook',
        'https://runbooks.example.com/checkout',
        '--format',
        'json',
      ),
    );
    expect(checkout).toMatchObject({
      name: 'checkout',
      dependencies: ['payments'],
      owners: ['ana@example.com', 'bo@example.com'],
      tier: 3,
    });
    const table = await run('service', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+TEAM\s+TIER\s+DEPENDS ON\s+OWNERS$/);
    expect(table.stdout).toMatch(/checkout\s+payments\s+3\s+payments/);
    const shown = await run('service', 'show', 'checkout');
    expect(shown.stdout).toMatch(/Runbook\s+https:\/\/runbooks\.example\.com\/checkout/);
    const declared = await run(
      'incident',
      'declare',
      '--title',
      'Card payments failing',
      '--severity',
      'SEV2',
      '--service',
      'checkout',
    );
    expect(declared.code).toBe(0);
  });

  it('refuses bad input with one line and exit 2', async () => {
    const tier = await run('service', 'create', '--name', 'search', '--tier', '7');
    expect(tier.code).toBe(2);
    expect(tier.stderr.trim().split('\n')).toHaveLength(1);
    const unknownTeam = await run('service', 'create', '--name', 'search', '--team', 'ghosts');
    expect(unknownTeam.code).toBe(2);
    expect(unknownTeam.stderr).toMatch(/team/);
    const cycle = await run('service', 'create', '--name', 'search', '--depends-on', 'search');
    expect(cycle.code).toBe(2);
    const missing = await run('service', 'show', 'nope');
    expect(missing.code).toBe(1);
  });
});
