/**
 * Images without RUN, assembled without an engine: a corpus of RUN-less Dockerfiles is applied
 * with no engine reachable (DOCKER_HOST pointing nowhere), then built by `docker build` on the real
 * engine for linux/amd64, linux/arm64 and linux/arm/v7; the configs and the file trees (path,
 * mode, uid, gid, link target, content hash) of both must match field by field, and each direct
 * image runs on its platform.
 */
import { chmodSync, symlinkSync } from 'node:fs';
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
FROM ${base} AS middle
COPY --from=files / /from-scratch/
FROM middle
ENV MODE=final
COPY --from=0 /hello.txt /copied/
ENTRYPOINT echo shell form
`,
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
      }
    }
    for (const platform of PLATFORMS) {
      const out = await dockerRunPlatform(`${registry}/${repo('basic')}:v1`, platform, []);
      expect(out.trim()).toBe('hello from the context');
    }
    await removeImages(...tags);
  });
});
