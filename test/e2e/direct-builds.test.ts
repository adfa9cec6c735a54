/**
 * Images without RUN, assembled without an engine: a corpus of RUN-less Dockerfiles is applied
 * with no engine reachable (DOCKER_HOST pointing nowhere), then built by `docker build` on the real
 * engine for linux/amd64, linux/arm64 and linux/arm/v7; the configs and the file trees (path,
 * mode, uid, gid, link target, content hash) of both must match field by field, and each direct
 * image runs on its platform.
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, realpathSync, symlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { dockerRunPlatform, removeImages } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { registryImage, savedImage, type ImageView } from './support/image-tree.js';

const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] as const;

/** The RUN-less cases: config instructions, copies of every shape, stages, scratch, ADD of a tar. */
function corpus(base: string): Record<string, string> {
  return {
    'basic/Dockerfile': `FROM ${base}
ARG NAME=world
ENV GREETING="hello \${NAME}" PATH=$PATH:/opt/bin
LABEL org.example.a=b "org.example.c"="d e"
WORKDIR /srv/app
COPY note.txt .
COPY sub /data/
COPY *.md docs/
COPY passwd group /etc/
COPY --chown=app:staff --chmod=640 note.txt /owned/by-name.txt
COPY --chown=1234 note.txt /owned/by-id.txt
COPY run.sh /usr/local/bin/
USER app
WORKDIR /home/app/work
EXPOSE 8080 53/udp
VOLUME ["/var/cache/app"]
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --retries=2 CMD ["cat", "/srv/app/note.txt"]
SHELL ["/bin/sh", "-ec"]
ONBUILD COPY . /onbuild
ENTRYPOINT ["cat"]
CMD ["/srv/app/note.txt"]
`,
    'basic/note.txt': 'hello from the context\n',
    'basic/sub/x.txt': 'x\n',
    'basic/sub/deeper/y.txt': 'y\n',
    'basic/a.md': 'a\n',
    'basic/b.md': 'b\n',
    'basic/skip/keep.txt': 'kept by a ! rule\n',
    'basic/skip/drop.txt': 'dropped\n',
    'basic/run.sh': '#!/bin/sh\necho run\n',
    'basic/passwd': 'root:x:0:0:root:/root:/bin/sh\napp:x:1234:2345::/home/app:/bin/sh\n',
    'basic/group': 'root:x:0:\napp:x:2345:\nstaff:x:50:\n',
    'basic/.dockerignore': 'sub/deeper/y.txt\nskip\n!skip/keep.txt\n',
    'stages/Dockerfile': `FROM scratch AS files
COPY tree/ /
ADD archive.tar.gz /unpacked/
COPY links/ /links/
FROM ${base} AS middle
COPY --from=files / /from-scratch/
FROM middle
ENV MODE=final
COPY --from=0 /hello.txt /copied/
COPY --from=files /links/sub/ /linkless/
COPY links/a.txt links/b.txt /separate/
COPY links/*.txt /globbed/
COPY --chown=5:6 links /owned-links/
ENTRYPOINT echo shell form
`,
    // links/b.txt and links/sub/c.txt are hardlinks of links/a.txt (made in the test).
    'stages/links/a.txt': 'one file, three names\n',
    'stages/links/z.txt': 'alone\n',
    'stages/tree/hello.txt': 'hello\n',
    'stages/tree/dir/inner.txt': 'inner\n',
  };
}

function withoutGitLabels(view: ImageView): ImageView {
  const labels = view.config.Labels as Record<string, string> | null;
  const kept = labels ? Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('org.opencontainers.image.') && !k.startsWith('dev.multiarch.'))) : {};
  return { config: { ...view.config, Labels: Object.keys(kept).length > 0 ? kept : null }, tree: view.tree };
}

describe('direct builds (no engine)', () => {
  it('applies with no engine reachable, and matches docker build per platform: config and file tree', async () => {
    const { registry, baseImage } = testEnv();
    const stamp = Date.now().toString(36);
    const repo = (name: string) => `direct18-e2e/${name}-${stamp}`;
    const dir = makeFixture({
      ...corpus(baseImage),
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    basic: { context: './basic', platforms: ${JSON.stringify(PLATFORMS)}, tags: ['v1'], build: { engine: 'direct' }, publish: [{ registry: 'local', repository: '${repo('basic')}' }] },
    stages: { context: './stages', platforms: ${JSON.stringify(PLATFORMS)}, tags: ['v1'], publish: [{ registry: 'local', repository: '${repo('stages')}' }] },
  },
});
`,
    });
    chmodSync(path.join(dir, 'basic/run.sh'), 0o755);
    chmodSync(path.join(dir, 'basic/sub/x.txt'), 0o600);
    symlinkSync('x.txt', path.join(dir, 'basic/sub/link'));
    mkdirSync(path.join(dir, 'stages/links/sub'));
    linkSync(path.join(dir, 'stages/links/a.txt'), path.join(dir, 'stages/links/b.txt'));
    linkSync(path.join(dir, 'stages/links/a.txt'), path.join(dir, 'stages/links/sub/c.txt'));
    // A tar with its own owners and modes, as ADD unpacks it.
    await execa('tar', ['-czf', path.join(dir, 'stages/archive.tar.gz'), '--owner=7', '--group=8', '--mode=go-w', '-C', path.join(dir, 'stages/tree'), '.']);

    const nowhere = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const plan = await multiarch(['plan', '--json'], { cwd: dir, env: nowhere });
    expect(plan.exitCode, plan.all).toBe(0);
    const apply = await multiarch(['apply'], { cwd: dir, env: nowhere });
    expect(apply.exitCode, apply.all).toBe(0);

    const tags: string[] = [];
    for (const name of ['basic', 'stages']) {
      for (const platform of PLATFORMS) {
        const tag = `direct18-cmp/${name}-${stamp}:${platform.replaceAll('/', '-')}`;
        tags.push(tag);
        // The 20.10 client's built-in BuildKit (the engine's), as the other e2e comparisons use.
        await execa('/usr/bin/docker', ['build', '--quiet', '--platform', platform, '-t', tag, path.join(dir, name)], { env: { DOCKER_BUILDKIT: '1' }, stdin: 'ignore' });
        const built = withoutGitLabels(await savedImage(tag));
        const direct = withoutGitLabels(await registryImage(registry, repo(name), 'v1', platform));
        expect(direct.config, `${name} ${platform} config`).toEqual(built.config);
        expect(direct.tree, `${name} ${platform} files`).toEqual(built.tree);
        // Not vacuous: a directory copy keeps the context's hardlinks as hardlinks.
        if (name === 'stages') expect(direct.tree['/owned-links/b.txt']).toMatchObject({ type: 'hardlink', link: '/owned-links/a.txt' });
      }
    }
    for (const platform of PLATFORMS) {
      const out = await dockerRunPlatform(`${registry}/${repo('basic')}:v1`, platform, []);
      expect(out.trim()).toBe('hello from the context');
    }
    await removeImages(...tags);
  });

  it('gives the same digest from two checkouts with other paths and file times', async () => {
    const { baseImage } = testEnv();
    const files = {
      'app/Dockerfile': `FROM ${baseImage}\nWORKDIR /srv\nCOPY . .\nCMD ["cat", "/srv/a.txt"]\n`,
      'app/a.txt': 'same\n',
      'app/dir/b.txt': 'same too\n',
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { out: { url: 'oci:./out' } },
  images: { app: { context: './app', platforms: ${JSON.stringify(PLATFORMS)}, tags: ['v1'], publish: [{ registry: 'out', repository: 'team/app' }] } },
});
`,
    };
    const digests: string[] = [];
    for (const [i, when] of [new Date('2001-01-01'), new Date('2025-06-01')].entries()) {
      const dir = makeFixture(files, { prefix: `checkout-${i}-` });
      for (const f of ['app/a.txt', 'app/dir/b.txt', 'app/dir', 'app']) utimesSync(path.join(dir, f), when, when);
      const run = await multiarch(['apply'], { cwd: dir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', MULTIARCH_CACHE_DIR: path.join(dir, 'cache') } });
      expect(run.exitCode, run.all).toBe(0);
      const index = JSON.parse(readFileSync(path.join(dir, 'out/index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
      digests.push(index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === 'team/app:v1')!.digest);
    }
    expect(digests[1]).toBe(digests[0]);
  });

  it('sends an image whose ADD unpacks an xz or bzip2 archive to the engine, naming the file (Node cannot unpack them)', async () => {
    const dir = makeFixture({
      'app/Dockerfile': 'FROM scratch\nARG TARGETARCH\nCOPY tree/ /plain/\nADD rootfs-${TARGETARCH}.tar.xz /\n',
      'app/tree/a.txt': 'a\n',
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({ images: { app: { context: './app', platforms: ['linux/amd64'], tags: ['v1'] } } });
`,
    });
    await execa('tar', ['-cJf', path.join(dir, 'app/rootfs-amd64.tar.xz'), '-C', path.join(dir, 'app/tree'), '.']);
    const nowhere = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const plan = await multiarch(['plan', '--json'], { cwd: dir, env: nowhere });
    expect(plan.exitCode, plan.all).toBe(0);
    type PlanJson = { images: Array<{ nodes: Array<{ id: string; path?: string; engineReason?: string | null }> }> };
    const buildOf = (stdout: string) => (JSON.parse(stdout) as PlanJson).images[0]!.nodes.find((n) => n.id === 'build:app@linux/amd64');
    const build = buildOf(plan.stdout);
    expect(build).toMatchObject({ path: 'engine', engineReason: 'ADD (line 4) unpacks rootfs-amd64.tar.xz, compressed with xz (multiarch unpacks plain and gzip tars only)' });
    // With the archive gzip'd instead, the same Dockerfile is assembled.
    await execa('tar', ['-czf', path.join(dir, 'app/rootfs-amd64.tar.xz'), '-C', path.join(dir, 'app/tree'), '.']);
    const again = await multiarch(['plan', '--json'], { cwd: dir, env: nowhere });
    expect(again.exitCode, again.all).toBe(0);
    expect(buildOf(again.stdout)?.path).toBe('direct');
  });

  it("refuses build.engine 'direct' on a Dockerfile with RUN, naming the instruction and its line", async () => {
    const dir = makeFixture({
      'app/Dockerfile': 'FROM busybox\nCOPY a /a\nRUN echo hi\n',
      'app/a': 'a\n',
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({ images: { app: { context: './app', platforms: ['linux/amd64'], tags: ['v1'], build: { engine: 'direct' } } } });
`,
    });
    const run = await multiarch(['plan'], { cwd: dir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(run.exitCode).toBe(1);
    expect(run.all).toContain("images.app.build.engine is 'direct'");
    expect(run.all).toMatch(/Dockerfile:3: RUN runs a command/);
  });

  it('scans an assembled image with no engine (the scanner reads an archive written from the blob store)', async () => {
    const { registry, baseImage } = testEnv();
    const stamp = Date.now().toString(36);
    const dir = makeFixture({
      'app/Dockerfile': `FROM ${baseImage}\nLABEL e2e.scan.reports="*=trivy-clean.json"\nCOPY a.txt /a.txt\n`,
      'app/a.txt': 'a\n',
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  scan: { scanner: 'trivy', failOn: 'high', cacheDir: '.scanner-cache' },
  images: { app: { context: './app', platforms: ['linux/amd64', 'linux/arm/v7'], tags: ['v1'], publish: [{ registry: 'local', repository: 'direct18-e2e/scan-${stamp}' }] } },
});
`,
    });
    const fakes = path.join(path.dirname(new URL(import.meta.url).pathname), 'support/fake-scanners');
    const run = await multiarch(['apply', '--json'], {
      cwd: dir,
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', PATH: `${fakes}:${process.env.PATH}`, FAKE_SCANNER_LOG: path.join(dir, 'calls.ndjson'), FAKE_EXPECT_CACHE_DIR: path.join(realpathSync(dir), '.scanner-cache') },
    });
    expect(run.exitCode, run.all).toBe(0);
    const events = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; id?: string; status?: string; message?: string });
    const ends = events.filter((e) => e.type === 'node:end');
    expect(ends.filter((e) => e.id?.startsWith('scan:')).map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
    // The pushes read the assembled images from the blob store: no engine is named, none was asked.
    const pushProgress = events.filter((e) => e.type === 'node:progress' && e.id?.startsWith('push:')).map((e) => e.message);
    expect(pushProgress.filter((m) => m === 'reading the assembled image')).toHaveLength(2);
    expect(pushProgress.some((m) => m?.includes('engine'))).toBe(false);
    const calls = readFileSync(path.join(dir, 'calls.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { architecture?: string });
    expect(calls.flatMap((c) => (c.architecture ? [c.architecture] : [])).sort()).toEqual(['amd64', 'arm']);
  });
});
