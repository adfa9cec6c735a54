/** What a killed run left, told from a live run's: by the owning pid (real temp folders). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { describe, expect, it } from 'vitest';
import { deadOwnerContainers, removeDeadRunDirs } from '../../../src/sys/run-owner.js';

describe('run owners', () => {
  it('picks the containers of pids that no longer run', () => {
    const alive = (pid: number) => pid === 10;
    expect(deadOwnerContainers(['abc 10', 'def 11', '', 'ghi'], alive)).toEqual(['def']);
  });

  it('removes the temp folders of dead runs and keeps a live run\'s', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-owner-test-'));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    fs.mkdirSync(path.join(tmp, `multiarch-run-${dead.pid}`, 'build-x'), { recursive: true });
    fs.mkdirSync(path.join(tmp, `multiarch-run-${process.pid}`));
    fs.mkdirSync(path.join(tmp, 'multiarch-run-notapid'));
    expect(await removeDeadRunDirs(tmp)).toEqual([path.join(tmp, `multiarch-run-${dead.pid}`)]);
    expect(fs.readdirSync(tmp).sort()).toEqual([`multiarch-run-${process.pid}`, 'multiarch-run-notapid']);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
