/** The plan warns when multiarch's own directories sit in a build context that does not exclude them. */
import { describe, expect, it } from 'vitest';
import { ownFilesNotes } from '../../../src/cli/own-files-notes.js';
import { localConfig, plan } from '../plan/fixtures.js';

const CACHE = '/abs/dir/.multiarch/cache';

describe('ownFilesNotes', () => {
  it('names each image whose context holds the cache directory (put there by the user) or a layout target, with the line to add', async () => {
    const config = localConfig({ web: { context: '.' } });
    const withLayout = {
      ...config,
      registries: { ...config.registries, oci: { url: 'oci:./out/oci' } },
      images: { ...config.images, base: { ...config.images.base, publish: [...config.images.base.publish, { registry: 'oci', repository: 'team/base' }] } },
    };
    const notes = await ownFilesNotes(plan(withLayout), CACHE, undefined);
    expect(notes).toEqual([
      { image: 'web', message: 'its build context holds .multiarch/cache/, multiarch\'s own files: they are not inputs (never a reason to rebuild), but the engine is sent them with every build — add ".multiarch/cache" to .dockerignore' },
      { image: 'web', message: 'its build context holds out/oci/, multiarch\'s own files: they are not inputs (never a reason to rebuild), but the engine is sent them with every build — add "out/oci" to .dockerignore' },
    ]);
  });

  it('says nothing when no context holds them (contexts in their own folders, a cache elsewhere)', async () => {
    expect(await ownFilesNotes(plan(localConfig()), CACHE, undefined)).toEqual([]);
    expect(await ownFilesNotes(plan(localConfig({ web: { context: '.' } })), '/var/cache/multiarch', undefined)).toEqual([]);
  });
});
