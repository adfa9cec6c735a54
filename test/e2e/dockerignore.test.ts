/**
 * The context multiarch hashes is exactly the context Docker's builder sees: a tricky
 * .dockerignore (re-includes, `**`, anchoring, directories), and a Dockerfile-specific ignore file
 * that takes precedence, checked against what BuildKit copies with `COPY . /` (exported with
 * `--output type=local`, no container run).
 */
import { mkdtempSync, readdirSync, lstatSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import process from 'node:process';
import { detectBuilder } from '../../src/facts/docker-client.js';
import { contextRulesFor } from '../../src/inputs/context-rules.js';
import { FileHashCache } from '../../src/inputs/hash-cache.js';
import { snapshotContext } from '../../src/inputs/snapshot-context.js';
import { makeFixture } from './support/fixtures.js';

const IGNORE = `# comment
*.log
!important.log
build
!build/keep/**
**/*.tmp
docs/*
!docs/README.md
temp?
/secret
node_modules
vendor
!vendor/**/*.go
a*/x
**bar
`;

const FILES: Record<string, string> = {
  'ctx/.dockerignore': IGNORE,
  'ctx/app.log': '', 'ctx/important.log': '', 'ctx/nested/x.log': '', 'ctx/nested/y.tmp': '',
  'ctx/build/out.o': '', 'ctx/build/keep/k.txt': '', 'ctx/build/keep/deep/d.txt': '',
  'ctx/src/a.tmp': '', 'ctx/src/b.txt': '', 'ctx/a.tmp': '',
  'ctx/docs/README.md': '', 'ctx/docs/other.md': '', 'ctx/docs/sub/x.md': '',
  'ctx/tempa': '', 'ctx/temp': '', 'ctx/tempab': '', 'ctx/secret': '', 'ctx/secret2': '',
  'ctx/node_modules/pkg/index.js': '', 'ctx/vendor/lib/x.go': '', 'ctx/vendor/lib/x.c': '',
  'ctx/abc/x': '', 'ctx/abc/y': '', 'ctx/ax/x/z': '', 'ctx/foobar': '', 'ctx/sub/bar': '',
  'Dockerfile.ctx': 'FROM scratch\nCOPY . /\n',
};

/** What BuildKit's `COPY . /` put in the image, as relative paths (directories too). */
async function dockerSees(dir: string, dockerfile: string): Promise<string[]> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'multiarch-ctx-'));
  try {
    await execa('/usr/bin/docker', ['build', '--quiet', '--output', `type=local,dest=${out}`, '--file', dockerfile, path.join(dir, 'ctx')], {
      env: { DOCKER_BUILDKIT: '1' },
      stdin: 'ignore',
    });
    return list(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function list(root: string, rel = ''): string[] {
  return readdirSync(path.join(root, rel)).sort().flatMap((name) => {
    const p = rel ? `${rel}/${name}` : name;
    return lstatSync(path.join(root, p)).isDirectory() ? [p, ...list(root, p)] : [p];
  });
}

/** What multiarch hashes, with the rules it picks for the builder this machine has. */
async function multiarchSees(dir: string, dockerfile: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const { choice } = await detectBuilder(env);
  const snapshot = await snapshotContext({
    context: path.join(dir, 'ctx'),
    dockerfile,
    builder: choice.kind,
    rules: contextRulesFor(choice.kind, choice.client.version),
    cache: FileHashCache.empty(),
  });
  return Object.keys(snapshot.files).sort();
}

function fixture(extra: Record<string, string> = {}): string {
  const dir = makeFixture({ ...FILES, ...extra });
  mkdirSync(path.join(dir, 'ctx/emptydir'));
  symlinkSync('src/b.txt', path.join(dir, 'ctx/link'));
  return dir;
}

/** What the legacy builder's `COPY . /ctx/` put in the image (read back with docker export). */
async function legacySees(dir: string, dockerfile: string): Promise<string[]> {
  const { choice } = await detectBuilder({ ...process.env, MULTIARCH_BUILDER: 'legacy' });
  const docker = (args: string[]) => execa(choice.client.binary, args, { env: { DOCKER_BUILDKIT: '0' }, stdin: 'ignore' });
  const tag = `multiarch-e2e-ctx:${Date.now()}`;
  const out = mkdtempSync(path.join(os.tmpdir(), 'multiarch-ctx-'));
  try {
    await docker(['build', '--quiet', '--tag', tag, '--file', dockerfile, path.join(dir, 'ctx')]);
    const id = (await docker(['create', tag, '/none'])).stdout.trim();
    await docker(['export', '--output', path.join(out, 'fs.tar'), id]);
    await docker(['rm', id]);
    const listing = (await execa('tar', ['-tf', path.join(out, 'fs.tar')])).stdout.split('\n');
    return listing.filter((l) => l.startsWith('ctx/') && l !== 'ctx/').map((l) => l.slice(4).replace(/\/$/, '')).sort();
  } finally {
    await docker(['image', 'rm', '--force', tag]).catch(() => undefined);
    rmSync(out, { recursive: true, force: true });
  }
}

describe('build context', () => {
  it('is what BuildKit copies, for a .dockerignore with re-includes, ** and anchoring', async () => {
    const dir = fixture();
    const dockerfile = path.join(dir, 'Dockerfile.ctx');
    const docker = await dockerSees(dir, dockerfile);
    expect(docker).toContain('important.log');
    expect(docker).not.toContain('app.log');
    expect(await multiarchSees(dir, dockerfile)).toEqual(docker);
  });

  it('prefers the Dockerfile-specific ignore file over the context one', async () => {
    const dir = fixture({ 'Dockerfile.ctx.dockerignore': '*\n!src\n!docs/*.md\n' });
    const dockerfile = path.join(dir, 'Dockerfile.ctx');
    const docker = await dockerSees(dir, dockerfile);
    expect(docker).toContain('src/b.txt');
    expect(docker).not.toContain('important.log');
    expect(await multiarchSees(dir, dockerfile)).toEqual(docker);
  });
});

describe('build context, legacy builder', () => {
  it('is what the legacy builder copies', async () => {
    const dir = fixture({ 'Dockerfile.ctx': 'FROM scratch\nCOPY . /ctx/\n' });
    const dockerfile = path.join(dir, 'Dockerfile.ctx');
    const docker = await legacySees(dir, dockerfile);
    expect(docker).toContain('important.log');
    expect(await multiarchSees(dir, dockerfile, { ...process.env, MULTIARCH_BUILDER: 'legacy' })).toEqual(docker);
  });
});
