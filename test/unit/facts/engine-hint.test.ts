import { describe, expect, it } from 'vitest';
import { tempTree } from '../temp-tree.js';
import { engineLikely } from '../../../src/facts/engine-hint.js';

const tree = (files: Record<string, string>) => tempTree(files, 'engine-hint-');

const RUNLESS = 'FROM busybox\nCOPY a /a\n';
const WITH_RUN = 'FROM busybox\nRUN true\n';

describe('the guess that a run will probe the docker client', () => {
  it('yes when a Dockerfile near the config needs an engine, in any of the usual names', () => {
    expect(engineLikely(tree({ 'multiarch.config.ts': '', 'app/Dockerfile': WITH_RUN }))).toBe(true);
    expect(engineLikely(tree({ 'services/api/Dockerfile.prod': WITH_RUN }))).toBe(true);
    expect(engineLikely(tree({ 'docker/api.Dockerfile': WITH_RUN }))).toBe(true);
    expect(engineLikely(tree({ Containerfile: WITH_RUN }))).toBe(true);
  });

  it('no when every Dockerfile it finds is RUN-less, or none is', () => {
    expect(engineLikely(tree({ 'app/Dockerfile': RUNLESS, 'web/Dockerfile': RUNLESS }))).toBe(false);
    expect(engineLikely(tree({ 'README.md': WITH_RUN, 'app/Dockerfile.dockerignore': 'RUN\n' }))).toBe(false);
  });

  it('looks two levels down, and not into dot-directories or node_modules', () => {
    expect(engineLikely(tree({ 'a/b/c/Dockerfile': WITH_RUN }))).toBe(false);
    expect(engineLikely(tree({ '.git/Dockerfile': WITH_RUN, 'node_modules/x/Dockerfile': WITH_RUN }))).toBe(false);
  });

  it('gives up (no guess) in a tree too large to walk in a few milliseconds', () => {
    const many = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`files/f${i}`, '']));
    expect(engineLikely(tree({ ...many, Dockerfile: WITH_RUN }))).toBe(true);
    // files/ holds 2,000 entries: its sub/ is past the bound.
    expect(engineLikely(tree({ ...many, 'files/sub/Dockerfile': WITH_RUN }))).toBe(false);
    expect(engineLikely(tree({ 'files/sub/Dockerfile': WITH_RUN }))).toBe(true);
  });
});
