import { describe, it, expect } from 'vitest';
import { DebriefError } from './errors.js';
import { detectDependencyCycle, validateDependencies, validateServiceName } from './service-catalog.js';

function caught(fn: () => unknown): DebriefError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DebriefError);
    return error as DebriefError;
  }
  throw new Error('expected a DebriefError');
}

describe('validateServiceName', () => {
  it.each(['a', 'checkout', 'checkout-api', 'db2', 'a-1-b', `a${'b'.repeat(62)}`])('accepts %j', (name) => {
    expect(validateServiceName(name)).toBe(name);
  });

  it.each([
    ['', 'must not be empty'],
    [`a${'b'.repeat(63)}`, 'at most 63 characters'],
    ['1password', 'must start with a lowercase letter'],
    ['-api', 'must start with a lowercase letter'],
    ['Checkout', 'must start with a lowercase letter'],
    ['check_out', 'only contain lowercase letters, digits and dashes'],
    ['check out', 'only contain lowercase letters, digits and dashes'],
    ['checkoutÄ', 'only contain lowercase letters, digits and dashes'],
    ['api\n', 'only contain lowercase letters, digits and dashes'],
  ])('rejects %j: %s', (name, reason) => {
    const error = caught(() => validateServiceName(name));
    expect(error.code).toBe('DEBRIEF_ERR_VALIDATION');
    expect(error.field).toBe('name');
    expect(error.message).toContain(reason);
  });

  it('names a different field when asked', () => {
    expect(caught(() => validateServiceName('Bad', 'services[2]')).field).toBe('services[2]');
  });
});

describe('detectDependencyCycle', () => {
  it('returns null for an acyclic catalog, including shared dependencies', () => {
    expect(
      detectDependencyCycle([
        { name: 'web', dependencies: ['checkout', 'search'] },
        { name: 'checkout', dependencies: ['db'] },
        { name: 'search', dependencies: ['db'] },
        { name: 'db', dependencies: [] },
      ]),
    ).toBeNull();
    expect(detectDependencyCycle([])).toBeNull();
  });

  it('finds a two-service cycle as a closed path', () => {
    expect(
      detectDependencyCycle([
        { name: 'a', dependencies: ['b'] },
        { name: 'b', dependencies: ['a'] },
      ]),
    ).toEqual(['a', 'b', 'a']);
  });

  it('reports only the cycle, not the path that led to it', () => {
    expect(
      detectDependencyCycle([
        { name: 'web', dependencies: ['a'] },
        { name: 'a', dependencies: ['b'] },
        { name: 'b', dependencies: ['c'] },
        { name: 'c', dependencies: ['a'] },
      ]),
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  it('finds a self-dependency', () => {
    expect(detectDependencyCycle([{ name: 'a', dependencies: ['a'] }])).toEqual(['a', 'a']);
  });

  it('finds a cycle reached after an acyclic branch', () => {
    expect(
      detectDependencyCycle([
        { name: 'root', dependencies: ['leaf', 'x'] },
        { name: 'leaf', dependencies: [] },
        { name: 'x', dependencies: ['y'] },
        { name: 'y', dependencies: ['x'] },
      ]),
    ).toEqual(['x', 'y', 'x']);
  });

  it('ignores dependencies on services outside the list', () => {
    expect(detectDependencyCycle([{ name: 'a', dependencies: ['external'] }])).toBeNull();
  });
});

describe('validateDependencies', () => {
  const known = ['checkout', 'payments', 'db'];

  it('accepts known, distinct dependencies and an empty list', () => {
    expect(() => validateDependencies('checkout', ['payments', 'db'], known)).not.toThrow();
    expect(() => validateDependencies('checkout', [], known)).not.toThrow();
    expect(() => validateDependencies('checkout', ['db'], new Set(known))).not.toThrow();
  });

  it('names the index of an unknown dependency', () => {
    const error = caught(() => validateDependencies('checkout', ['payments', 'ledger'], known));
    expect(error.code).toBe('DEBRIEF_ERR_VALIDATION');
    expect(error.field).toBe('dependencies[1]');
    expect(error.message).toBe('dependencies[1]: unknown service "ledger"');
  });

  it('rejects a dependency on itself', () => {
    const error = caught(() => validateDependencies('checkout', ['checkout'], known));
    expect(error.field).toBe('dependencies[0]');
    expect(error.message).toContain('cannot depend on itself');
  });

  it('rejects a dependency listed twice', () => {
    const error = caught(() => validateDependencies('checkout', ['db', 'payments', 'db'], known));
    expect(error.field).toBe('dependencies[2]');
    expect(error.message).toContain('more than once');
  });
});
