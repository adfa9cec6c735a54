import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySources, detectImages, sanitizeName } from '../../../src/scaffold/detect-images.js';
import { findDockerfiles, isDockerfileName } from '../../../src/scaffold/find-dockerfiles.js';
import { writeProject } from '../config/fixtures.js';

const none = () => false;

describe('detectImages', () => {
  it('names an image after its folder, a variant after its suffix, and the root after the repository', () => {
    const found = ['Dockerfile', 'Dockerfile.dev', 'tools.Dockerfile', 'api/Dockerfile', 'api/Dockerfile.worker', 'api/migrate.dockerfile'].map((p) => ({ path: p, text: '' }));
    expect(detectImages(found, 'Shop', none).map((i) => i.name)).toEqual(['shop', 'shop-dev', 'tools', 'api', 'api-worker', 'api-migrate']);
  });

  it('names images by their whole path when folder names collide', () => {
    const found = ['services/api/Dockerfile', 'tools/api/Dockerfile', 'services/api/Dockerfile.debug'].map((p) => ({ path: p, text: '' }));
    expect(detectImages(found, 'x', none)).toEqual([
      { name: 'services-api', context: 'services/api' },
      { name: 'tools-api', context: 'tools/api' },
      { name: 'api-debug', context: 'services/api', dockerfile: 'Dockerfile.debug' },
    ]);
  });

  it('builds from the root when what the Dockerfile copies is only there (monorepo layout)', () => {
    const exists = (rel: string) => ['go.mod', 'cmd/api', 'cmd/api/main.go'].includes(rel);
    const text = 'FROM golang\nCOPY --from=build /x /y\nCOPY go.mod ./\nCOPY ["cmd/api", "/src/cmd/api"]\nADD https://example.com/x /x\n';
    expect(detectImages([{ path: 'cmd/api/Dockerfile', text }], 'x', exists)).toEqual([{ name: 'api', context: '.', dockerfile: 'cmd/api/Dockerfile' }]);
    expect(copySources(text)).toEqual(['go.mod', 'cmd/api']);
  });

  it('keeps the Dockerfile’s folder when what it copies is there', () => {
    const exists = (rel: string) => ['web/package.json', 'package.json'].includes(rel);
    expect(detectImages([{ path: 'web/Dockerfile', text: 'COPY package.json ./\nCOPY src/*.ts ./\n' }], 'x', exists)).toEqual([{ name: 'web', context: 'web' }]);
  });

  it('makes valid image names', () => {
    expect(sanitizeName('My App!')).toBe('my-app');
    expect(sanitizeName('__')).toBe('app');
  });
});

describe('findDockerfiles', () => {
  it('finds Dockerfiles and variants, skipping dependencies, VCS and dot-folders', () => {
    const root = writeProject({
      Dockerfile: 'FROM a',
      'a/Containerfile': '',
      'a/b/Dockerfile.prod': '',
      'a/b/Dockerfile.prod.dockerignore': '',
      'node_modules/x/Dockerfile': '',
      'vendor/y/Dockerfile': '',
      '.git/Dockerfile': '',
      '.github/Dockerfile': '',
      'docs/Dockerfile.md': '',
    });
    expect(findDockerfiles(root).map((f) => f.path)).toEqual(['Dockerfile', 'a/Containerfile', 'a/b/Dockerfile.prod']);
    expect(findDockerfiles(root)[0]?.text).toBe('FROM a');
    expect(fs.existsSync(path.join(root, 'a/b'))).toBe(true);
    expect(['Dockerfile', 'x.Dockerfile', 'Dockerfile.x', 'Dockerfile.x.dockerignore', 'Dockerfile.md', 'dockerfile'].map(isDockerfileName)).toEqual([true, true, true, false, false, false]);
  });
});
