import { describe, expect, it } from 'vitest';
import { ref } from '../../../src/config/ref.js';
import { stripAnsi } from '../../../src/text/text-width.js';
import { formatPlanText } from '../../../src/ui/plan/plan-text.js';
import { facts, makePlan, userConfig } from './fixtures.js';

/** The plan's text with continuation lines (12 spaces in) joined back onto the line they continue. */
const text = (plan = makePlan()) => formatPlanText(plan, { color: false }).replace(/\n {12}(?=\S)/g, ' ');
const widthOk = (out: string, width: number) => stripAnsi(out).split('\n').every((l) => [...l].length <= width);

describe('formatPlanText', () => {
  it('starts with the config file and the builder it saw', () => {
    const out = text();
    expect(out.split('\n')[0]).toBe('Plan for /work/app/multiarch.config.ts');
    expect(out).toContain('Builder: buildx — docker buildx (docker-container driver)');
    expect(out).toContain('native linux/amd64; emulated: aarch64');
    expect(out).not.toContain('\u001b[');
  });

  it('shows images in dependency order with builds marked native or emulated', () => {
    const out = text();
    expect(out.indexOf('\nbase  (linux/amd64, linux/arm64)')).toBeGreaterThan(0);
    expect(out.indexOf('\nweb  (linux/amd64, linux/arm64)')).toBeGreaterThan(out.indexOf('\nbase  '));
    expect(out).toContain('build linux/amd64  native  context ./web');
    expect(out).toContain('build linux/arm64  emulated (QEMU)  context ./web');
    expect(out).toContain('BASE = 127.0.0.1:5000/team/base@<digest of base linux/arm64>');
  });

  it('describes tests: the command and its expected output, and http probes', () => {
    const out = text();
    expect(out).toContain('test  linux/arm64  run `uname -m`, expect output to contain "aarch64" (timeout 120s)');
    expect(out).toContain('test  linux/amd64  http GET :8080/health → 200 within 60s (timeout 120s)');
  });

  it('lists every ref each push writes and each index with its platforms', () => {
    const out = text();
    expect(out).toContain('push  linux/arm64 → local  (oci)\n          127.0.0.1:5000/team/web:v1-linux-arm64\n          127.0.0.1:5000/team/web:latest-linux-arm64');
    expect(out).toContain('index latest → local  (oci)\n          127.0.0.1:5000/team/web:latest  ← linux/amd64, linux/arm64');
  });

  it('ends with the totals', () => {
    expect(text().split('\n').at(-1)).toBe('Plan: 4 builds, 4 tests, 4 pushes, 3 indexes — 9 refs to write.');
  });

  it('flags builds the builder cannot run, with the qemu/binfmt hint', () => {
    const config = structuredClone(userConfig);
    config.images.base.platforms.push('linux/riscv64');
    const out = text(makePlan(config, facts, { images: ['base'] }));
    expect(out).toContain('✗ 1 build cannot run on this builder (no emulator): base linux/riscv64');
    expect(out).toContain('build linux/riscv64  NO EMULATOR');
    expect(out).toContain('✗ no emulator for this platform: this build will fail');
    expect(out.replace(/\n\s+/g, ' ')).toContain('sudo apt-get install qemu-user-static binfmt-support');
    expect(out).toContain('Plan: 3 builds, 3 tests, 3 pushes, 1 index — 4 refs to write.');
  });

  it('prints the planner’s notes', () => {
    const out = text(makePlan(userConfig, facts, { images: ['web'], platforms: ['linux/arm64'] }));
    expect(out).toContain('Notes\n');
    expect(out).toContain('  base: included because a selected image is built on it (ref)');
    expect(out.replace(/\n {4}/g, ' ')).toMatch(/ {2}web: no multi-arch index is written: only linux\/arm64 of its 2 platforms are selected/);
    expect(out).toContain('0 indexes');
  });

  it('says so when no builder was detected, and shows dockerfile, target and untagged digest pushes', () => {
    const config = {
      registries: { local: { url: '127.0.0.1:5000', insecure: true } },
      images: {
        base: { context: './base', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'local', repository: 'team/base' }] },
        app: {
          context: './app',
          dockerfile: 'docker/App.Dockerfile',
          target: 'runtime',
          platforms: ['linux/amd64'],
          tags: ['v1'],
          args: { BASE: ref('base') },
          publish: [{ registry: 'local', repository: 'team/app', platformRepository: 'team/app-{arch}' }],
        },
      },
    };
    const out = text(makePlan(config, {}));
    expect(out).toContain('Builder: not detected');
    expect(out).toContain('context ./app, dockerfile docker/App.Dockerfile, target runtime');
    expect(out).toContain('127.0.0.1:5000/team/app-amd64:v1-linux-amd64');
    expect(out).toContain('127.0.0.1:5000/team/app@<digest> (untagged, for the index)');
    expect(out).toContain('  test  none configured: platform images are pushed untested');
  });

  it('names no builder when every build is assembled directly (none was looked for), and says it is not detected when an engine build has none', () => {
    const config = {
      registries: { local: { url: '127.0.0.1:5000', insecure: true } },
      images: {
        base: { context: './base', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'local', repository: 'team/base' }] },
        app: { context: './app', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'local', repository: 'team/app' }] },
      },
    };
    const direct = text(makePlan(config, { dockerfiles: { base: { direct: true }, app: { direct: true } } }));
    expect(direct).toContain('direct (no engine)');
    expect(direct).not.toContain('Builder:');
    const mixed = text(makePlan(config, { dockerfiles: { base: { direct: true }, app: { direct: false, instruction: 'RUN', line: 2, why: 'runs a command' } } }));
    expect(mixed).toContain('Builder: not detected');
  });

  it('uses colour only when asked', () => {
    expect(formatPlanText(makePlan(), { color: true })).toContain('\u001b[1mPlan for\u001b[22m');
  });

  it('marks every step with a Terraform-style symbol, in colour, and says what the symbols mean', () => {
    const out = text();
    expect(out).toContain('\nSymbols: + create\n');
    expect(out).toContain('\n  + build linux/amd64  native  context ./base\n');
    expect(out).toContain('\n  + index v1 → local  (oci)\n          127.0.0.1:5000/team/base:v1  ← linux/amd64, linux/arm64\n');
    const coloured = formatPlanText(makePlan(), { color: true });
    expect(coloured).toContain('  \u001b[32m+\u001b[39m \u001b[2mbuild\u001b[22m linux/amd64');
    expect(coloured).toContain('\u001b[2mSymbols:\u001b[22m \u001b[32m+\u001b[39m create');
  });

  it('shows the actions an incremental plan decides, with only the symbols it uses', () => {
    const out = formatPlanText(makePlan(), {
      color: false,
      actionOf: (node) => (node.kind === 'build' ? 'unchanged' : node.kind === 'index' ? 'rebuild' : 'create'),
    });
    expect(out).toContain('Symbols: + create  ~ rebuild  = up to date');
    expect(out).toContain('  = build linux/amd64');
    expect(out).toContain('  ~ index v1 → local');
    expect(formatPlanText(makePlan(), { color: false, actionOf: () => 'unchanged' })).toContain('Symbols: = up to date\n');
  });

  it.each([80, 60, 40])('fits %i columns: long lines wrap under their step, long refs break after a "/"', (width) => {
    const repository = `some-organisation/${'team-with-a-long-name/'.repeat(3)}web`;
    const config = {
      registries: { local: { url: 'registry.with-a-rather-long-hostname.example.com:5000' } },
      images: {
        web: {
          context: './a/deeply/nested/context/directory/for/the/web/image',
          platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/ppc64le', 'linux/s390x'],
          tags: ['v1.2.3-with-a-long-suffix'],
          test: { command: ['sh', '-c', 'echo "a fairly long test command with quoting" && uname -m'], expectOutput: '{uname}' },
          publish: [{ registry: 'local', repository }],
        },
      },
    };
    const out = formatPlanText(makePlan(config), { color: true, width });
    expect(widthOk(out, width)).toBe(true);
    const plain = stripAnsi(out);
    // A ref is cut after a "/" or ":" (or hard, when a name alone is too long), and its pieces put together give it back.
    const ref = `registry.with-a-rather-long-hostname.example.com:5000/${repository}:v1.2.3-with-a-long-suffix-linux-s390x`;
    expect(plain.replace(/\n {12}/g, '')).toContain(ref);
    const cuts = plain.split('\n').filter((l) => /^ {10}\S/.test(l) && ref.startsWith(l.trim()) && l.trim() !== ref);
    for (const line of cuts) expect(/[/:]$/.test(line) || [...line].length === width, line).toBe(true);
    expect(plain.split('\n').filter((l) => l.startsWith('  + build'))).toHaveLength(6);
  });
});
