import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientKey } from '../../../src/docker/client-memo.js';
import { buildxCandidates, pluginMayExist } from '../../../src/docker/cli-plugins.js';
import { tempTree } from '../temp-tree.js';

const SYSTEM = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'].map((d) => `${d}/docker-buildx`);

describe('buildxCandidates', () => {
  it("lists the config's cliPluginsExtraDirs first, then $DOCKER_CONFIG/cli-plugins, then the system directories", () => {
    const config = tempTree({ 'config.json': JSON.stringify({ cliPluginsExtraDirs: ['/opt/a', '/opt/b'], auths: {} }) });
    expect(buildxCandidates({ DOCKER_CONFIG: config, HOME: '/home/nobody' }, 'linux')).toEqual([
      '/opt/a/docker-buildx',
      '/opt/b/docker-buildx',
      `${config}/cli-plugins/docker-buildx`,
      ...SYSTEM,
    ]);
  });

  it('reads ~/.docker when DOCKER_CONFIG is unset or empty, as the CLI does', () => {
    const home = tempTree({ '.docker/config.json': JSON.stringify({ cliPluginsExtraDirs: ['/opt/home-extra'] }) });
    const expected = ['/opt/home-extra/docker-buildx', `${home}/.docker/cli-plugins/docker-buildx`, ...SYSTEM];
    expect(buildxCandidates({ HOME: home }, 'linux')).toEqual(expected);
    expect(buildxCandidates({ HOME: home, DOCKER_CONFIG: '' }, 'linux')).toEqual(expected);
  });

  it('matches the key as Go decodes JSON (any case), keeps the strings as they are, and skips what is not a string', () => {
    const config = tempTree({ 'config.json': JSON.stringify({ CLIPluginsExtraDirs: ['rel/dir', '', 7, null] }) });
    expect(buildxCandidates({ DOCKER_CONFIG: config }, 'linux').slice(0, 3)).toEqual(['rel/dir/docker-buildx', 'docker-buildx', `${config}/cli-plugins/docker-buildx`]);
  });

  it('has no extra directories when config.json is missing, not JSON, or not an object', () => {
    for (const content of [undefined, '{ not json', '["/opt/a"]', '{"cliPluginsExtraDirs": "/opt/a"}']) {
      const config = tempTree(content === undefined ? {} : { 'config.json': content });
      expect(buildxCandidates({ DOCKER_CONFIG: config }, 'linux')).toEqual([`${config}/cli-plugins/docker-buildx`, ...SYSTEM]);
    }
  });

  it('on Windows, looks under ProgramData and ProgramFiles for docker-buildx.exe', () => {
    const config = tempTree({});
    expect(buildxCandidates({ DOCKER_CONFIG: config, ProgramData: 'C:\\ProgramData', ProgramFiles: 'C:\\Program Files' }, 'win32').slice(1)).toEqual([
      'C:\\ProgramData\\Docker\\cli-plugins\\docker-buildx.exe',
      'C:\\Program Files\\Docker\\cli-plugins\\docker-buildx.exe',
    ]);
  });
});

describe('pluginMayExist', () => {
  it('is false when no candidate exists, a dangling symlink included (the CLI stats through links)', () => {
    const dir = tempTree({});
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'docker-buildx'));
    expect(pluginMayExist([path.join(dir, 'missing/docker-buildx'), path.join(dir, 'docker-buildx')])).toBe(false);
    expect(pluginMayExist([])).toBe(false);
  });

  it('is true when any candidate exists, directly or through a symlink', () => {
    const dir = tempTree({ 'real/docker-buildx': '#!/bin/sh\n' });
    mkdirSync(path.join(dir, 'linked'));
    symlinkSync(path.join(dir, 'real/docker-buildx'), path.join(dir, 'linked/docker-buildx'));
    expect(pluginMayExist([path.join(dir, 'missing/docker-buildx'), path.join(dir, 'real/docker-buildx')])).toBe(true);
    expect(pluginMayExist([path.join(dir, 'linked/docker-buildx')])).toBe(true);
  });
});

describe('clientKey', () => {
  it('changes when a buildx plugin appears in a cliPluginsExtraDirs directory', () => {
    const dir = tempTree({ 'bin/docker': '#!/bin/sh\n' });
    const config = path.join(dir, 'config');
    mkdirSync(config);
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [path.join(dir, 'extra')] }));
    const env = { DOCKER_CONFIG: config };
    const before = clientKey(path.join(dir, 'bin/docker'), buildxCandidates(env));
    mkdirSync(path.join(dir, 'extra'));
    writeFileSync(path.join(dir, 'extra/docker-buildx'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'extra/docker-buildx'), 0o755);
    const after = clientKey(path.join(dir, 'bin/docker'), buildxCandidates(env));
    expect(before).toBeDefined();
    expect(after).not.toEqual(before);
  });

  it('is undefined when the binary cannot be stat-ed', () => {
    expect(clientKey(path.join(tempTree({}), 'docker'), buildxCandidates({ DOCKER_CONFIG: tempTree({}) }))).toBeUndefined();
  });
});
