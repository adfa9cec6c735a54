/** A monorepo of up to 50 services × 2 platforms for the plan-at-scale tests. */
import { plan } from '../plan/fixtures.js';
import { incrementalPlan, inputsFacts, registryAfter, sha, type World } from '../plan/incremental-fixtures.js';

export const names = Array.from({ length: 50 }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);

/** 50 services × 2 platforms, each from its own folder, published to one registry. */
export function monorepoConfig(count = 50) {
  return {
    registries: { local: { url: '127.0.0.1:5000', insecure: true } },
    images: Object.fromEntries(
      names.slice(0, count).map((name) => [
        name,
        { context: `./${name}`, platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'local', repository: `mono/${name}` }] },
      ]),
    ),
  };
}

function monorepoWorld(count = 50): World {
  const files = Object.fromEntries(names.slice(0, count).map((n) => [n, { Dockerfile: `f 644 ${sha('FROM busybox')}`, 'main.txt': `f 644 ${sha(n)}` }]));
  return { files, dockerfiles: Object.fromEntries(names.slice(0, count).map((n) => [n, sha('FROM busybox')])), busybox: {} };
}

/** The monorepo published as it is now, then s07's main.txt edited. */
export function oneChanged() {
  const config = monorepoConfig();
  const base = plan(config);
  const registry = registryAfter(base, inputsFacts(monorepoWorld(), base), monorepoWorld());
  const now = monorepoWorld();
  now.files.s07!['main.txt'] = `f 644 ${sha('edited')}`;
  return incrementalPlan(config, (b) => ({ inputs: inputsFacts(now, b), registry }));
}

