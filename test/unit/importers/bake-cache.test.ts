import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate.js';
import { bakeCache } from '../../../src/importers/bake-cache.js';
import { targetsToConfig } from '../../../src/importers/targets-to-config.js';

const options = { sourceDir: '/p', configDir: '/p' };

describe('import bake: cache-from / cache-to', () => {
  it('translates registry, local and gha entries (CSV or objects), mode included; inline needs nothing', () => {
    const notes: string[] = [];
    const hosts: string[] = [];
    const cache = bakeCache(
      {
        'cache-from': ['type=registry,ref=ghcr.io/acme/app:buildcache', 'acme/app:cache', { type: 'local', src: './.cache' }, 'type=gha,scope=app'],
        'cache-to': ['type=registry,ref=ghcr.io/acme/app:buildcache,mode=max', 'type=inline', { type: 'gha', scope: 'app', mode: 'max' }, 'type=s3,region=eu-west-1,bucket=b'],
      },
      (host) => (hosts.push(host), host === 'ghcr.io' ? 'ghcr' : 'dockerhub'),
      (m) => notes.push(m),
      options,
    );
    expect(cache).toEqual({
      from: [
        { registry: 'ghcr', repository: 'acme/app', tag: 'buildcache' },
        { registry: 'dockerhub', repository: 'acme/app', tag: 'cache' },
        { type: 'local', dir: './.cache' },
        { type: 'gha', scope: 'app' },
      ],
      to: [{ registry: 'ghcr', repository: 'acme/app', tag: 'buildcache', mode: 'max' }, { type: 'gha', scope: 'app', mode: 'max' }],
    });
    expect(notes).toEqual(['cache-to "type=s3,region=eu-west-1,bucket=b": type=s3 has no multiarch equivalent (registry, local, gha)']);
  });

  it('writes them into the image, and the result is a valid config', () => {
    const { draft, notes } = targetsToConfig(
      { group: {}, target: { app: { context: '.', platforms: ['linux/amd64'], tags: ['ghcr.io/acme/app:v1'], 'cache-from': ['type=gha'], 'cache-to': ['type=gha,mode=max'] } } },
      [],
      { ...options, sourceName: 'docker-bake.hcl', defaultPlatforms: ['linux/amd64'] },
    );
    expect(notes.filter((n) => n.includes('cache'))).toEqual([]);
    const image = (draft.images as Record<string, Record<string, unknown>>).app!;
    expect(image.cache).toEqual({ from: [{ type: 'gha' }], to: [{ type: 'gha', mode: 'max' }] });
    const config = { registries: { ghcr: { url: 'ghcr.io' } }, images: { app: { context: '.', platforms: ['linux/amd64'], tags: ['v1'], cache: image.cache } } };
    expect(validateConfig(config, '/p/multiarch.config.ts').ok).toBe(true);
  });
});
