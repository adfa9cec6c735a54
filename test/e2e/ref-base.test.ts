/**
 * `ref('base')`: app is built, per platform, on the digest base was published under for that same
 * platform — checked from app's own image (the BASE arg it recorded as a label, and its layers).
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { dockerRunPlatform } from './support/docker.js';
import { testEnv } from './support/env.js';
import { isIndex, skopeoInspectRaw, type ImageManifest } from './support/registry.js';

const CONFIG = 'examples/base-and-app/multiarch.config.ts';

describe('ref() between images', () => {
  it('builds app on base for the same platform, after base is pushed', async () => {
    const { registry } = testEnv();
    const run = await multiarch(['apply', '--config', CONFIG, '--json']);
    expect(run.exitCode, run.all).toBe(0);
    const events = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; id?: string; status?: string });
    const ended = (id: string) => events.findIndex((e) => e.type === 'node:end' && e.id === id);
    const started = (id: string) => events.findIndex((e) => e.type === 'node:start' && e.id === id);
    for (const p of ['linux/amd64', 'linux/arm64']) {
      expect(ended(`push:base@${p}->local`)).toBeGreaterThan(-1);
      expect(started(`build:app@${p}`)).toBeGreaterThan(ended(`push:base@${p}->local`));
    }

    for (const [platform, machine] of [['linux/amd64', 'x86_64'], ['linux/arm64', 'aarch64']] as const) {
      const slug = platform.replaceAll('/', '-');
      const baseRef = `${registry}/examples/team-base:v1-${slug}`;
      const baseManifest = (await skopeoInspectRaw(baseRef)) as ImageManifest;
      const baseDigest = await manifestDigest(baseRef);
      const appRef = `${registry}/examples/app:v1-${slug}`;
      const appManifest = (await skopeoInspectRaw(appRef)) as ImageManifest;
      // app's layers start with exactly base's layers for this platform.
      expect(appManifest.layers.slice(0, baseManifest.layers.length).map((l) => l.digest)).toEqual(baseManifest.layers.map((l) => l.digest));
      const label = await appLabel(appRef, 'dev.multiarch.example.base');
      expect(label).toBe(`${registry}/examples/team-base@${baseDigest}`);
      expect((await dockerRunPlatform(appRef, platform, ['/usr/local/bin/hello'])).trim()).toBe(`hello from ${machine}, on a base built for ${machine}`);
    }
    const index = await skopeoInspectRaw(`${registry}/examples/app:v1`);
    expect(isIndex(index)).toBe(true);
  });
});

async function manifestDigest(ref: string): Promise<string> {
  const r = await execa('skopeo', ['inspect', '--tls-verify=false', '--no-creds', '--format', '{{.Digest}}', `docker://${ref}`]);
  return r.stdout.trim();
}

async function appLabel(ref: string, key: string): Promise<string | undefined> {
  const r = await execa('skopeo', ['inspect', '--tls-verify=false', '--no-creds', '--config', `docker://${ref}`]);
  return (JSON.parse(r.stdout) as { config?: { Labels?: Record<string, string> } }).config?.Labels?.[key];
}
