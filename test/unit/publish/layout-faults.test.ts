/**
 * File-system faults on an `oci:` target, on real file systems (root only: a 64 KiB tmpfs, a
 * read-only remount, chattr +i): a typed E_LAYOUT naming the path and the fix, never E_INTERNAL;
 * and temp files a killed run left are removed by the next one, a live writer's never.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { isMultiarchError } from '../../../src/errors/multiarch-error.js';
import type { BlobSource } from '../../../src/publish/content-store.js';
import { LayoutStore } from '../../../src/publish/layout-store.js';

const root = process.getuid?.() === 0;
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.reverse().forEach((c) => c()));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-layout-fault-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function tmpfs(options: string): string {
  const dir = tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  cleanups.push(() => execFileSync('umount', ['-l', dir]));
  return dir;
}

function blob(size: number): BlobSource {
  const bytes = randomBytes(size);
  return { digest: sha256Digest(bytes), size, open: async function* () { yield bytes; } };
}

async function failure(work: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  const error: unknown = await work.then(() => undefined, (e: unknown) => e);
  expect(isMultiarchError(error), String(error)).toBe(true);
  return error as { code: string; message: string; hint?: string };
}

describe.runIf(root)('an oci: target on a hostile file system', () => {
  it('a full disk (ENOSPC) names the path and says to free space', async () => {
    const dir = path.join(tmpfs('size=64k'), 'oci');
    const error = await failure(new LayoutStore(dir).putBlob('team/web', blob(256 * 1024)));
    expect(error.code).toBe('E_LAYOUT');
    expect(error.message).toContain(`oci:${dir}: cannot write ${path.join(dir, 'blobs')}`);
    expect(error.message).toContain('no space left on the device (ENOSPC)');
    expect(error.hint).toContain('free space');
    expect(fs.readdirSync(path.join(dir, 'blobs')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('a read-only file system (EROFS) names the path and the fix', async () => {
    const mount = tmpfs('size=1m');
    execFileSync('mount', ['-o', 'remount,ro', mount]);
    const dir = path.join(mount, 'oci');
    const error = await failure(new LayoutStore(dir).putBlob('team/web', blob(10)));
    expect(error.code).toBe('E_LAYOUT');
    expect(error.message).toContain(dir);
    expect(error.message).toContain('(EROFS)');
    expect(error.hint).toContain('writable file system');
  });

  it('an immutable layout (chattr +i, EPERM) names the path', async () => {
    const dir = path.join(tempDir(), 'oci');
    const store = new LayoutStore(dir);
    await store.putBlob('team/web', blob(10));
    execFileSync('chattr', ['+i', dir]);
    cleanups.push(() => execFileSync('chattr', ['-i', dir]));
    const fresh = new LayoutStore(dir);
    const error = await failure(fresh.putBlob('team/web', blob(20)).then(() => fresh.putManifest('team/web', 'v1', { bytes: Buffer.from('{}'), digest: sha256Digest(Buffer.from('{}')), size: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json' })));
    expect(error.code).toBe('E_LAYOUT');
    expect(error.message).toMatch(/cannot write \S*oci\S*: operation not permitted \(EPERM\)/);
    expect(error.hint).toContain('chattr +i');
  });
});

describe('temp files in an oci: layout', () => {
  it('the next run removes what a dead run left, and leaves a live writer alone', async () => {
    const dir = path.join(tempDir(), 'oci');
    fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    // A process that has exited: its pid is free (not reused within this test's few milliseconds).
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const deadIndex = path.join(dir, `.index.json.${dead.pid}-abcdef`);
    const deadBlob = path.join(dir, 'blobs', `.tmp-${dead.pid}-012345`);
    const liveIndex = path.join(dir, `.index.json.${process.ppid}-abcdef`);
    for (const f of [deadIndex, deadBlob, liveIndex]) fs.writeFileSync(f, 'partial');
    await new LayoutStore(dir).putBlob('team/web', blob(10));
    expect(fs.existsSync(deadIndex)).toBe(false);
    expect(fs.existsSync(deadBlob)).toBe(false);
    expect(fs.existsSync(liveIndex)).toBe(true);
  });
});
