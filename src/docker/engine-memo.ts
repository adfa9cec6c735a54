/**
 * The ambient local engine's version and platform without asking for them every run: dockerd
 * answers `GET /version` in ≈20–30 ms here (it asks containerd and runc for theirs), `GET /_ping`
 * in ≈1 ms, and the ping's headers name the engine (`Server: Docker/20.10.24 (linux)`, its API
 * version, its OS). So the answer of /version is remembered per socket with the ping's identity,
 * and used while a ping returns the same identity; another engine on that socket (an upgrade, a
 * switched VM) pings differently and is asked again. Kept beside the client memo (client-memo.ts),
 * in the user's cache directory. Edge: HTTP on a unix socket, one JSON file.
 */
import { readMemo, writeMemo } from './client-memo.js';
import type { EngineInfo } from './detect.js';
import { engineFromSocket, requestFromSocket } from './engine-socket.js';

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
export async function pingEngine(socketPath: string, timeoutMs = 5_000): Promise<{ readonly up: boolean; readonly identity?: string }> {
  const res = await requestFromSocket(socketPath, '/_ping', AbortSignal.timeout(timeoutMs)).catch(() => undefined);
  if (!res) return { up: false };
  res.resume();
  if (res.statusCode !== 200) return { up: false };
  const header = (name: string) => String(res.headers[name] ?? '');
  return header('server') ? { up: true, identity: [header('server'), header('api-version'), header('ostype')].join('|') } : { up: true };
}
