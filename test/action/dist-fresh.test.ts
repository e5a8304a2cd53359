// dist/ is committed; a runner executes it as is. Rebuilding from the sources must give exactly it.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAction } from '../../action/build.ts';
import { REPO_ROOT } from './harness.ts';

describe('dist/', () => {
  it('is what `npm run build:action` builds from the current sources (rebuild and commit it when this fails)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'factory-dist-'));
    try {
      await bundleAction(join(out, 'dist'));
      const fresh = readdirSync(join(out, 'dist')).sort();
      const committed = readdirSync(join(REPO_ROOT, 'dist')).sort();
      expect(committed).toEqual(fresh);
      for (const file of fresh) {
        const same = readFileSync(join(out, 'dist', file)).equals(readFileSync(join(REPO_ROOT, 'dist', file)));
        expect({ file, same }).toEqual({ file, same: true });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
