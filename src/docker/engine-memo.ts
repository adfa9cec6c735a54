/**
 * The ambient local engine's version and platform without asking for them every run: dockerd
 * answers `GET /version` in ≈20–30 ms here (it asks containerd and runc for theirs), `GET /_ping`
 * in ≈1 ms, and the ping's headers name the engine (`Server: Docker/20.10.24 (linux)`, its API
 * version, its OS). So the answer of /version is remembered per socket with the ping's identity,
 * and used while a ping returns the same identity; another engine on that socket (an upgrade, a
 * switched VM) pings differently and is asked again. Kept beside the client memo (client-memo.ts),
 * in the user's cache directory. Edge: HTTP on a unix socket, one JSON file.
 */
import http from 'node:http';
import { readMemo, writeMemo } from './client-memo.js';
import type { EngineInfo } from './detect.js';
import { engineFromSocket } from './engine-socket.js';

interface RememberedEngine extends EngineInfo {
  readonly identity: string;
}

/** The engine on `socketPath` (undefined when it does not answer), remembered in `memoFile`. */
export async function localEngine(socketPath: string, memoFile: string): Promise<EngineInfo | undefined> {
  const memo = readMemo<RememberedEngine>(memoFile);
  const seen = memo[socketPath];
  const ping = await pingEngine(socketPath);
  if (!ping.up) return undefined;
  if (ping.identity && seen?.identity === ping.identity) return { version: seen.version, platform: seen.platform };
  const engine = await engineFromSocket(socketPath);
  if (engine && ping.identity) await writeMemo(memoFile, { ...memo, [socketPath]: { identity: ping.identity, version: engine.version, platform: engine.platform } });
  return engine;
}

/**
 * Whether the engine answers `GET /_ping`, and who it says it is (Server, API version, OS); no
 * identity when it sends no Server header, so nothing is remembered for it.
 */
export function pingEngine(socketPath: string, timeoutMs = 5_000): Promise<{ readonly up: boolean; readonly identity?: string }> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      const header = (name: string) => String(res.headers[name] ?? '');
      if (res.statusCode !== 200) return resolve({ up: false });
      resolve(header('server') ? { up: true, identity: [header('server'), header('api-version'), header('ostype')].join('|') } : { up: true });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ up: false }));
  });
}
