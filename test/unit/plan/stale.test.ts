import { describe, expect, it } from 'vitest';
import { fingerprintChanges } from '../../../src/plan/incremental/stale.js';

const a = `sha256:${'a'.repeat(64)}`;
const b = `sha256:${'b'.repeat(64)}`;

describe('fingerprintChanges', () => {
  it('finds nothing when inputs and tags are the same', () => {
    expect(fingerprintChanges({ inputs: { x: a }, tags: { 'h/r:t': b, 'h/r:u': null } }, { inputs: { x: a }, tags: { 'h/r:t': b, 'h/r:u': null } })).toEqual([]);
  });

  it('names every build whose inputs and every tag whose digest moved', () => {
    const out = fingerprintChanges({ inputs: { 'build:web@linux/amd64': a }, tags: { 'h/r:t': null, 'h/r:u': a } }, { inputs: { 'build:web@linux/amd64': b }, tags: { 'h/r:t': b, 'h/r:u': a } });
    expect(out).toEqual([
      'build:web@linux/amd64: inputs sha256:aaaaaaaaaaaa → sha256:bbbbbbbbbbbb',
      'h/r:t: missing when planned, sha256:bbbbbbbbbbbb now',
    ]);
  });

  it('treats a tag an offline plan did not know as missing then', () => {
    expect(fingerprintChanges({ inputs: {}, tags: {} }, { inputs: {}, tags: { 'h/r:t': null } })).toEqual([]);
    expect(fingerprintChanges({ inputs: {}, tags: {} }, { inputs: {}, tags: { 'h/r:t': a } })).toHaveLength(1);
  });
});
