import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { artifactId, putArtifact } from './artifacts.js';
import { createAppContext, read, transact } from './context.js';

describeEachDialect('artifacts', (db) => {
  it('stores content once under its sha256 and returns the same bytes', async () => {
    const ctx = createAppContext(db.database);
    const content = Buffer.from([0, 1, 2, 250, 255, 10]);
    const first = await transact(ctx, (tx) => putArtifact(tx, content, 'application/octet-stream', 'bytes'));
    const second = await transact(ctx, (tx) => putArtifact(tx, content, 'application/octet-stream', 'again'));
    expect(first.id).toBe(artifactId(content));
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
    expect(second.id).toBe(first.id);
    const stored = await read(ctx).artifacts.get(first.id);
    expect(stored?.content.equals(content)).toBe(true);
    expect(stored).toMatchObject({ size: 6, description: 'bytes', mediaType: 'application/octet-stream' });
  });
});
