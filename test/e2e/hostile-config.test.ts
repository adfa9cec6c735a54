/**
 * Hostile and malformed configs, table-driven (issue 19): `plan` and `apply` exit 1, name
 * file:line and the field with the fix, list every problem at once, never echo a password or a raw
 * control character, and write nothing to the registry.
 */
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { listTags } from './support/registry.js';

interface Case {
  readonly name: string;
  /** The object literal after `export default`, one field per line so lines can be asserted. */
  readonly config: (registry: string, repo: string) => string;
  /** Each text that must appear in stderr (every problem, with its file:line). */
  readonly expect: readonly string[];
  readonly absent?: readonly string[];
  readonly apply?: boolean;
}

const image = (repo: string, extra = '', tags = "['v1']") => `{
      context: './app',
      platforms: ['linux/amd64'],
      tags: ${tags},${extra}
      publish: [{ registry: 'local', repository: '${repo}' }],
    }`;
/** A config whose only registry has `url` (on line 5). */
const withUrl = (url: string) => (_: string, repo: string) => `{\n  registries: {\n    local: { url: '${url}' },\n  },\n  images: { web: ${image(repo)} },\n}`;
const local = (registry: string) => `local: { url: '${registry}', insecure: true }`;

const CASES: readonly Case[] = [
  {
    name: 'a number in args: the expected type',
    config: (r, repo) => `{\n  registries: { ${local(r)} },\n  images: {\n    web: ${image(repo, "\n      args: { VERSION: 1 },")},\n  },\n}`,
    expect: ['multiarch.config.ts:10:', 'images.web.args.VERSION: expected a string or ref("image"), got number 1'],
    apply: true,
  },
  {
    name: 'http://host/v2/ as url: one error, a valid suggestion',
    config: withUrl('http://127.0.0.1:5000/v2/'),
    expect: ['multiarch.config.ts:5:', 'registries.local.url: "http://127.0.0.1:5000/v2/" has a scheme and a path', 'use url: "127.0.0.1:5000" with insecure: true', '1 problem in the config'],
    absent: ['is not defined'],
  },
  {
    name: 'credentials in the url: redacted everywhere',
    config: withUrl('https://alice:Hunter2Secret@127.0.0.1:5000'),
    expect: ['multiarch.config.ts:5:', 'registries.local.url: "https://***@127.0.0.1:5000" holds credentials', '1 problem in the config'],
    absent: ['Hunter2Secret', 'is not defined'],
    apply: true,
  },
  {
    name: 'a garbage url: one error, what to write',
    config: withUrl('not a url!'),
    expect: ['multiarch.config.ts:5:', 'registries.local.url: "not a url!" is not a registry host', 'write host[:port]', '1 problem in the config'],
    absent: ['is not defined'],
  },
  {
    name: 'user:pass@host without a scheme: redacted, one error',
    config: withUrl('alice:Hunter2Secret@127.0.0.1:5000'),
    expect: ['multiarch.config.ts:5:', 'registries.local.url: "***@127.0.0.1:5000" holds credentials', '1 problem in the config'],
    absent: ['Hunter2Secret', 'alice', 'is not defined'],
  },
  {
    name: 'an oci: url without a path: one error',
    config: withUrl('oci:'),
    expect: ['multiarch.config.ts:5:', 'registries.local.url: "oci:" is not an OCI layout path', 'write oci:<directory>', '1 problem in the config'],
    absent: ['is not defined'],
  },
  {
    name: 'a tag with ":" is blamed on tags[0], nothing else',
    config: (r, repo) => `{\n  registries: { ${local(r)} },\n  images: {\n    web: ${image(repo, '', "[\n        'v1:beta',\n      ]")},\n  },\n}`,
    expect: ['multiarch.config.ts:10:', 'images.web.tags[0]: "v1:beta" is not a valid tag', '1 problem in the config'],
    absent: ['platformTag', 'indexTag'],
  },
  {
    name: 'a duplicated tag: one error',
    config: (r, repo) => `{\n  registries: { ${local(r)} },\n  images: {\n    web: ${image(repo, '', "['v1', 'v1']")},\n  },\n}`,
    expect: ['multiarch.config.ts:9:', 'images.web.tags[1]: tag "v1" is listed twice', '1 problem in the config'],
    absent: ['would both be written'],
  },
  {
    name: 'problems in builders and images: all of them',
    config: (r, repo) => `{\n  registries: { ${local(r)} },\n  builders: {\n    'linux/arm65': { docker: {} },\n  },\n  images: {\n    web: ${image(repo, '\n      target: 5,')},\n  },\n}`,
    expect: ['multiarch.config.ts:6:', 'builders["linux/arm65"]', 'multiarch.config.ts:13:', 'images.web.target: expected string, got number 5', '2 problems in the config'],
  },
  {
    name: 'oci: pointing at a file',
    config: withUrl('oci:/dev/null'),
    expect: ['multiarch.config.ts:5:', 'registries.local.url: /dev/null exists and is not a directory'],
    apply: true,
  },
  {
    name: 'an image keyed __proto__',
    config: (r, repo) => `{\n  registries: { ${local(r)} },\n  images: {\n    __proto__: ${image(repo)},\n  },\n}`,
    expect: ['images.__proto__: "__proto__" is not a valid image name'],
  },
  {
    name: 'a bad tag on an image with no publish target',
    config: () => `{\n  images: {\n    web: {\n      context: './app',\n      platforms: ['linux/amd64'],\n      tags: ['my tag:x'],\n    },\n  },\n}`,
    expect: ['multiarch.config.ts:8:14', 'images.web.tags[0]: "my tag:x" is not a valid tag'],
    apply: true,
  },
  {
    name: 'control characters in a name are escaped',
    config: (r, repo) => `{\n  registries: { ${local(r)} },\n  images: {\n    'we\\u001b[2J\\u0007b': ${image(repo)},\n  },\n}`,
    expect: ['"we\\x1b[2J\\x07b" is not a valid image name'],
  },
];

const SOURCE = (body: string) => `import { defineConfig } from 'multiarch';\n\nexport default defineConfig(${body});\n`;

describe('hostile configs', () => {
  it.each(CASES)('$name', async (c) => {
    const { registry } = testEnv();
    const repo = `harden19/hostile-${Date.now()}`;
    const dir = makeFixture({ 'app/Dockerfile': 'FROM scratch\nCOPY Dockerfile /\n', 'multiarch.config.ts': SOURCE(c.config(registry, repo)) });
    for (const command of c.apply ? ['plan', 'apply'] : ['plan']) {
      const run = await multiarch([command], { cwd: dir, timeoutMs: 120_000 });
      expect(run.exitCode, run.all).toBe(1);
      for (const text of c.expect) expect(run.stderr, run.all).toContain(text);
      for (const text of c.absent ?? []) expect(run.all).not.toContain(text);
      expect(run.all).not.toMatch(/[\u0007]|\u001b\[[23]J/);
      expect(run.stdout).toBe('');
    }
    expect(await listTags(`${registry}/${repo}`)).toEqual([]);
  }, 240_000);
});

describe('a config that does not finish loading', () => {
  const config = (body: string) => makeFixture({ 'app/Dockerfile': 'FROM scratch\n', 'multiarch.config.ts': body });

  it('a default export that never settles: a clear error, also with --json', async () => {
    const dir = config("export default new Promise(() => {});\n");
    const text = await multiarch(['plan'], { cwd: dir, timeoutMs: 120_000 });
    expect(text.exitCode, text.all).toBe(1);
    expect(text.stderr).toContain("multiarch.config.ts: the config's default export never settles");
    const json = await multiarch(['plan', '--json'], { cwd: dir, timeoutMs: 120_000 });
    expect(json.exitCode, json.all).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'E_CONFIG_LOAD' } });
  }, 240_000);

  it('a default export still pending after MULTIARCH_CONFIG_TIMEOUT: a clear error', async () => {
    const dir = config('export default new Promise(() => { setInterval(() => {}, 1000); });\n');
    const run = await multiarch(['plan'], { cwd: dir, env: { MULTIARCH_CONFIG_TIMEOUT: '2' }, timeoutMs: 120_000 });
    expect(run.exitCode, run.all).toBe(1);
    expect(run.stderr).toContain("the config's default export did not settle within 2 s");
  }, 240_000);

  it('process.exit() inside the config is detected and reported', async () => {
    const dir = config("process.exit(0);\nexport default {};\n");
    const run = await multiarch(['plan'], { cwd: dir, timeoutMs: 120_000 });
    expect(run.exitCode, run.all).toBe(1);
    expect(run.stderr).toContain('multiarch.config.ts called process.exit(0) while loading');
  }, 240_000);
});

describe('a secret-looking build arg', () => {
  it('is *** in plan --json and in the saved plan, as in the text plan', async () => {
    const { registry } = testEnv();
    const repo = `harden19/secret-arg-${Date.now()}`;
    const dir = makeFixture({
      'app/Dockerfile': 'FROM scratch\nCOPY Dockerfile /\n',
      'multiarch.config.ts': SOURCE(`{\n  registries: { ${local(registry)} },\n  images: {\n    web: ${image(repo, "\n      args: { NPM_TOKEN: 'npm-s3cr3t-value-123' },")},\n  },\n}`),
    });
    const json = await multiarch(['plan', '--json', '--out', 'plan.json'], { cwd: dir, timeoutMs: 120_000 });
    expect(json.exitCode, json.all).toBe(0);
    expect(json.all).not.toContain('npm-s3cr3t-value-123');
    expect(json.stdout).toContain('"NPM_TOKEN": "***"');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${dir}/plan.json`, 'utf8')).not.toContain('npm-s3cr3t-value-123');
  }, 240_000);
});
