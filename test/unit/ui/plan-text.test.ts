import { describe, expect, it } from 'vitest';
import { ref } from '../../../src/config/ref.js';
import { formatPlanText } from '../../../src/ui/plan-text.js';
import { facts, makePlan, userConfig } from './fixtures.js';

const text = (plan = makePlan()) => formatPlanText(plan, { color: false });

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
    expect(out).toMatch(/ {2}web: no multi-arch index is written: only linux\/arm64 of its 2 platforms are selected/);
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

  it('uses colour only when asked', () => {
    expect(formatPlanText(makePlan(), { color: true })).toContain('\u001b[1mPlan for\u001b[22m');
  });
});
