/**
 * How a registry's `url` maps onto the three names Docker uses for it: the host written in image
 * references, the host the HTTP API lives on, and the key `docker login` stores credentials under.
 * Docker Hub is the one registry where they all differ. Pure.
 */
import path from 'node:path';

export interface RegistryAddress {
  /** As written in image references: `docker.io`, `127.0.0.1:5000`. */
  readonly host: string;
  /** Where the distribution API answers: `registry-1.docker.io` for Docker Hub. */
  readonly apiHost: string;
  /** The `auths` / credential-helper key in `~/.docker/config.json`. */
  readonly authKey: string;
  readonly scheme: 'http' | 'https';
  /** Docker Hub puts single-name repositories under `library/`. */
  readonly isDockerHub: boolean;
}

const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export type RegistryUrlResult = { ok: true; address: RegistryAddress } | { ok: false; message: string; hint: string };

/** `user:pass@` in a url, with or without a scheme: never echoed back, not even in an error. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)?[^@/\s]*@/i;

/** The url as messages may show it: any userinfo replaced by `***`. */
export function redactUserinfo(url: string): string {
  return url.replace(USERINFO, (_, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

export function parseRegistryUrl(url: string, insecure = false): RegistryUrlResult {
  const trimmed = url.trim();
  const shown = redactUserinfo(trimmed);
  // Only the host[:port] part can be suggested: a path (`/v2/`) or credentials never belong in url.
  const hostPart = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/\s]*@/, '').replace(/[/?#].*$/, '');
  const suggestion = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(hostPart) ? hostPart : undefined;
  if (USERINFO.test(trimmed)) {
    return {
      ok: false,
      message: `"${shown}" holds credentials; they do not belong in the config`,
      hint: `${suggestion ? `use url: "${suggestion}" and ` : ''}log in with \`docker login ${suggestion ?? '<host>'}\` (or set auth), so the password stays out of the file`,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    return {
      ok: false,
      message: `"${shown}" has a scheme${hostPart !== trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '') ? ' and a path' : ''}; write the host as it appears in image references`,
      hint: suggestion
        ? `use url: "${suggestion}"${/^http:/i.test(trimmed) ? ' with insecure: true' : ''}`
        : 'write host[:port], e.g. "ghcr.io" or "127.0.0.1:5000"',
    };
  }
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(trimmed) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/i.test(trimmed)) {
    return { ok: false, message: `"${shown}" is not a registry host`, hint: 'write host[:port], e.g. "ghcr.io" or "127.0.0.1:5000"' };
  }
  const host = trimmed.toLowerCase();
  if (DOCKER_HUB_NAMES.has(host)) {
    return {
      ok: true,
      address: { host: 'docker.io', apiHost: 'registry-1.docker.io', authKey: 'https://index.docker.io/v1/', scheme: 'https', isDockerHub: true },
    };
  }
  return { ok: true, address: { host, apiHost: host, authKey: host, scheme: insecure ? 'http' : 'https', isDockerHub: false } };
}

/** The repository path as the registry API sees it (`nginx` on Docker Hub is `library/nginx`). */
export function apiRepository(address: RegistryAddress, repository: string): string {
  return address.isDockerHub && !repository.includes('/') ? `library/${repository}` : repository;
}

/**
 * `docker.io/team/web:v1`, `127.0.0.1:5000/team/web@sha256:…`; in an OCI layout skopeo's form,
 * `oci:/abs/dir:team/web:v1` (the layout's `org.opencontainers.image.ref.name` is `team/web:v1`).
 */
export function formatImageRef(address: Pick<RegistryAddress, 'host'>, repository: string, tagOrDigest: string): string {
  const sep = tagOrDigest.startsWith('sha256:') ? '@' : ':';
  if (isLayoutHost(address.host)) return `${address.host}:${repository}${sep}${tagOrDigest}`;
  return `${address.host}/${repository}${sep}${tagOrDigest}`;
}

/** `oci:./out` (relative to the config's directory) or `oci:/abs/out`. */
export function isLayoutUrl(url: string): boolean {
  return /^oci:/i.test(url.trim());
}

export function isLayoutHost(host: string): boolean {
  return host.startsWith('oci:');
}

export type LayoutUrlResult = { ok: true; dir: string; host: string } | { ok: false; message: string; hint: string };

/** An OCI image layout target: the absolute directory, and `oci:<dir>` as its host in refs. */
export function parseLayoutUrl(url: string, configDir: string): LayoutUrlResult {
  const rest = url.trim().slice('oci:'.length);
  if (rest === '' || rest.includes(':')) {
    return {
      ok: false,
      message: `"${url}" is not an OCI layout path`,
      hint: 'write oci:<directory>, e.g. "oci:./.multiarch/oci" (relative to the config file, no ":" in it)',
    };
  }
  const dir = path.resolve(configDir, rest);
  return { ok: true, dir, host: `oci:${dir}` };
}
