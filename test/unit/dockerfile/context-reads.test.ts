import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextReads, readsPath, unionReads, type ContextReadsOptions } from '../../../src/dockerfile/context-reads.js';
import { readDockerfile } from '../../../src/dockerfile/read.js';
import { FileHashCache } from '../../../src/inputs/hash-cache.js';
import { snapshotContext } from '../../../src/inputs/snapshot-context.js';

const opts = (extra: Partial<ContextReadsOptions> = {}): ContextReadsOptions => ({ args: {}, platform: 'linux/arm64', buildPlatform: 'linux/amd64', ...extra });
const reads = (text: string, extra: Partial<ContextReadsOptions> = {}) => contextReads(readDockerfile(text), opts(extra));

describe('contextReads', () => {
  it('reads the sources of the stages the target reaches; --from a stage or an image reads no context', () => {
    const text = [
      'FROM golang:1.22 AS build',
      'COPY go.mod go.sum ./',
      'COPY cmd/ ./cmd/',
      'FROM busybox AS unused',
      'COPY docs /docs',
      'FROM busybox',
      'COPY --from=build /out/app /app',
      'COPY --from=nginx:1.27 /etc/nginx /etc/nginx',
      'COPY ["config/app.json", "/etc/app.json"]',
      '',
    ].join('\n');
    expect(reads(text)).toEqual({ paths: ['cmd', 'config/app.json', 'go.mod', 'go.sum'], notHashable: [] });
    expect(reads(text, { target: 'unused' }).paths).toEqual(['docs']);
    // The legacy builder runs every stage up to the target.
    expect(reads(text, { allStages: true }).paths).toEqual(['cmd', 'config/app.json', 'docs', 'go.mod', 'go.sum']);
  });

  it('expands ARG and ENV in sources as BuildKit does, build args included', () => {
    const text = 'ARG SERVICE=api\nFROM busybox\nARG SERVICE\nARG TARGETARCH\nENV LIB=libs/common\nARG UNSET_ARG\nCOPY services/${SERVICE}/ bin/$TARGETARCH/tool ${LIB:-none} ${UNSET_ARG:+x}/y /app/\n';
    expect(reads(text).paths).toEqual(['bin/arm64/tool', 'libs/common', 'services/api', 'y']);
    expect(reads(text, { args: { SERVICE: 'worker' } }).paths).toEqual(['bin/arm64/tool', 'libs/common', 'services/worker', 'y']);
  });

  it('keeps globs and cleans paths (./, .., leading /)', () => {
    const r = reads('FROM a\nCOPY ./src/*.ts /a/../lib/**/x.txt ../up /\n');
    expect(r.paths).toEqual(['lib/**/x.txt', 'src/*.ts', 'up']);
    expect(readsPath(r, 'src/main.ts')).toBe(true);
    expect(readsPath(r, 'src/sub/main.ts')).toBe(false);
    expect(readsPath(r, 'src/main.js')).toBe(false);
    expect(readsPath(r, 'lib/x.txt')).toBe(true);
    expect(readsPath(r, 'lib/a/b/x.txt')).toBe(true);
    expect(readsPath(r, 'up/deep/file')).toBe(true);
    expect(readsPath(r, 'upper')).toBe(false);
  });

  it('reads nothing for heredoc sources (they are in the Dockerfile)', () => {
    expect(reads('FROM a\nCOPY <<EOF /etc/conf\nx=1\nEOF\nRUN <<EOF\necho hi\nEOF\n').paths).toEqual([]);
  });

  it('reads RUN --mount=type=bind sources from the context (default source: all of it), not cache/secret or from= mounts', () => {
    expect(reads('FROM a\nRUN --mount=type=bind,source=go.sum,target=/x --mount=type=cache,target=/c --mount=type=secret,id=s --mount=from=b,target=/b true\n').paths).toEqual(['go.sum']);
    expect(reads('FROM a\nRUN --mount=target=/src make\n')).toEqual({ paths: ['.'], notHashable: [] });
  });

  it('COPY . . reads the whole context, without calling it a fallback', () => {
    expect(reads('FROM a\nCOPY . .\n')).toEqual({ paths: ['.'], notHashable: [] });
  });

  it('names ADD <url> as not hashable', () => {
    expect(reads('FROM a\nADD https://example.com/x.tgz /x\nADD git@github.com:o/r.git /r\nADD local.tgz /\n')).toEqual({
      paths: ['local.tgz'],
      notHashable: ['https://example.com/x.tgz', 'git@github.com:o/r.git'],
    });
  });

  it('falls back to the whole context, saying why, for what it cannot resolve', () => {
    const r = reads('FROM node\nCOPY $APP_DIR/ /app\n');
    expect(r.paths).toEqual(['.']);
    expect(r.whole).toBe('COPY source "$APP_DIR/" (line 2) uses $APP_DIR, which the Dockerfile does not set (the base image may)');
    expect(reads('FROM a\nCOPY x /\n', { target: 'nope' }).whole).toMatch(/target stage "nope" is not in the Dockerfile/);
    expect(reads('ARG V\nFROM a\nARG V\nCOPY $V /\n', { args: { V: '\u0000ref\u0000' } }).whole).toMatch(/known only once it is pushed/);
    expect(unionReads([reads('FROM a\nCOPY a /\n'), r]).whole).toBe(r.whole);
    expect(unionReads([reads('FROM a\nCOPY a /\n'), reads('FROM a\nCOPY b /\n')]).paths).toEqual(['a', 'b']);
  });
});

describe('snapshotContext with the reads', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-reads-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    return dir;
  };
  const snap = (dir: string, dockerfile: string) =>
    snapshotContext({ context: dir, dockerfile: path.join(dir, 'Dockerfile'), builder: 'buildx', cache: FileHashCache.empty(), reads: reads(dockerfile) });

  it('hashes only the files read, .dockerignore (with ! re-includes) applied on top', async () => {
    const dir = tree({
      Dockerfile: '',
      'README.md': 'r',
      '.dockerignore': 'services/api/*.log\n!services/api/keep.log\n',
      'services/api/main.txt': 'a',
      'services/api/debug.log': 'd',
      'services/api/keep.log': 'k',
      'services/worker/main.txt': 'w',
      'libs/common/lib.txt': 'l',
    });
    const df = 'FROM a\nCOPY services/api /app\nCOPY libs/common /lib\n';
    const s = await snap(dir, df);
    expect(Object.keys(s.files)).toEqual(['libs/common', 'libs/common/lib.txt', 'services/api', 'services/api/keep.log', 'services/api/main.txt']);
    expect(s.whole).toBeUndefined();
    writeFileSync(path.join(dir, 'README.md'), 'changed');
    writeFileSync(path.join(dir, 'services/worker/main.txt'), 'changed');
    writeFileSync(path.join(dir, 'services/api/debug.log'), 'changed');
    expect((await snap(dir, df)).digest).toBe(s.digest);
    writeFileSync(path.join(dir, 'services/api/keep.log'), 'changed');
    expect((await snap(dir, df)).digest).not.toBe(s.digest);
  });

  it('COPY . . gives the same digest as the whole context', async () => {
    const dir = tree({ Dockerfile: '', 'a.txt': 'a', 'b/c.txt': 'c' });
    const whole = await snapshotContext({ context: dir, dockerfile: path.join(dir, 'Dockerfile'), builder: 'buildx', cache: FileHashCache.empty() });
    expect((await snap(dir, 'FROM a\nCOPY . .\n')).digest).toBe(whole.digest);
  });

  it('falls back to the whole context when a source goes through a symlink', async () => {
    const dir = tree({ Dockerfile: '', 'real/x.txt': 'x', 'other.txt': 'o' });
    symlinkSync('real', path.join(dir, 'link'));
    const s = await snap(dir, 'FROM a\nCOPY link/x.txt /\n');
    expect(s.whole).toBe('a COPY/ADD source is or goes through the symlink link');
    expect(Object.keys(s.files)).toContain('other.txt');
  });
});
