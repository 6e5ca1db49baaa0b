#!/usr/bin/env node
// Runs before `npm test`: makes sure the system packages the tests need are present (Chromium for the browser tests,
// PostgreSQL 15 for the postgres lane, Prometheus and Alertmanager for the real-components test), then builds, so the
// end-to-end tests exercise the current code.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const requirements = [
  { path: '/usr/bin/chromium', pkg: 'chromium', why: 'browser end-to-end tests and PDF export' },
  { path: '/usr/lib/postgresql/15/bin/postgres', pkg: 'postgresql-15', why: 'the postgres test lane' },
  // The real-components test starts its own Prometheus and Alertmanager; the packages' own services are not used.
  { path: '/usr/bin/prometheus', pkg: 'prometheus', why: 'the real Prometheus + Alertmanager test (test/integration)' },
  {
    path: '/usr/bin/prometheus-alertmanager',
    pkg: 'prometheus-alertmanager',
    why: 'the real Prometheus + Alertmanager test (test/integration)',
  },
];

const isRoot = process.getuid?.() === 0;

function log(message) {
  console.log(`[pretest] ${message}`);
}

function run(command, args, env = process.env) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

function ensureSystemPackages() {
  const missing = requirements.filter((requirement) => !existsSync(requirement.path));
  for (const requirement of requirements) {
    log(`${requirement.pkg}: ${missing.includes(requirement) ? 'missing' : 'present'} (${requirement.path})`);
  }
  if (missing.length === 0) return;

  const names = missing.map((requirement) => requirement.pkg);
  if (!isRoot) {
    for (const requirement of missing) {
      console.error(`[pretest] ${requirement.path} is missing; it is needed for ${requirement.why}.`);
    }
    console.error(`[pretest] Install it as root: apt-get update && apt-get install -y ${names.join(' ')}`);
    process.exit(1);
  }
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', ...names], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
  const stillMissing = missing.filter((requirement) => !existsSync(requirement.path));
  if (stillMissing.length > 0) {
    throw new Error(`still missing after apt-get install: ${stillMissing.map((r) => r.path).join(', ')}`);
  }
}

try {
  ensureSystemPackages();
  log('building (npm run build) so the end-to-end tests use the current code');
  run('npm', ['run', 'build']);
  log('ready');
} catch (error) {
  console.error(`[pretest] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
