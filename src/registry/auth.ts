/**
 * The registry's own auth dance, answered once per scope: a `Basic` challenge gets the stored login;
 * a `Bearer` challenge sends us to its realm for a token for exactly the scopes the request needs
 * (with the login, an identity token, or anonymously when there is no login — Docker Hub's public
 * pulls). Every token and header value is registered for redaction the moment it exists. Edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import { registerSecret } from '../sys/redact.js';
import type { Credential } from './credentials.js';
import type { HttpFetch, HttpResponse } from './http-transport.js';
import { networkError } from './registry-error.js';
import { parseChallenge } from './www-authenticate.js';

export interface AuthState {
  /** `Bearer …` per sorted scope set. */
  readonly tokens: Map<string, string>;
  /** `Basic …` once a Basic challenge was answered. */
  basic: string | undefined;
}

export interface AuthContext {
  readonly host: string;
  readonly fetch: HttpFetch;
  readonly credential: () => Promise<Credential | undefined>;
}

export function authorizationFor(state: AuthState, scopeKey: string): string | undefined {
  return state.tokens.get(scopeKey) ?? state.basic;
}

export async function answerChallenge(
  ctx: AuthContext,
  state: AuthState,
  header: string | null,
  scopes: readonly string[],
  scopeKey: string,
  signal?: AbortSignal,
): Promise<void> {
  const challenge = parseChallenge(header);
  const credential = await ctx.credential();
  if (!challenge) return;
  if (challenge.scheme === 'basic') {
    if (!credential || credential.kind !== 'basic') {
      throw new MultiarchError('E_REGISTRY_AUTH', `${ctx.host} requires a login and none is stored for it`, {
        hint: `run \`docker login ${ctx.host}\` (multiarch reads the same credentials)`,
      });
    }
    state.basic = basicHeader(credential.username, credential.password);
    registerSecret(state.basic.slice(6));
    return;
  }
  const realm = challenge.params.realm;
  if (!realm) throw new MultiarchError('E_REGISTRY_AUTH', `${ctx.host} sent a Bearer challenge without a realm`);
  const token = await fetchToken(ctx, realm, challenge.params.service, scopes, credential, signal);
  registerSecret(token);
  state.tokens.set(scopeKey, `Bearer ${token}`);
}

async function fetchToken(
  ctx: AuthContext,
  realm: string,
  service: string | undefined,
  scopes: readonly string[],
  credential: Credential | undefined,
  signal?: AbortSignal,
): Promise<string> {
  const params = new URLSearchParams();
  if (service) params.set('service', service);
  for (const s of scopes) params.append('scope', s);
  let res: HttpResponse;
  try {
    if (credential?.kind === 'identity-token') {
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', credential.token);
      params.set('client_id', 'multiarch');
      res = await ctx.fetch(realm, { method: 'POST', body: params, ...(signal ? { signal } : {}) });
    } else {
      const headers: Record<string, string> = {};
      if (credential) headers.Authorization = basicHeader(credential.username, credential.password);
      res = await ctx.fetch(`${realm}?${params}`, { headers, ...(signal ? { signal } : {}) });
    }
  } catch (error) {
    throw networkError(`${ctx.host} (token service)`, realm, error);
  }
  const text = await res.text();
  if (!res.ok) {
    throw new MultiarchError('E_REGISTRY_AUTH', `${ctx.host} refused a token (HTTP ${res.status})${credential ? ` for the login from ${credential.source}` : ' without a login'}`, {
      hint: credential ? `the stored login may be wrong or expired: \`docker login ${ctx.host}\`` : `run \`docker login ${ctx.host}\``,
    });
  }
  const body = JSON.parse(text) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new MultiarchError('E_REGISTRY_AUTH', `${ctx.host}'s token service answered without a token`);
  return token;
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
