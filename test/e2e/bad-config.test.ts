/** Bad input: exit 1, the error names the file, line, field and fix, and the registry is untouched. */
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { listTags } from './support/registry.js';

describe('a bad config', () => {
  it('exits 1 naming file:line:col, the field and a suggestion, and writes nothing', async () => {
    const { registry } = testEnv();
    const repo = `e2e/bad-config-${Date.now()}`;
    const dir = makeFixture({
      'app/Dockerfile': 'FROM scratch\nCOPY Dockerfile /\n',
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';

export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    web: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm65'],
      tags: ['v1'],
      publish: [{ registry: 'local', repository: '${repo}' }],
    },
  },
});
`,
    });
    for (const command of ['plan', 'apply']) {
      const run = await multiarch([command], { cwd: dir });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('multiarch.config.ts:8:');
      expect(run.stderr).toContain('images.web.platforms[1]');
      expect(run.stderr).toContain('did you mean "linux/arm64"');
      expect(run.stdout).toBe('');
    }
    expect(await listTags(`${registry}/${repo}`)).toEqual([]);
  });

  it('exits 1 for an unknown --image, with a suggestion', async () => {
    const run = await multiarch(['plan', '--config', 'examples/web-server/multiarch.config.ts', '--image', 'wbe']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('did you mean "web"');
  });
});
