/**
 * One client per registry per run, so every push to a registry shares its tokens and its
 * knowledge of which repository already holds which blob (the source of cross-repo mounts). Edge.
 */
import process from 'node:process';
import { RegistryClient, type RegistryEndpoint } from './client.js';
import { resolveCredential } from './credentials.js';

export interface RegistryTargetLike extends RegistryEndpoint {
  readonly authKey: string;
}

export interface RegistrySession {
  readonly client: RegistryClient;
  /** digest → repositories of this registry known to hold it (pushed, mounted or seen this run). */
  readonly blobHomes: Map<string, Set<string>>;
}

export interface RegistryPool {
  get(target: RegistryTargetLike): RegistrySession;
}

export function createRegistryPool(options: { env?: NodeJS.ProcessEnv; fetch?: typeof fetch } = {}): RegistryPool {
  const sessions = new Map<string, RegistrySession>();
  return {
    get(target) {
      const key = `${target.scheme}://${target.apiHost}`;
      let session = sessions.get(key);
      if (!session) {
        session = {
          client: new RegistryClient({
            endpoint: target,
            credential: () => resolveCredential(target.authKey, options.env ?? process.env),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          }),
          blobHomes: new Map(),
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
