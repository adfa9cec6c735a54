/**
 * Image references as Docker reads them (`org/app:v1` is `docker.io/org/app:v1`), and the names
 * multiarch's registries get for a host (`ghcr.io` → `ghcr`). Used wherever a full reference has
 * to become a registry entry plus a repository and a tag: `init --registry`, `add image
 * --publish`, and the bake and compose importers. Pure.
 */

export interface ImageReference {
  /** As written in references, `docker.io` for Docker Hub. */
  readonly host: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** `host[:port]/path[:tag][@digest]`, the host defaulting to docker.io as Docker does; undefined when malformed. */
export function parseImageReference(text: string): ImageReference | undefined {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  const first = parts[0]!;
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  const host = hasHost ? normalizeHost(first) : 'docker.io';
  const path = hasHost ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every((p) => COMPONENT.test(p))) return undefined;
  return { host, repository: path.join('/'), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB.has(lower) ? 'docker.io' : lower;
}

/** `docker.io/org/app:v1`: the reference written out in full. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.host}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Registries Docker talks to over plain HTTP unless told otherwise: the loopback ones. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\./.test(name) || name === '[::1]';
}

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
