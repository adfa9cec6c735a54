/**
 * An OCI image layout as a publish target: apply writes a spec layout (oci-layout, index.json,
 * blobs/sha256) holding the multi-arch index and each platform image; skopeo reads it and copies it
 * (`skopeo copy --all oci:… docker://…`) to the registry, from which each platform pulls and runs.
 * A registry listed after the layout is filled from the layout, with the same digests.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { dockerRunPlatform, removeImages } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, platformsOf, skopeoInspectRaw, type RawManifest } from './support/registry.js';

async function skopeo(...args: string[]): Promise<string> {
  const r = await execa('skopeo', args, { reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`skopeo ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

describe('OCI image layout target', () => {
  it('writes a layout skopeo can inspect and copy --all to a registry, where each platform runs', async () => {
    const { registry, baseImage } = testEnv();
    const stamp = Date.now();
    const dir = makeFixture({
      'app/Dockerfile': `FROM ${baseImage}\nCOPY note.txt /note.txt\n`,
      'app/note.txt': `layout ${stamp}\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: {
    out: { url: 'oci:./out/oci' },
    local: { url: '${registry}', insecure: true },
  },
  images: {
    app: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      test: { command: ['uname', '-m'], expectOutput: '{uname}' },
      publish: [
        { registry: 'out', repository: 'team/app' },
        { registry: 'local', repository: 'e2e/layout-fanout-${stamp}' },
      ],
    },
  },
});
`,
    });
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode, run.all).toBe(0);
    const end = parseEvents(run.stdout).find((e) => e.type === 'run:end') as unknown as { summary: { published: Array<{ ref: string }> } };
    // As multiarch names it: resolved against the config file's real path.
    const layout = path.join(realpathSync(dir), 'out/oci');
    expect(end.summary.published.map((p) => p.ref)).toContain(`oci:${layout}:team/app:v1`);

    // The layout itself: version marker, named entries, content-addressed blobs.
    expect(JSON.parse(readFileSync(path.join(layout, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ mediaType: string; digest: string; annotations: Record<string, string> }> };
    expect(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort()).toEqual(['team/app:v1', 'team/app:v1-linux-amd64', 'team/app:v1-linux-arm64']);

    // skopeo reads it as the multi-arch image…
    const ref = `oci:${layout}:team/app:v1`;
    const raw = JSON.parse(await skopeo('inspect', '--raw', ref)) as RawManifest;
    expect(isIndex(raw) && platformsOf(raw)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(JSON.parse(await skopeo('inspect', `oci:${layout}:team/app:v1-linux-arm64`))).toMatchObject({ Architecture: 'arm64', Os: 'linux' });

    // …and copies all of it to a registry, digests and all.
    const target = `${registry}/e2e/layout-${stamp}:v1`;
    await skopeo('copy', '--all', '--quiet', '--dest-tls-verify=false', ref, `docker://${target}`);
    expect(await skopeoInspectRaw(target)).toEqual(raw);
    // The registry target of the same apply was copied from the layout: the same index.
    expect(await skopeoInspectRaw(`${registry}/e2e/layout-fanout-${stamp}:v1`)).toEqual(raw);

    for (const [platform, machine] of [['linux/amd64', 'x86_64'], ['linux/arm64', 'aarch64']] as const) {
      expect((await dockerRunPlatform(target, platform, ['uname', '-m'])).trim()).toBe(machine);
      expect((await dockerRunPlatform(target, platform, ['cat', '/note.txt'])).trim()).toBe(`layout ${stamp}`);
    }
    if (isIndex(raw)) await removeImages(...raw.manifests.map((m) => `${registry}/e2e/layout-${stamp}@${m.digest}`));
  });
});
