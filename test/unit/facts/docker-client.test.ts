/**
 * detectClient on a fresh cache with a stand-in `docker` that logs its arguments: `docker buildx
 * version` runs only when a buildx plugin exists where the CLI looks (cli-plugins.ts), and the
 * client memo notices a plugin that appears in a `cliPluginsExtraDirs` directory, and lives in the
 * user's cache directory whatever a project's is.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildxCandidates, pluginMayExist } from '../../../src/docker/cli-plugins.js';
import { detectClient } from '../../../src/facts/docker-client.js';
import { tempTree } from '../temp-tree.js';

// A buildx in the system plugin directories would make every docker here offer it.
const systemBuildx = pluginMayExist(buildxCandidates({ DOCKER_CONFIG: '/nonexistent-docker-config' }));

/** A docker 20.10 client whose engine is down, and a buildx that answers if asked. */
function machine() {
  const dir = tempTree({ 'config/config.json': '{}' });
  const log = path.join(dir, 'calls.log');
  mkdirSync(path.join(dir, 'bin'));
  const docker = path.join(dir, 'bin/docker');
  writeFileSync(
    docker,
    `#!/bin/sh\necho "$*" >> '${log}'\ncase "$1" in\n  version) echo '20.10.24||/'; exit 1 ;;\n  buildx) echo 'github.com/docker/buildx v0.19.3 0a1b2c3'; exit 0 ;;\nesac\nexit 1\n`,
  );
  chmodSync(docker, 0o755);
  const env = { PATH: path.join(dir, 'bin'), HOME: dir, DOCKER_CONFIG: path.join(dir, 'config'), DOCKER_HOST: `unix://${path.join(dir, 'no.sock')}`, MULTIARCH_CACHE_DIR: path.join(dir, 'cache') };
  const calls = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const addPlugin = () => {
    const extra = path.join(dir, 'extra');
    mkdirSync(extra);
    writeFileSync(path.join(extra, 'docker-buildx'), '#!/bin/sh\n');
    chmodSync(path.join(extra, 'docker-buildx'), 0o755);
    writeFileSync(path.join(dir, 'config/config.json'), JSON.stringify({ cliPluginsExtraDirs: [extra] }));
  };
  return { env, calls, addPlugin };
}

describe.skipIf(systemBuildx)('detectClient and the buildx plugin', () => {
  it('does not run `docker buildx version` when no plugin exists where the CLI looks', async () => {
    const m = machine();
    const found = await detectClient(m.env);
    expect(m.calls()).toEqual(['version --format {{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}/{{.Server.Arch}}']);
    expect(found.choice.kind).toBe('buildkit');
    expect(found.choice.client.buildx).toBeUndefined();
  });

  it('runs it when the config names a directory holding one, and a remembered client is probed again once it appears', async () => {
    const m = machine();
    expect((await detectClient(m.env)).choice.kind).toBe('buildkit');
    m.addPlugin();
    const found = await detectClient(m.env);
    expect(m.calls().filter((c) => c.startsWith('buildx'))).toEqual(['buildx version']);
    expect(found.choice).toMatchObject({ kind: 'buildx', client: { version: '20.10.24', buildx: 'v0.19.3' } });
    const calls = m.calls().length;
    expect((await detectClient(m.env)).choice.kind).toBe('buildx');
    expect(m.calls()).toHaveLength(calls);
  });

  it("remembers a client for the user, not in a project's cache directory: another project's first run does not probe it", async () => {
    const m = machine();
    await detectClient(m.env);
    const calls = m.calls().length;
    const found = await detectClient({ ...m.env, MULTIARCH_CACHE_DIR: path.join(m.env.HOME, 'other-project-cache') });
    expect(found.choice.client.version).toBe('20.10.24');
    expect(m.calls()).toHaveLength(calls);
    expect(existsSync(path.join(m.env.HOME, '.cache/multiarch/docker-clients.json'))).toBe(true);
    expect(existsSync(path.join(m.env.MULTIARCH_CACHE_DIR, 'docker-clients.json'))).toBe(false);
  });
});
