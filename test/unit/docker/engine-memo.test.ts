/**
 * The local engine's /version answer remembered by its /_ping identity (engine-memo.ts), against a
 * stand-in engine on a unix socket that answers both as dockerd does and counts what it is asked.
 */
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localEngine } from '../../../src/docker/engine-memo.js';
import { tempTree } from '../temp-tree.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function fakeEngine(socketPath: string, engine: { version: string; arch: string; server?: boolean }) {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    const headers: Record<string, string> = { 'Api-Version': '1.41', Ostype: 'linux', ...(engine.server === false ? {} : { Server: `Docker/${engine.version} (linux)` }) };
    if (req.url === '/_ping') return res.writeHead(200, headers).end('OK');
    if (req.url === '/version') return res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify({ Version: engine.version, Os: 'linux', Arch: engine.arch }));
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(socketPath, r));
  return { asked, close: () => new Promise((r) => server.close(r)) };
}

describe('localEngine', () => {
  it('asks /version once, then only pings while the engine is the same', async () => {
    const dir = tempTree({});
    const socket = path.join(dir, 'docker.sock');
    const memo = path.join(dir, 'cache/docker-engines.json');
    const engine = await fakeEngine(socket, { version: '20.10.24', arch: 'amd64' });
    expect(await localEngine(socket, memo)).toEqual({ version: '20.10.24', platform: 'linux/amd64' });
    expect(await localEngine(socket, memo)).toEqual({ version: '20.10.24', platform: 'linux/amd64' });
    expect(engine.asked.filter((u) => u === '/version')).toHaveLength(1);
    expect(engine.asked.filter((u) => u === '/_ping')).toHaveLength(2);
  });

  it('asks again when another engine answers on the socket, and says nothing when none does', async () => {
    const dir = tempTree({});
    const socket = path.join(dir, 'docker.sock');
    const memo = path.join(dir, 'docker-engines.json');
    const first = await fakeEngine(socket, { version: '20.10.24', arch: 'amd64' });
    await localEngine(socket, memo);
    await first.close();
    expect(await localEngine(socket, memo)).toBeUndefined();
    const second = await fakeEngine(socket, { version: '28.0.1', arch: 'arm64' });
    expect(await localEngine(socket, memo)).toEqual({ version: '28.0.1', platform: 'linux/arm64' });
    expect(second.asked).toContain('/version');
  });

  it('remembers nothing for an engine whose ping names no server', async () => {
    const dir = tempTree({});
    const socket = path.join(dir, 'docker.sock');
    const memo = path.join(dir, 'docker-engines.json');
    const engine = await fakeEngine(socket, { version: '20.10.24', arch: 'amd64', server: false });
    await localEngine(socket, memo);
    await localEngine(socket, memo);
    expect(engine.asked.filter((u) => u === '/version')).toHaveLength(2);
  });
});
