/**
 * Base images are read once per run: a tag pulled by every platform of every image is HEADed once
 * and its index read once, each platform then picking its own child.
 */
import { describe, expect, it } from 'vitest';
import type { RegistryAccess } from '../../../src/state/registry-access.js';
import { resolveBases } from '../../../src/state/resolve-bases.js';
import { StateStore } from '../../../src/state/state-store.js';
import { localConfig, plan } from '../plan/fixtures.js';

const digest = (seed: string) => `sha256:${seed.padEnd(64, '0')}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';

function countingAccess(): { access: RegistryAccess; calls: string[] } {
  const calls: string[] = [];
  const index = {
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: ['amd64', 'arm64', 'arm'].map((architecture) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digest(architecture),
      size: 400,
      platform: { os: 'linux', architecture, ...(architecture === 'arm' ? { variant: 'v7' } : {}) },
    })),
  };
  const client = {
    headManifest: async (repository: string, reference: string) => {
      calls.push(`HEAD ${repository}:${reference}`);
      return { digest: digest('index'), mediaType: INDEX, size: 900 };
    },
    getManifest: async (repository: string, reference: string) => {
      calls.push(`GET ${repository}@${reference}`);
      return { digest: reference, mediaType: INDEX, bytes: Buffer.from(JSON.stringify(index)) };
    },
  };
  const access = { client: () => client, store: () => client, limit: (fn: () => Promise<unknown>) => fn() } as unknown as RegistryAccess;
  return { access, calls };
}

describe('resolveBases', () => {
  it('HEADs a base tag once and reads its index once, however many platforms and images pull it', async () => {
    const p = plan(localConfig());
    const { access, calls } = countingAccess();
    const bases = await resolveBases(p, {
      access,
      store: new StateStore(undefined),
      kind: 'buildkit',
      buildPlatform: () => 'linux/amd64',
      now: '2026-12-06T00:00:00Z',
      read: async () => Buffer.from('FROM registry.example/hermetic/busybox:latest\nCOPY . /\n'),
    });
    expect(calls).toEqual(['HEAD hermetic/busybox:latest', `GET hermetic/busybox@${digest('index')}`]);
    const builds = Object.keys(bases);
    expect(builds.length).toBeGreaterThan(2);
    for (const id of builds) {
      const arch = id.endsWith('linux/arm64') ? 'arm64' : id.endsWith('linux/arm/v7') ? 'arm' : 'amd64';
      expect(bases[id]).toEqual([{ ref: 'registry.example/hermetic/busybox:latest', platform: id.slice(id.indexOf('@') + 1), digest: digest(arch) }]);
    }
  });
});
