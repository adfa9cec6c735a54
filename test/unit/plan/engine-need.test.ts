import { describe, expect, it } from 'vitest';
import { computeBuildInputs } from '../../../src/plan/incremental/inputs-digest.js';
import { engineSelection, needsEngine, planNeedsEngine } from '../../../src/plan/engine-need.js';
import type { DockerfileFact } from '../../../src/plan/build-path.js';
import { resolveSelection } from '../../../src/plan/selection.js';
import { localConfig, node, plan, resolve } from './fixtures.js';
import { inputsFacts, world } from './incremental-fixtures.js';

const DIRECT: DockerfileFact = { direct: true };
const RUN: DockerfileFact = { direct: false, instruction: 'RUN', line: 2, why: 'runs a command' };

/** base and web without a test (web is built on base through a ref() arg), or with the fixture's. */
function config(extra: Parameters<typeof localConfig>[0] = {}, tested = false) {
  const input = localConfig(extra);
  if (!tested) delete (input.images.base as { test?: unknown }).test;
  return resolve(input);
}

function selection(c: ReturnType<typeof config>, images: string[] = []) {
  const s = resolveSelection(c, { images });
  if (!s.ok) throw new Error(s.message);
  return s.selection;
}

describe('does the plan need an engine', () => {
  it('no: every selected image is assembled directly and none is tested', () => {
    const c = config();
    expect(needsEngine(c, selection(c), { base: DIRECT, web: DIRECT }, { shard: false })).toBe(false);
    expect([...engineSelection(c, selection(c), { base: DIRECT, web: DIRECT }).images]).toEqual([]);
  });

  it('yes: an instruction only an engine carries out, or a Dockerfile that could not be read (no fact)', () => {
    const c = config();
    expect(needsEngine(c, selection(c), { base: DIRECT, web: RUN }, { shard: false })).toBe(true);
    expect([...engineSelection(c, selection(c), { base: DIRECT, web: RUN }).images]).toEqual(['web']);
    expect(needsEngine(c, selection(c), { base: DIRECT }, { shard: false })).toBe(true);
  });

  it("yes: build.engine 'docker', or a test (it runs the image in a container)", () => {
    const docker = config({ base: { build: { engine: 'docker' } } });
    expect(needsEngine(docker, selection(docker), { base: DIRECT, web: DIRECT }, { shard: false })).toBe(true);
    const tested = config({}, true);
    expect([...engineSelection(tested, selection(tested), { base: DIRECT, web: DIRECT }).images]).toEqual(['base']);
    expect(needsEngine(tested, selection(tested), { base: DIRECT, web: DIRECT }, { shard: false })).toBe(true);
  });

  it('only the selected images count: an engine image left out of the selection needs no engine', () => {
    const c = config();
    expect(needsEngine(c, selection(c, ['web']), { base: RUN, web: DIRECT }, { shard: true })).toBe(true);
    const single = config({ web: { args: { MODE: 'prod' } } });
    expect(needsEngine(single, selection(single, ['web']), { base: RUN, web: DIRECT }, { shard: false })).toBe(false);
  });

  it('a shard passes ref() bases and their dependents through the engine: yes when a selected image has a ref() arg', () => {
    const c = config();
    expect(needsEngine(c, selection(c), { base: DIRECT, web: DIRECT }, { shard: true })).toBe(true);
    const plain = config({ web: { args: { MODE: 'prod' } } });
    expect(needsEngine(plain, selection(plain), { base: DIRECT, web: DIRECT }, { shard: true })).toBe(false);
  });
});

describe("a direct build's inputs", () => {
  it("name direct assembly's builder whatever the engine builds' kind is; an engine build names that kind", () => {
    const w = world();
    const p = plan(localConfig({ web: { args: { MODE: 'prod' } } }), { dockerfiles: { base: RUN, web: DIRECT } });
    const facts = inputsFacts(w, p);
    expect(facts.builder).toBe('buildkit');
    const web = node(p, 'build', 'build:web@linux/amd64');
    const base = node(p, 'build', 'build:base@linux/amd64');
    expect(web.direct).toBeDefined();
    expect(computeBuildInputs(web, facts, () => 'x').detail.builder).toBe('buildx');
    expect(computeBuildInputs(web, { ...facts, builder: 'legacy' }, () => 'x').digest).toBe(computeBuildInputs(web, facts, () => 'x').digest);
    expect(computeBuildInputs(base, facts, () => 'x').detail.builder).toBe('buildkit');
  });
});

describe('does a saved plan need an engine', () => {
  it('yes when a build is not assembled directly or a test runs; no when every build is direct and untested', () => {
    const c = localConfig({ web: { args: { MODE: 'prod' } } });
    const untested = { ...c, images: { ...c.images, base: { ...c.images.base, test: undefined } } };
    expect(planNeedsEngine(plan(untested, { dockerfiles: { base: DIRECT, web: DIRECT } }))).toBe(false);
    expect(planNeedsEngine(plan(untested, { dockerfiles: { base: DIRECT, web: RUN } }))).toBe(true);
    expect(planNeedsEngine(plan(c, { dockerfiles: { base: DIRECT, web: DIRECT } }))).toBe(true);
  });
});
