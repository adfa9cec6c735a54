/** Registry HTTP failures turned into errors that say what to do. Pure. */
import { MultiarchError } from '../errors/multiarch-error.js';

interface DistributionErrors {
  errors?: Array<{ code?: string; message?: string; detail?: unknown }>;
}

/** `MANIFEST_INVALID: manifest invalid` from the distribution error body, when there is one. */
export function describeRegistryBody(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as DistributionErrors;
    const first = parsed.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(': ');
  } catch {
    // Not JSON: proxies and load balancers answer in HTML.
  }
  const text = body.trim().split('\n')[0]?.slice(0, 200);
  return text || undefined;
}

/**
 * A PUT of a manifest refused because the tag may not move: ECR (400 TAG_INVALID "… cannot be
 * overwritten because the repository is immutable"), Harbor (412 PRECONDITION "… configured as
 * immutable"), Artifactory/GAR (400/409 mentioning immutability).
 */
export function isImmutableTagRejection(status: number, body: string): boolean {
  if (status !== 400 && status !== 409 && status !== 412) return false;
  const detail = describeRegistryBody(body) ?? '';
  return /immutable|cannot be overwritten/i.test(detail) || (status === 400 && /^TAG_INVALID/.test(detail) && /already exists/i.test(detail));
}

export function httpError(what: string, registry: string, status: number, body: string, headers?: { get(name: string): string | null }): MultiarchError {
  const detail = describeRegistryBody(body);
  const message = `${what} on ${registry}: HTTP ${status}${detail ? ` (${detail})` : ''}`;
  if (status === 401 || status === 403) {
    return new MultiarchError('E_REGISTRY_AUTH', message, {
      hint: `log in with \`docker login ${registry}\` using an account that may push there, or check the repository name`,
    });
  }
  if (status === 404) return new MultiarchError('E_REGISTRY', message, { hint: 'check the repository name and that it exists' });
  if (status === 429) {
    const remaining = headers?.get('ratelimit-remaining');
    return new MultiarchError('E_REGISTRY', message, {
      hint: `the registry is rate limiting${remaining ? ` (ratelimit-remaining: ${remaining})` : ''}; log in or try later`,
    });
  }
  if (status === 400 && /TAG_INVALID|immutable/i.test(body)) {
    return new MultiarchError('E_REGISTRY', message, { hint: 'the tag is immutable and already holds another digest; pick a new tag' });
  }
  return new MultiarchError('E_REGISTRY', message);
}

/** A request during which nothing moved for the idle timeout (a hung registry or proxy). */
export function stallError(registry: string, method: string, url: string, timeoutMs: number): MultiarchError {
  return new MultiarchError('E_REGISTRY_UNREACHABLE', `${method} ${new URL(url).pathname} on ${registry} stalled: nothing moved for ${timeoutMs / 1000}s`, {
    hint: 'the registry (or a proxy in front of it) stopped answering; if it is only slow, raise MULTIARCH_HTTP_TIMEOUT (seconds)',
    registry,
  });
}

export function networkError(registry: string, url: string, error: unknown): MultiarchError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? '';
  const detail = cause?.message ?? (error as Error)?.message ?? String(error);
  let hint = 'check that the registry is running and reachable from this machine';
  if (code === 'ECONNREFUSED') hint = `nothing listens at ${new URL(url).host}; start the registry or fix the url`;
  else if (/EPROTO|wrong version number|SSL/i.test(`${code} ${detail}`)) hint = 'the registry speaks plain HTTP: set insecure: true on it (only for registries you run yourself)';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') hint = `the host ${new URL(url).hostname} does not resolve; check the registry url and your network`;
  // `registry` names it for the summary's "Unreachable registries" (a push or index failing here
  // is as much the registry's fault as a build that could not pull from it).
  return new MultiarchError('E_REGISTRY_UNREACHABLE', `cannot reach ${registry}: ${detail}`, { hint, registry });
}
