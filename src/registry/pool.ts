/**
 * One client per registry per run, so every push to a registry shares its tokens, its knowledge of
 * which repository already holds which blob (the source of cross-repo mounts), and the uploads in
 * flight (a blob two pushes need goes up once). Edge.
 */
import process from 'node:process';
import { RegistryClient, type RegistryClientOptions, type RegistryEndpoint } from './client.js';
import { resolveCredential } from './credentials.js';
import { resolveEcrCredential, type EcrOptions } from './ecr.js';
import type { HttpFetch } from './http-transport.js';

export interface RegistryTargetLike extends RegistryEndpoint {
  readonly authKey: string;
  readonly ecr?: EcrOptions;
}

export interface RegistrySession {
  readonly client: RegistryClient;
  /** digest → repositories of this registry known to hold it (pushed, mounted or seen this run). */
  readonly blobHomes: Map<string, Set<string>>;
  /** digest → the put of that blob under way on this registry (puts of one digest take turns). */
  readonly inflight: Map<string, Promise<unknown>>;
  /** Whether the registry answers the OCI 1.1 referrers API: decided by its first answer, once per run. */
  referrersApi?: Promise<boolean>;
}

export interface RegistryPool {
  get(target: RegistryTargetLike): RegistrySession;
}

export type HttpSettings = Pick<RegistryClientOptions, 'attempts' | 'idleTimeoutMs' | 'chunkSize'>;

export function createRegistryPool(options: { env?: NodeJS.ProcessEnv; fetch?: HttpFetch; http?: HttpSettings } = {}): RegistryPool {
  const sessions = new Map<string, RegistrySession>();
  const env = options.env ?? process.env;
  return {
    get(target) {
      const key = `${target.scheme}://${target.apiHost}`;
      let session = sessions.get(key);
      if (!session) {
        session = {
          client: new RegistryClient({
            endpoint: target,
            credential: () => (target.ecr ? resolveEcrCredential(target.host, target.ecr, env) : resolveCredential(target.authKey, env)),
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...options.http,
          }),
          blobHomes: new Map(),
          inflight: new Map(),
        };
        sessions.set(key, session);
      }
      return session;
    },
  };
}

export function rememberBlob(session: RegistrySession, digest: string, repo: string): void {
  let homes = session.blobHomes.get(digest);
  if (!homes) session.blobHomes.set(digest, (homes = new Set()));
  homes.add(repo);
}
