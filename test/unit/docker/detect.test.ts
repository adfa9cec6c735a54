import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDockerBinaries } from '../../../src/docker/detect.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-path-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A PATH directory; `docker` is an executable script, a symlink, or a file that cannot be executed. */
function pathDir(name: string, docker?: { exec: true } | { mode: number } | { link: string }): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'docker');
  if (docker && 'link' in docker) fs.symlinkSync(docker.link, target);
  else if (docker) {
    fs.writeFileSync(target, '#!/bin/sh\necho 28.2.2\n');
    fs.chmodSync(target, 'exec' in docker ? 0o755 : docker.mode);
  }
  return dir;
}

const a = pathDir('a', { exec: true });
const linked = pathDir('linked', { link: path.join(a, 'docker') });
const noExec = pathDir('noexec', { mode: 0o644 });
const none = pathDir('none');
const b = pathDir('b', { exec: true });

describe('findDockerBinaries', () => {
  it('finds every distinct docker executable in PATH order', async () => {
    const PATH = [none, b, noExec, a].join(path.delimiter);
    expect(await findDockerBinaries({ PATH })).toEqual([path.join(b, 'docker'), path.join(a, 'docker')]);
  });

  it('counts a symlink to a docker already found once, under the first name seen', async () => {
    expect(await findDockerBinaries({ PATH: [linked, a, b].join(path.delimiter) })).toEqual([path.join(linked, 'docker'), path.join(b, 'docker')]);
    expect(await findDockerBinaries({ PATH: [a, linked, a].join(path.delimiter) })).toEqual([path.join(a, 'docker')]);
  });

  it('skips a dangling symlink and empty PATH entries', async () => {
    const dangling = pathDir('dangling', { link: path.join(root, 'nowhere', 'docker') });
    expect(await findDockerBinaries({ PATH: `${path.delimiter}${dangling}${path.delimiter}${path.delimiter}${b}` })).toEqual([path.join(b, 'docker')]);
  });

  it('finds nothing without a PATH', async () => {
    expect(await findDockerBinaries({})).toEqual([]);
    expect(await findDockerBinaries({ PATH: [none, noExec].join(path.delimiter) })).toEqual([]);
  });

  it('uses MULTIARCH_DOCKER alone when it is set', async () => {
    expect(await findDockerBinaries({ MULTIARCH_DOCKER: '/opt/docker-20/docker', PATH: [a, b].join(path.delimiter) })).toEqual(['/opt/docker-20/docker']);
  });
});
