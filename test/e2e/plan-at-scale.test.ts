/**
 * A reviewer's plan at monorepo scale, on the real engine and registry: 12 images × 2 platforms
 * applied, one image's file changed → `plan` shows that image in detail and folds the other 11 into
 * one line; `plan --format markdown` is GitHub-flavoured Markdown whose table (parsed by a real
 * Markdown parser) names exactly that image's two platforms with the changed file; `--image` globs
 * select by pattern and a pattern matching nothing is an error naming it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { configSource } from './support/config-fixture.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

const names = Array.from({ length: 12 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);

describe('plan at monorepo scale', () => {
  it('shows the one changed image, folds the rest, and writes a Markdown plan for the pull request', async () => {
    const { registry, baseImage } = testEnv();
    const prefix = `e2e/scale-${Date.now()}`;
    const files: Record<string, string> = {};
    for (const name of names) {
      files[`${name}/Dockerfile`] = `FROM ${baseImage}\nCOPY main.txt /main.txt\n`;
      files[`${name}/main.txt`] = `${name}\n`;
    }
    files['multiarch.config.ts'] = configSource({
      registries: { local: { url: registry, insecure: true } },
      images: Object.fromEntries(
        names.map((name) => [name, { context: `./${name}`, platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'local', repository: `${prefix}/${name}` }] }]),
      ),
    });
    const dir = makeFixture(files);
    const applied = await multiarch(['apply'], { cwd: dir });
    expect(applied.exitCode, applied.all).toBe(0);

    writeFileSync(path.join(dir, 'svc-07/main.txt'), 'changed\n');
    const plan = await multiarch(['plan', '--detailed-exitcode', '--out-markdown', 'plan.md'], { cwd: dir });
    expect(plan.exitCode, plan.all).toBe(2);
    expect(plan.stdout).toMatch(/^svc-07 {2}\(linux\/amd64, linux\/arm64\)$/m);
    for (const name of names.filter((n) => n !== 'svc-07')) expect(plan.stdout).not.toMatch(new RegExp(`^${name} `, 'm'));
    expect(plan.stdout).toMatch(/^ {2}= 11 images up to date: svc-01, .*$/m);
    expect(plan.stdout).toContain('files: modified main.txt');
    expect(plan.stdout.trim().split('\n').length).toBeLessThan(40);

    const verbose = await multiarch(['plan', '--verbose'], { cwd: dir });
    for (const name of names) expect(verbose.stdout).toMatch(new RegExp(`^${name} {2}\\(`, 'm'));

    const markdown = await multiarch(['plan', '--format', 'markdown'], { cwd: dir });
    expect(markdown.exitCode, markdown.all).toBe(0);
    expect(readFileSync(path.join(dir, 'plan.md'), 'utf8').trim()).toBe(markdown.stdout.trim());
    const tables = marked.lexer(markdown.stdout).filter((t): t is Tokens.Table => t.type === 'table');
    const rows = tables[0]!.rows.map((r) => r.map((c) => c.text));
    expect(rows).toEqual([
      ['<code>svc-07</code>', 'linux/amd64', '<code>~</code> rebuild', 'files: modified main.txt'],
      ['<code>svc-07</code>', 'linux/arm64', '<code>~</code> rebuild', 'files: modified main.txt'],
    ]);
    expect(tables[1]!.rows.map((r) => r.map((c) => c.text))).toEqual([[`<code>${registry}/${prefix}/svc-07:v1</code>`, '<code>~</code> update', 'linux/amd64 rebuilt, linux/arm64 rebuilt']]);
    expect(markdown.stdout).toContain('<details><summary>11 images up to date</summary>');
    // Valid HTML once rendered: every <details> closed.
    const html = await marked.parse(markdown.stdout);
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);

    const globbed = await multiarch(['plan', '--image', 'svc-0[6-8]', '--json'], { cwd: dir });
    expect(globbed.exitCode, globbed.all).toBe(0);
    const images = (JSON.parse(globbed.stdout) as { images: Array<{ name: string }> }).images.map((i) => i.name);
    expect(images.sort()).toEqual(['svc-06', 'svc-07', 'svc-08']);
    const none = await multiarch(['plan', '--image', 'api-*'], { cwd: dir });
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('--image api-*: the pattern matches no image');
  });
});
