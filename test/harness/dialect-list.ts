/**
 * The dialect matrix, narrowed by `DEBRIEF_TEST_DIALECTS`. Kept apart from `dialects.ts` so the global setup, which
 * runs outside any test file, can read it without loading vitest's test API.
 */
export type TestDialect = 'sqlite' | 'postgres';

const ALL: readonly TestDialect[] = ['sqlite', 'postgres'];

/**
 * Dialects to test, from the comma-separated `DEBRIEF_TEST_DIALECTS` (default: all). Unknown names throw, so a typo
 * cannot silently drop a lane.
 *
 * @example
 * // DEBRIEF_TEST_DIALECTS=sqlite npx vitest run
 * testDialects(); // ['sqlite']
 */
export function testDialects(): TestDialect[] {
  const raw = process.env.DEBRIEF_TEST_DIALECTS?.trim();
  if (!raw) return [...ALL];
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((name) => !(ALL as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`DEBRIEF_TEST_DIALECTS="${raw}": expected a comma list of ${ALL.join(', ')}`);
  }
  return ALL.filter((dialect) => names.includes(dialect));
}
