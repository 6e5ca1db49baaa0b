import { validationError } from './errors.js';

const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Checks a service slug: 1–63 lowercase letters, digits and dashes, starting with a letter.
 *
 * @example
 * validateServiceName('checkout-api'); // 'checkout-api'
 * @returns the name, for use in expressions.
 * @throws DebriefError DEBRIEF_ERR_VALIDATION (field `name`, or `field` when given) when the name is not a slug.
 */
export function validateServiceName(name: string, field = 'name'): string {
  if (SERVICE_NAME_PATTERN.test(name)) return name;
  let reason: string;
  if (name.length === 0) reason = 'must not be empty';
  else if (name.length > 63) reason = `must be at most 63 characters, got ${name.length}`;
  else if (!/^[a-z]/.test(name)) reason = `must start with a lowercase letter, got ${JSON.stringify(name)}`;
  else reason = `may only contain lowercase letters, digits and dashes, got ${JSON.stringify(name)}`;
  throw validationError(field, reason);
}

/**
 * Finds a dependency cycle in a service catalog. Dependencies on names not in the list are ignored (they are
 * reported by `validateDependencies`). Services and dependencies are visited in the given order, so the result is
 * deterministic.
 *
 * @example
 * detectDependencyCycle([{ name: 'a', dependencies: ['b'] }, { name: 'b', dependencies: ['a'] }]); // ['a', 'b', 'a']
 * @returns the cycle as a path that starts and ends at the same service, or null when there is none.
 */
export function detectDependencyCycle(
  services: readonly { name: string; dependencies: readonly string[] }[],
): string[] | null {
  const graph = new Map<string, readonly string[]>();
  for (const service of services) graph.set(service.name, service.dependencies);

  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  const visit = (name: string): string[] | null => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return null;
    const dependencies = graph.get(name);
    if (dependencies === undefined) return null;
    path.push(name);
    onPath.add(name);
    for (const dependency of dependencies) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return null;
  };

  for (const service of services) {
    const cycle = visit(service.name);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * Checks the dependency list of service `name`: each entry must be a known service, not the service itself, and
 * listed once. Cycles through other services are found with `detectDependencyCycle` on the updated catalog.
 *
 * @example
 * validateDependencies('checkout', ['payments'], ['checkout', 'payments']); // ok
 * validateDependencies('checkout', ['ledger'], ['checkout']); // throws, field 'dependencies[0]'
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with field `dependencies[i]` for the first offending entry.
 */
export function validateDependencies(
  name: string,
  dependencies: readonly string[],
  knownNames: Iterable<string>,
): void {
  const known = new Set(knownNames);
  const seen = new Set<string>();
  for (const [i, dependency] of dependencies.entries()) {
    const field = `dependencies[${i}]`;
    if (dependency === name) throw validationError(field, `service ${name} cannot depend on itself`);
    if (seen.has(dependency)) throw validationError(field, `${dependency} is listed more than once`);
    if (!known.has(dependency)) throw validationError(field, `unknown service ${JSON.stringify(dependency)}`);
    seen.add(dependency);
  }
}
