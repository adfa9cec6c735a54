import { describe, expect, it } from 'vitest';
import type { PlanFacts } from '../../../src/plan/nodes.js';
import { usedBuilders } from '../../../src/plan/engines.js';
import { resolveSelection } from '../../../src/plan/selection.js';
import { builderFacts, ids, localConfig, node, plan, resolve } from './fixtures.js';

const routed = (extra: Record<string, unknown> = {}) => ({
  ...localConfig(),
  builders: {
    'linux/arm64': { docker: { host: 'ssh://ec2-user@graviton-builder' }, concurrency: 2 },
    'linux/arm/v7': { docker: { context: 'pi' } },
    ...extra,
  },
});

const engines: PlanFacts = {
  ...builderFacts,
  engines: {
    'linux/arm64': { reachable: true, version: '27.1.1', nativePlatform: 'linux/arm64' },
    'linux/arm/v7': { reachable: false, problem: 'context "pi" does not exist' },
  },
};

describe('createPlan: builders', () => {
  it('puts each build, and its test, on the builder of its platform; the rest on default', () => {
    const p = plan(routed(), engines);
    expect(node(p, 'build', 'build:base@linux/arm64').builder).toBe('linux/arm64');
    expect(node(p, 'test', 'test:base@linux/arm64').builder).toBe('linux/arm64');
    expect(node(p, 'build', 'build:web@linux/arm/v7').builder).toBe('linux/arm/v7');
    expect(node(p, 'build', 'build:web@linux/amd64').builder).toBe('default');
    expect(p.builders).toEqual({
      default: { name: 'default', docker: {} },
      'linux/arm64': { name: 'linux/arm64', docker: { host: 'ssh://ec2-user@graviton-builder' }, concurrency: 2 },
      'linux/arm/v7': { name: 'linux/arm/v7', docker: { context: 'pi' } },
    });
  });

  it('says native or emulated from each builder’s own engine, nothing for an unreachable one', () => {
    const p = plan(routed(), engines);
    // The ambient engine is the local amd64 one (builderFacts); arm64 has its own arm64 engine.
    expect(node(p, 'build', 'build:base@linux/amd64').runs).toBe('native');
    expect(node(p, 'build', 'build:base@linux/arm64').runs).toBe('native');
    expect(node(p, 'test', 'test:base@linux/arm64').runs).toBe('native');
    expect(node(p, 'build', 'build:base@linux/arm/v7').runs).toBeUndefined();
  });

  it('counts on emulation on an engine whose emulators cannot be seen, and checks them where they can', () => {
    const remote = plan(routed(), { engines: { 'linux/arm64': { reachable: true, nativePlatform: 'linux/amd64' } } });
    expect(node(remote, 'build', 'build:base@linux/arm64').runs).toBe('emulated');
    const local = plan(routed(), { engines: { 'linux/arm64': { reachable: true, nativePlatform: 'linux/amd64', emulated: [] } } });
    expect(node(local, 'build', 'build:base@linux/arm64').runs).toBe('no-emulator');
  });

  it('builds a RUN-less image that has a test on its platform’s builder (its test runs there); one without a test is assembled, no engine', () => {
    // Both Dockerfiles run nothing; only `base` has a test.
    const p = plan(routed(), { ...engines, dockerfiles: { base: { direct: true }, web: { direct: true } } });
    for (const platform of ['linux/amd64', 'linux/arm64', 'linux/arm/v7']) {
      const build = node(p, 'build', `build:base@${platform}`);
      expect(build.direct, platform).toBeUndefined();
      expect(build.engineReason).toBe('its test runs the image on an engine');
      expect(node(p, 'test', `test:base@${platform}`).builder).toBe(build.builder);
      const assembled = node(p, 'build', `build:web@${platform}`);
      expect(assembled.direct, platform).toBeDefined();
      expect(assembled.runs).toBeUndefined();
    }
    expect(node(p, 'build', 'build:base@linux/arm64')).toMatchObject({ builder: 'linux/arm64', runs: 'native' });
    expect(node(p, 'build', 'build:base@linux/arm/v7').builder).toBe('linux/arm/v7');
    expect(node(p, 'build', 'build:base@linux/amd64')).toMatchObject({ builder: 'default', runs: 'native' });
  });

  it('keeps a config without builders on the ambient engine, as before', () => {
    const p = plan(localConfig(), builderFacts);
    expect(Object.keys(p.builders)).toEqual(['default']);
    expect(ids(p, 'build').every((id) => node(p, 'build', id).builder === 'default')).toBe(true);
    expect(node(p, 'build', 'build:base@linux/arm64').runs).toBe('emulated');
  });

  it('lists only the builders the selected platforms use', () => {
    const config = resolve(routed());
    const only = (platforms: string[]) => {
      const s = resolveSelection(config, { platforms });
      if (!s.ok) throw new Error(s.message);
      return usedBuilders(config, s.selection).map((b) => b.name);
    };
    expect(only(['linux/arm64'])).toEqual(['linux/arm64']);
    expect(only(['linux/amd64', 'linux/arm/v7'])).toEqual(['default', 'linux/arm/v7']);
    expect(Object.keys(plan(routed(), {}, { platforms: ['linux/arm64'] }).builders)).toEqual(['linux/arm64']);
  });
});

describe('createPlan: prepare steps', () => {
  const prepare = async () => {};
  const prepared = () => localConfig({ web: { prepare: { run: prepare, outputs: ['dist/**'] } } });

  it('adds prepare(image, platform) before that platform’s build, and nothing else waits on it', () => {
    const p = plan(prepared());
    expect(ids(p, 'prepare')).toEqual(['prepare:web@linux/amd64', 'prepare:web@linux/arm64', 'prepare:web@linux/arm/v7']);
    const prep = node(p, 'prepare', 'prepare:web@linux/arm64');
    expect(prep).toMatchObject({ image: 'web', deps: [], context: '/abs/dir/web', outputs: ['dist/**'], platform: { os: 'linux', architecture: 'arm64' } });
    expect(prep.source.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(node(p, 'build', 'build:web@linux/arm64').deps).toEqual(['prepare:web@linux/arm64', 'push:base@linux/arm64->local']);
    expect(p.order.indexOf('prepare:web@linux/arm64')).toBeLessThan(p.order.indexOf('build:web@linux/arm64'));
    expect(ids(p).filter((id) => p.nodes[id]!.deps.includes('prepare:web@linux/arm64'))).toEqual(['build:web@linux/arm64']);
    expect(ids(plan(localConfig()), 'prepare')).toEqual([]);
  });

  it('is plain JSON: the function stays in the config, the plan has its fingerprint', () => {
    const p = plan(prepared());
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('prepares only the selected platforms', () => {
    expect(ids(plan(prepared(), {}, { platforms: ['linux/arm64'] }), 'prepare')).toEqual(['prepare:web@linux/arm64']);
  });
});
