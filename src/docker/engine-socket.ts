/**
 * Asks the ambient engine for its version and platform over its unix socket (`GET /version`),
 * the same answer `docker version` prints, without starting a process: a no-op run spawns nothing.
 * Only for a local socket (DOCKER_HOST unset or unix://, no DOCKER_CONTEXT); anything else returns
 * undefined and the caller asks the CLI. Edge: one HTTP request on a unix socket.
 */
import http from 'node:http';
import { readCliConfig } from './cli-config.js';
import type { EngineInfo } from './detect.js';

export function ambientSocket(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKER_CONTEXT || currentContext(env)) return undefined;
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

export function engineFromSocket(socketPath: string, timeoutMs = 5_000): Promise<EngineInfo | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/version', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          const v = JSON.parse(body) as { Version?: unknown; Os?: unknown; Arch?: unknown };
          const ok = res.statusCode === 200 && typeof v.Version === 'string' && typeof v.Os === 'string' && typeof v.Arch === 'string';
          resolve(ok ? { version: v.Version as string, platform: `${v.Os as string}/${v.Arch as string}` } : undefined);
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** A non-default `currentContext` in the CLI's config points the CLI elsewhere than the socket. */
function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  const context = readCliConfig(env).currentContext;
  return typeof context === 'string' && context !== '' && context !== 'default' ? context : undefined;
}
