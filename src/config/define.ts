/** The identity function that gives a `multiarch.config.ts` its types and editor completion. Pure. */
import type { UserConfig } from './schema.js';

export function defineConfig<const T extends UserConfig>(config: T): T {
  return config;
}
