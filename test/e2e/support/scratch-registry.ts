/**
 * A throw-away CNCF distribution registry (the `docker-registry` the test environment installs) on
 * a free loopback port with a storage folder of its own: with htpasswd auth for one login, for tests
 * that need a login the shared registries do not have (ECR's `AWS` user), or without, for tests that
 * kill a registry mid-run (`kill()`) and start it again on the same port and storage (`start()`) to
 * look at what it holds. Stopped by its pid and removed when the test ends.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

export interface ScratchRegistry {
  readonly host: string;
  /** SIGKILL: the registry dies as a crashed one does, without finishing what it was doing. */
  kill(): Promise<void>;
  /** Starts it again on the same port and storage; resolves once it answers. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startScratchRegistry(login?: { user: string; password: string }): Promise<ScratchRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-scratch-registry-'));
  if (login) {
    const htpasswd = await execa('htpasswd', ['-Bbn', login.user, login.password], { stdin: 'ignore' });
    writeFileSync(path.join(dir, 'htpasswd'), htpasswd.stdout);
  }
  const host = `127.0.0.1:${await freePort()}`;
  writeFileSync(
    path.join(dir, 'config.yml'),
    `version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: ${dir}/data } }
http: { addr: ${host}, secret: scratch }
${login ? `auth: { htpasswd: { realm: scratch, path: ${dir}/htpasswd } }\n` : ''}`,
  );
  let child: ResultPromise | undefined;
  const stop = async (signal: NodeJS.Signals) => {
    child?.kill(signal);
    await child;
    child = undefined;
  };
  const start = async () => {
    child = execa('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdin: 'ignore', reject: false });
    for (let i = 0; i < 300; i++) {
      const status = await fetch(`http://${host}/v2/`).then((r) => r.status, () => 0);
      if (status === (login ? 401 : 200)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the scratch registry on ${host} did not come up`);
  };
  onTestFinished(async () => {
    await stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return { host, kill: () => stop('SIGKILL'), start };
}
