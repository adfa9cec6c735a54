import { describe, expect, it } from 'vitest';
import type { BuildSpec } from '../../../src/exec/ports/builder.js';
import { toBuildCommand } from '../../../src/docker/build-command.js';
import { dockerfileMounts } from '../../../src/dockerfile/secret-mounts.js';
import { computeBuildInputs } from '../../../src/plan/incremental/inputs-digest.js';
import { describeInputChanges } from '../../../src/plan/incremental/reasons.js';
import type { InputsFacts } from '../../../src/plan/incremental/types.js';
import { checkBuildSecrets } from '../../../src/plan/secret-checks.js';
import { localConfig, node, plan, resolve } from '../plan/fixtures.js';

const secretConfig = (secrets: Record<string, unknown>, extra: Record<string, unknown> = {}) => localConfig({ web: { secrets, ...extra } });

describe('build secrets: config → plan → docker argv', () => {
  it('build nodes carry where each value comes from, never a value; files resolve against the config', () => {
    const p = plan(secretConfig({ npm: { env: 'NPM_TOKEN' }, key: { file: './secrets/key' } }, { ssh: ['default'] }));
    const build = node(p, 'build', 'build:web@linux/arm64');
    expect(build.secrets).toEqual({ npm: { env: 'NPM_TOKEN' }, key: { file: '/abs/dir/secrets/key' } });
    expect(build.ssh).toEqual({ default: {} });
    expect(node(p, 'build', 'build:base@linux/arm64').secrets).toBeUndefined();
  });

  it('rejects a source that is neither env nor file', () => {
    expect(() => resolve(secretConfig({ npm: { value: 'hunter2' } }))).toThrow(/secrets.*npm.*expected \{ env: .*NAME/s);
  });

  it('passes --secret and --ssh so the docker client reads the values itself', () => {
    const spec: BuildSpec = {
      context: '/c', dockerfile: '/c/Dockerfile', platform: { os: 'linux', architecture: 'arm64' }, args: {}, labels: {}, tag: 't',
      secrets: { npm: { env: 'NPM_TOKEN' }, key: { file: '/abs/key' } },
      ssh: { default: {}, work: { socket: '/run/agent.sock' } },
    };
    const { args } = toBuildCommand(spec, { kind: 'buildkit', iidFile: '/tmp/iid' });
    expect(args.slice(-9)).toEqual(['--secret', 'id=npm,env=NPM_TOKEN', '--secret', 'id=key,src=/abs/key', '--ssh', 'default', '--ssh', 'work=/run/agent.sock', '/c']);
  });
});

describe('dockerfileMounts', () => {
  it('finds secret and ssh mounts with their lines; ids default as BuildKit defaults them', () => {
    const text = [
      'FROM busybox',
      'RUN --mount=type=secret,id=token sha256sum /run/secrets/token > /h',
      'RUN --mount=type=secret,target=/run/secrets/npmrc,required \\',
      '    --mount=type=ssh true',
      'RUN echo --mount=type=secret,id=not-a-flag',
    ].join('\n');
    expect(dockerfileMounts(text)).toEqual({
      secrets: [
        { id: 'token', line: 2, required: false },
        { id: 'npmrc', line: 3, required: true },
      ],
      ssh: [{ id: 'default', line: 3, required: false }],
    });
  });
});

describe('checkBuildSecrets', () => {
  const web = resolve(secretConfig({ token: { env: 'TOKEN' }, spare: { env: 'SPARE' } })).images.web!;
  const mounts = { web: { secrets: [{ id: 'token', line: 2, required: false }, { id: 'npm', line: 5, required: false }], ssh: [{ id: 'default', line: 7, required: false }] } };
  const display = () => 'web/Dockerfile';

  it('a mount the config does not give is an error at its line; a secret nobody mounts is a note', () => {
    const r = checkBuildSecrets([web], { mounts, missing: {} }, display);
    expect(r.errors).toEqual([
      { where: 'web/Dockerfile:5', message: 'RUN mounts secret "npm", which images.web.secrets does not give' },
      { where: 'web/Dockerfile:7', message: 'RUN mounts SSH agent "default", which images.web.ssh does not forward' },
    ]);
    expect(r.notes).toEqual([{ image: 'web', message: 'secret "spare" is given but web/Dockerfile mounts it nowhere (RUN --mount=type=secret,id=spare)' }]);
  });

  it('missing sources and the legacy builder are errors naming what to fix', () => {
    const r = checkBuildSecrets([web], { mounts: {}, missing: { web: [{ field: 'secrets', id: 'token', problem: 'environment variable TOKEN is not set' }] }, builderKind: 'legacy' }, display);
    expect(r.errors.map((e) => `${e.where}: ${e.message}`)).toEqual([
      'images.web.secrets: the legacy builder cannot pass build secrets or SSH agents (image web)',
      'images.web.secrets.token: environment variable TOKEN is not set',
    ]);
  });
});

describe('secrets in the inputs digest', () => {
  const facts: InputsFacts = { builder: 'buildkit', images: { web: { context: 'sha256:c', dockerfile: 'sha256:d' } }, bases: {} } as unknown as InputsFacts;
  const digestOf = (secrets: Record<string, unknown>) => {
    const build = node(plan(secretConfig(secrets)), 'build', 'build:web@linux/amd64');
    return computeBuildInputs({ ...build, args: {} }, facts, () => 'x');
  };

  it('ids count, sources and values do not', () => {
    const a = digestOf({ token: { env: 'TOKEN' } });
    expect(digestOf({ token: { file: './elsewhere' } }).digest).toBe(a.digest);
    expect(a.json).not.toContain('TOKEN');
    const b = digestOf({ token: { env: 'TOKEN' }, npm: { env: 'NPM' } });
    expect(b.digest).not.toBe(a.digest);
    expect(describeInputChanges({ now: b.detail, before: a.detail })).toEqual(['secret "npm" added']);
  });
});
