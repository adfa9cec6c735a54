/**
 * The content store for each publish target of a run: one RegistryStore per registry (sharing the
 * registry pool's sessions) and one LayoutStore per layout directory. Edge.
 */
import type { TargetSpec } from '../plan/nodes.js';
import type { RegistryPool } from '../registry/pool.js';
import type { ContentStore } from './content-store.js';
import { LayoutStore } from './layout-store.js';
import { RegistryStore } from './registry-store.js';

export interface StorePool {
  get(target: TargetSpec): ContentStore;
}

export function createStorePool(registries: RegistryPool): StorePool {
  const stores = new Map<string, ContentStore>();
  return {
    get(target) {
      const key = target.layout ? `layout:${target.layout}` : `${target.scheme}://${target.apiHost}`;
      let store = stores.get(key);
      if (!store) {
        store = target.layout ? new LayoutStore(target.layout) : new RegistryStore(registries.get(target));
        stores.set(key, store);
      }
      return store;
    },
  };
}
