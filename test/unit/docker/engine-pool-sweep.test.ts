/**
 * The engine pool starts the sweep of dead runs' containers on an engine's first use, once per
 * engine, and never when no engine is used (a no-op apply starts no docker process).
 */
import { describe, expect, it } from 'vitest';
import { createEnginePool } from '../../../src/docker/engine-pool.js';

const choice = { kind: 'buildkit' as const, client: { binary: '/nonexistent/docker', version: '20.10.24' } };
const builders = { default: { name: 'default', docker: {} }, 'linux/arm64': { name: 'linux/arm64', docker: { host: 'tcp://10.0.0.2:2375' } } };

function pool() {
  const added: Array<Promise<unknown>> = [];
  const engines = createEnginePool(choice, builders, {}, { background: { add: (work) => added.push(work) } });
  return { engines, added };
}

describe('sweeping what killed runs left', () => {
  it('starts nothing until an engine is used', () => {
    expect(pool().added).toHaveLength(0);
  });

  it('sweeps each engine once, on its first use, and never fails the run', async () => {
    const { engines, added } = pool();
    engines.get('default');
    engines.get('default');
    expect(added).toHaveLength(1);
    engines.get('linux/arm64');
    expect(added).toHaveLength(2);
    // The docker binary does not exist here: the sweep gives up quietly.
    await expect(Promise.all(added)).resolves.toEqual([undefined, undefined]);
  });
});
