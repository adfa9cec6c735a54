/**
 * `multiarch init --ci github|gitlab` through the installed CLI, in a git repository whose config
 * sits in a subfolder: the workflow lands at the repository root and names the config relative to
 * it, the config's bytes stay as they were, an existing workflow is kept without --force, and a dry
 * run writes nothing. The GitHub workflow passes the same schema check as the generator's unit
 * tests. Needs no docker: only the CLI (dist/, built by `npm test`) and git.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCli } from '../../src/cli/args.js';
import { CI_WORKFLOW_FILES, type CiProvider } from '../../src/ci/ci-provider.js';
import { expandWords, splitWords } from '../../src/dockerfile/words.js';
import { checkGithub, type Workflow } from '../unit/ci/github-workflow-check.js';
import { multiarch } from './support/cli.js';
import { configSource } from './support/config-fixture.js';
import { makeFixture } from './support/fixtures.js';

const CONFIG_PATH = 'deploy/multiarch.config.ts';
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

/** A git repository with the config in deploy/, publishing to Docker Hub, GHCR, ECR and quay.io. */
async function repository(): Promise<string> {
  const dir = makeFixture({
    'README.md': '# app\n',
    'deploy/app/Dockerfile': 'FROM scratch\nCOPY Dockerfile /\n',
    [CONFIG_PATH]: configSource({
      registries: { hub: { url: 'docker.io' }, ghcr: { url: 'ghcr.io' }, ecr: { url: '123456789012.dkr.ecr.us-west-2.amazonaws.com' }, quay: { url: 'quay.io' } },
      images: {
        app: {
          context: './app',
          platforms: PLATFORMS,
          tags: ['v1'],
          publish: ['hub', 'ghcr', 'ecr', 'quay'].map((registry) => ({ registry, repository: 'acme/app' })),
        },
      },
    }),
  });
  // Its own repository: the fixture folder lies inside multiarch's checkout, whose root is not the one meant.
  await execa('git', ['init', '-q'], { cwd: dir });
  return dir;
}

/** Every file below `dir` but .git's, for "nothing was written". */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('.git' + path.sep) && f !== '.git').sort();
}

/** The config's folder with the default config lookup (github), or the root with -c (gitlab). */
const RUN: Record<CiProvider, { cwd: string; args: string[]; shown: string }> = {
  github: { cwd: 'deploy', args: [], shown: '../.github/workflows/multiarch.yml' },
  gitlab: { cwd: '.', args: ['-c', CONFIG_PATH], shown: '.gitlab-ci.yml' },
};

const SUMMARY: Record<CiProvider, string> = {
  github:
    'linux/amd64 on ubuntu-24.04 (native), linux/arm64 on ubuntu-24.04-arm (native), linux/arm/v7 on ubuntu-24.04 (QEMU); ' +
    'set variables DOCKERHUB_USERNAME, AWS_ROLE_ARN, QUAY_USERNAME and secrets DOCKERHUB_TOKEN, QUAY_PASSWORD (Settings → Secrets and variables → Actions).',
  gitlab:
    'linux/amd64 on saas-linux-small-amd64 (native), linux/arm64 on saas-linux-small-arm64 (native), linux/arm/v7 on saas-linux-small-amd64 (QEMU); ' +
    'set variables DOCKERHUB_USERNAME, GHCR_USERNAME, AWS_ROLE_ARN, QUAY_USERNAME and masked variables DOCKERHUB_TOKEN, GHCR_TOKEN, QUAY_PASSWORD (Settings → CI/CD → Variables).',
};

interface RunLine {
  readonly job: string;
  readonly line: string;
  /** The environment the line runs in: the workflow's variables and its matrix entry's. */
  readonly env: Record<string, string>;
  /** What `shards/*` expands to in the merge job: one folder per platform's artifact. */
  readonly shards: readonly string[];
}

/** The `npx multiarch` lines of a GitHub workflow, once per matrix entry, `${{ matrix.x }}` filled in. */
function githubRunLines(text: string): RunLine[] {
  const workflow = parse(text) as Workflow;
  const build = workflow.jobs.build!.strategy!.matrix.include;
  const shards = build.map((entry) => `shards/shard-${String(entry.slug)}`);
  return Object.entries(workflow.jobs).flatMap(([job, { strategy, steps }]) =>
    (strategy?.matrix.include ?? [{}]).flatMap((entry) =>
      steps
        .filter((s) => s.run?.includes('npx multiarch'))
        .map((s) => ({ job, line: s.run!.replace(/\$\{\{ matrix\.(\w+) \}\}/g, (_m, key: string) => String(entry[key])), env: { RUNNER_TEMP: '/home/runner/work/_temp', ...workflow.env }, shards })),
    ),
  );
}

/** The `npx multiarch` lines of a GitLab pipeline, once per `parallel: matrix` entry. */
function gitlabRunLines(text: string): RunLine[] {
  const pipeline = parse(text) as Record<string, { script?: string[]; parallel?: { matrix: Array<Record<string, string>> } }> & { variables: Record<string, string> };
  const shards = pipeline.build!.parallel!.matrix.map((entry) => `shards/${entry.SLUG}`);
  return ['build', 'merge'].flatMap((job) =>
    (pipeline[job]!.parallel?.matrix ?? [{}]).flatMap((entry) =>
      pipeline[job]!.script!.filter((l) => l.includes('npx multiarch')).map((line) => ({ job, line, env: { ...pipeline.variables, ...entry }, shards })),
    ),
  );
}

/** The arguments a shell would pass to `multiarch`: `shards/*` globbed, variables expanded, quotes removed. */
function argvOf({ line, env, shards }: RunLine): string[] {
  const words = splitWords(line.replace('shards/*', shards.join(' ')));
  expect(words.slice(0, 2)).toEqual(['npx', 'multiarch']);
  for (const [, name] of line.matchAll(/\$\{?(\w+)/g)) expect(env, `${line} reads $${name}`).toHaveProperty(name!);
  return words.slice(2).map((word) => expandWords(word, env));
}

const RUN_LINES: Record<CiProvider, (text: string) => RunLine[]> = { github: githubRunLines, gitlab: gitlabRunLines };

describe.each(['github', 'gitlab'] as const)('multiarch init --ci %s', (provider) => {
  const { cwd, args, shown } = RUN[provider];

  it('writes the workflow at the repository root for the existing config, leaving the config as it was', async () => {
    const dir = await repository();
    const config = readFileSync(path.join(dir, CONFIG_PATH));
    const written = await multiarch(['init', '--ci', provider, ...args], { cwd: path.join(dir, cwd) });
    expect(written.exitCode, written.all).toBe(0);
    expect(written.stdout).toBe(`Wrote ${shown}: ${SUMMARY[provider]}`); // execa strips the final newline
    expect(readFileSync(path.join(dir, CONFIG_PATH)).equals(config)).toBe(true);
    const text = readFileSync(path.join(dir, CI_WORKFLOW_FILES[provider]), 'utf8');
    expect(text.split('\n')[0]).toBe(`# Generated by multiarch for ${CONFIG_PATH} (templates/ci/${provider}.yml, docs/builders.md).`);
    if (provider === 'github') {
      const workflow = checkGithub(text);
      expect(workflow.env).toEqual({ MULTIARCH_CONFIG: CONFIG_PATH });
      expect(workflow.jobs.build!.strategy!.matrix.include.map((e) => e.platform)).toEqual(PLATFORMS);
    } else {
      expect((parse(text) as { variables: unknown }).variables).toEqual({ MULTIARCH_CONFIG: CONFIG_PATH });
    }
    // Every multiarch run names the config through that variable: the path relative to the root.
    const lines = RUN_LINES[provider](text);
    expect(lines.map((l) => l.job)).toEqual([...PLATFORMS.map(() => 'build'), 'merge']);
    for (const { line } of lines) expect(line).toContain('--config "$MULTIARCH_CONFIG"');
  });

  it('keeps an existing workflow without --force, and replaces it with --force', async () => {
    const dir = await repository();
    const first = await multiarch(['init', '--ci', provider, ...args], { cwd: path.join(dir, cwd) });
    expect(first.exitCode, first.all).toBe(0);
    const file = path.join(dir, CI_WORKFLOW_FILES[provider]);
    const before = readFileSync(file, 'utf8');
    const again = await multiarch(['init', '--ci', provider, ...args], { cwd: path.join(dir, cwd) });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`error ${shown} already exists; nothing was written`);
    expect(again.stderr).toContain('hint: pass --force to replace it, or --dry-run to print the new workflow and compare');
    expect(again.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(before);
    const forced = await multiarch(['init', '--ci', provider, '--force', ...args], { cwd: path.join(dir, cwd) });
    expect(forced.exitCode, forced.all).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('prints the workflow with --dry-run and writes nothing', async () => {
    const dir = await repository();
    const files = tree(dir);
    const dry = await multiarch(['init', '--ci', provider, '--dry-run', ...args], { cwd: path.join(dir, cwd) });
    expect(dry.exitCode, dry.all).toBe(0);
    expect(tree(dir)).toEqual(files);
    const written = await multiarch(['init', '--ci', provider, ...args], { cwd: path.join(dir, cwd) });
    expect(written.exitCode, written.all).toBe(0);
    expect(readFileSync(path.join(dir, CI_WORKFLOW_FILES[provider]), 'utf8')).toBe(`${dry.stdout}\n`);
  });

  it('runs multiarch with arguments the real parser takes: a shard per platform, then one merge of them all', async () => {
    const dir = await repository();
    const written = await multiarch(['init', '--ci', provider, ...args], { cwd: path.join(dir, cwd) });
    expect(written.exitCode, written.all).toBe(0);
    const lines = RUN_LINES[provider](readFileSync(path.join(dir, CI_WORKFLOW_FILES[provider]), 'utf8'));
    const parsed = lines.map((l) => ({ job: l.job, options: parseCli(argvOf(l)) }));
    expect(parsed.map(({ job, options }) => [job, options.command, options.config, options.platforms])).toEqual([
      ...PLATFORMS.map((platform) => ['build', 'apply', CONFIG_PATH, [platform]]),
      ['merge', 'apply', CONFIG_PATH, []],
    ]);
    // Every build job writes its shard outside the checkout; the merge takes one shard per platform
    // (how each travels between the jobs is checked in test/unit/ci/workflows.test.ts).
    for (const p of parsed.filter((x) => x.job === 'build')) expect(p.options.shardOut).toMatch(/^\/(home\/runner\/work\/_temp|tmp)\/shard-linux-/);
    expect(parsed.find((p) => p.job === 'merge')!.options.merge).toHaveLength(PLATFORMS.length);
  });
});
