import { describe, expect, it } from 'vitest';
import { createBackgroundWork } from '../../../src/exec/background.js';

const later = (ms: number, then?: () => void) => new Promise<void>((resolve) => setTimeout(() => (then?.(), resolve()), ms));

describe('background work', () => {
  it('settles only once everything added has finished, including work added meanwhile', async () => {
    const work = createBackgroundWork();
    const done: string[] = [];
    work.add(later(20, () => done.push('first')));
    work.add(
      later(5, () => {
        done.push('second');
        // Added while settle() is already waiting.
        work.add(later(30, () => done.push('third')));
      }),
    );
    await work.settle();
    expect(done).toEqual(['second', 'first', 'third']);
  });

  it('does not let a failure escape or stop the wait for the rest', async () => {
    const work = createBackgroundWork();
    let finished = false;
    work.add(Promise.reject(new Error('container already gone')));
    work.add(later(10, () => (finished = true)));
    await expect(work.settle()).resolves.toBeUndefined();
    expect(finished).toBe(true);
  });

  it('settles at once when nothing was added', async () => {
    await expect(createBackgroundWork().settle()).resolves.toBeUndefined();
  });
});
