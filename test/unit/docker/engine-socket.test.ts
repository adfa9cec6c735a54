/**
 * The ambient engine over its unix socket, against a stand-in engine on a socket of its own: the
 * archive `docker save` would print, streamed (and how it ended), the engine's own error, a socket
 * nobody answers on (the CLI is asked then), an image's inspect; and which clients may use it at all.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientSocket } from '../../../src/docker/engine-socket.js';
import { localImageInfo } from '../../../src/docker/inspect-image.js';
import { saveFromSocket } from '../../../src/docker/save-image.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-socket-'));
const servers: http.Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function engine(handler: http.RequestListener): Promise<{ socket: string; paths: string[] }> {
  const socket = path.join(dir, `engine-${servers.length}.sock`);
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { socket, paths };
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const signal = new AbortController().signal;

describe('saveFromSocket', () => {
  it("streams the engine's archive for the image, and ends as docker save does", async () => {
    const archive = Buffer.alloc(300_000, 9);
    const { socket, paths } = await engine((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-tar' });
      res.write(archive.subarray(0, 1000));
      setTimeout(() => res.end(archive.subarray(1000)), 10);
    });
    const run = (await saveFromSocket(socket, 'sha256:abc', signal))!;
    expect(await read(run.stdout)).toEqual(archive);
    expect(await run.done).toEqual({ exitCode: 0, stderr: '', canceled: false });
    expect(paths).toEqual(['/images/sha256%3Aabc/get']);
  });

  it("fails with the engine's message for an image it does not have", async () => {
    const { socket } = await engine((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"reference does not exist"}');
    });
    const run = (await saveFromSocket(socket, 'sha256:gone', signal))!;
    expect(await read(run.stdout)).toHaveLength(0);
    expect(await run.done).toEqual({ exitCode: 1, stderr: 'Error response from daemon: reference does not exist', canceled: false });
  });

  it('ends the archive where a broken answer broke off, and fails', async () => {
    const { socket } = await engine((req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(5000, 1), () => req.socket.destroy());
    });
    const run = (await saveFromSocket(socket, 'sha256:abc', signal))!;
    const got = await read(run.stdout);
    expect(got.length).toBeLessThan(100_000);
    expect((await run.done).exitCode).toBe(1);
  });

  it('is undefined where no engine answers, so the CLI is asked', async () => {
    expect(await saveFromSocket(path.join(dir, 'nobody.sock'), 'sha256:abc', signal)).toBeUndefined();
  });
});

describe('clientSocket', () => {
  it('is the ambient socket for the default client only: a builder with a host or context of its own keeps the CLI', () => {
    const env = { DOCKER_HOST: 'unix:///run/user/docker.sock', DOCKER_CONFIG: dir };
    expect(clientSocket({ binary: 'docker', version: '27', env: {} }, env)).toBe('/run/user/docker.sock');
    expect(clientSocket({ binary: 'docker', version: '27', env: { DOCKER_HOST: 'unix:///other.sock', DOCKER_CONTEXT: undefined } }, env)).toBeUndefined();
    expect(clientSocket({ binary: 'docker', version: '27', env: { DOCKER_CONTEXT: 'remote', DOCKER_HOST: undefined } }, env)).toBeUndefined();
    expect(clientSocket({ binary: 'docker', version: '27', env: {} }, { DOCKER_HOST: 'ssh://build@host', DOCKER_CONFIG: dir })).toBeUndefined();
  });
});

describe('localImageInfo', () => {
  it('reads the platform and the diff ids from the engine inspect', () => {
    const json = JSON.stringify({ Id: 'sha256:abc', Os: 'linux', Architecture: 'arm64', Variant: 'v8', RootFS: { Type: 'layers', Layers: ['sha256:1', 'sha256:2'] } });
    expect(localImageInfo(json)).toEqual({ id: 'sha256:abc', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, diffIds: ['sha256:1', 'sha256:2'] });
    expect(localImageInfo(JSON.stringify({ Id: 'sha256:abc', Os: 'linux', Architecture: 'amd64' })).diffIds).toEqual([]);
  });
});
