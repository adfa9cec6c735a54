/**
 * The one image-reference parser. Docker's rules (`org/app:v1` is `docker.io/org/app:v1`) for a
 * reference as written — what `init --registry`, `add image --publish` and the importers turn into
 * a registry entry, repository and tag — and, on top, the reference as a pull resolves it
 * (parsePullReference: `library/` for single-name Docker Hub repositories, `latest` when neither a
 * tag nor a digest is given, a well-formed digest), for the base images a build pulls. Pure.
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

/** A reference as a pull resolves it (see the top of this file); a message when it is malformed. */
export type ParseReferenceResult = { ok: true; reference: ImageReference } | { ok: false; message: string };

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export function parsePullReference(text: string): ParseReferenceResult {
  const parsed = parseImageReference(text);
  if (!parsed) return { ok: false, message: `"${text}" is not a valid image reference` };
  if (parsed.digest && !DIGEST.test(parsed.digest)) return { ok: false, message: `"${text}" has an invalid digest` };
  const repository = parsed.host === 'docker.io' && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository;
  return { ok: true, reference: { ...parsed, repository, ...(parsed.tag || parsed.digest ? {} : { tag: 'latest' }) } };
}

/** `docker.io/library/node:20`, `host/repo@sha256:…` (the digest wins over a tag, as in a pull). */
export function formatReference(ref: ImageReference): string {
  return ref.digest ? `${ref.host}/${ref.repository}@${ref.digest}` : `${ref.host}/${ref.repository}:${ref.tag ?? 'latest'}`;
}
