/**
 * multiarch's own directories in a build context that does not exclude them: with BuildKit the
 * plan leaves them out of what the engine is sent (ownDirs → the build node's `ignore`); with the
 * legacy builder it says they still reach the engine.
 */
import { describe, expect, it } from 'vitest';
import { ownFilesNotes } from '../../../src/facts/own-files.js';
import { localConfig, plan } from '../plan/fixtures.js';

const CACHE = '/abs/dir/.multiarch/cache';

describe('ownFilesNotes', () => {
  const config = localConfig({ web: { context: '.' } });
  const withLayout = {
    ...config,
    registries: { ...config.registries, oci: { url: 'oci:./out/oci' } },
    images: { ...config.images, base: { ...config.images.base, publish: [...config.images.base.publish, { registry: 'oci', repository: 'team/base' }] } },
  };

  it('BuildKit: names each image whose context holds the cache directory (put there by the user) or a layout target, and leaves them out of its builds', async () => {
    const { notes, ownDirs } = await ownFilesNotes(plan(withLayout), CACHE, undefined);
    const sent = '(added to the build\'s ignore rules; your .dockerignore is left as is)';
    expect(notes).toEqual([
      { image: 'web', message: `its build context holds .multiarch/cache/, multiarch's own files: they are not inputs (never a reason to rebuild) and the engine is not sent them ${sent}` },
      { image: 'web', message: `its build context holds out/oci/, multiarch's own files: they are not inputs (never a reason to rebuild) and the engine is not sent them ${sent}` },
    ]);
    expect(ownDirs).toEqual({ web: ['.multiarch/cache', 'out/oci'] });
    // createPlan carries them onto every build node of that image, and only that image.
    const planned = plan(withLayout, { ownDirs });
    const builds = Object.values(planned.nodes).filter((n) => n.kind === 'build');
    expect(builds.filter((n) => n.image === 'web').map((n) => n.kind === 'build' && n.ignore)).toEqual(builds.filter((n) => n.image === 'web').map(() => ['.multiarch/cache', 'out/oci']));
    expect(builds.filter((n) => n.image !== 'web').every((n) => n.kind === 'build' && n.ignore === undefined)).toBe(true);
  });

  it('legacy builder: it reads only the context\'s .dockerignore, so the plan says the engine is sent them, with the line to add', async () => {
    const { notes, ownDirs } = await ownFilesNotes(plan(withLayout), CACHE, { kind: 'legacy', version: '20.10.24' });
    expect(notes[1]).toEqual({
      image: 'web',
      message: 'its build context holds out/oci/, multiarch\'s own files: they are not inputs (never a reason to rebuild), but the legacy builder reads only .dockerignore, so the engine is sent them with every build — add "out/oci" to .dockerignore',
    });
    expect(ownDirs).toEqual({});
  });

  it('says nothing when no context holds them (contexts in their own folders, a cache elsewhere)', async () => {
    expect(await ownFilesNotes(plan(localConfig()), CACHE, undefined)).toEqual({ notes: [], ownDirs: {} });
    expect(await ownFilesNotes(plan(localConfig({ web: { context: '.' } })), '/var/cache/multiarch', undefined)).toEqual({ notes: [], ownDirs: {} });
  });
});
