/**
 * The names multiarch's registries get for a host (`ghcr.io` → `ghcr`), for `init --registry`,
 * `add image --publish` and the importers. Pure.
 */
import { isLoopbackHost, normalizeHost } from '../image/image-reference.js';

/** The key a registry gets in `registries`: a short, readable identifier for its host. */
export function registryKeyFor(host: string): string {
  const h = normalizeHost(host).replace(/:\d+$/, '');
  if (h === 'docker.io') return 'dockerhub';
  if (isLoopbackHost(h)) return 'local';
  if (/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(h) || h === 'public.ecr.aws') return 'ecr';
  if (/(^|\.)gcr\.io$/.test(h)) return 'gcr';
  if (/-docker\.pkg\.dev$/.test(h)) return 'gar';
  if (/\.azurecr\.io$/.test(h)) return 'acr';
  const label = h.split('.')[0]!.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(label) ? label : `r_${label}`;
}

/** `key`, or `key2`, `key3`… if it is taken. */
export function uniqueKey(key: string, taken: (candidate: string) => boolean): string {
  if (!taken(key)) return key;
  for (let n = 2; ; n++) if (!taken(`${key}${n}`)) return `${key}${n}`;
}
