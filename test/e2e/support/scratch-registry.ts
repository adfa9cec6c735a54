/**
 * A throw-away CNCF distribution registry (the `docker-registry` the test environment installs) with
 * htpasswd auth for one login, on a free loopback port, for tests that need a login the shared
 * registries do not have (ECR's `AWS` user). Stopped by its pid and removed when the test ends.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

export interface ScratchRegistry {
  readonly host: string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startScratchRegistry(login: { user: string; password: string }): Promise<ScratchRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-scratch-registry-'));
  const htpasswd = await execa('htpasswd', ['-Bbn', login.user, login.password], { stdin: 'ignore' });
  writeFileSync(path.join(dir, 'htpasswd'), htpasswd.stdout);
  const host = `127.0.0.1:${await freePort()}`;
  writeFileSync(
    path.join(dir, 'config.yml'),
    `version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: ${dir}/data } }
http: { addr: ${host}, secret: scratch }
auth: { htpasswd: { realm: scratch, path: ${dir}/htpasswd } }
`,
  );
  const child: ResultPromise = execa('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdin: 'ignore', reject: false });
  onTestFinished(async () => {
    child.kill('SIGTERM');
    await child;
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 80; i++) {
    const status = await fetch(`http://${host}/v2/`).then((r) => r.status, () => 0);
    if (status === 401) return { host };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the scratch registry on ${host} did not come up`);
}
