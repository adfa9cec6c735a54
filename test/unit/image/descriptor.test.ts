import { describe, expect, it } from 'vitest';
import { isDigest, sha256Digest, shortDigest } from '../../../src/image/descriptor.js';

describe('digests', () => {
  it('hashes strings and buffers the same way', () => {
    expect(sha256Digest('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Digest('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Digest(Buffer.from('abc'))).toBe(sha256Digest('abc'));
  });

  it('recognises a sha256 digest and nothing else', () => {
    expect(isDigest(sha256Digest('x'))).toBe(true);
    expect(isDigest(`sha256:${'A'.repeat(64)}`)).toBe(false);
    expect(isDigest(`sha256:${'a'.repeat(63)}`)).toBe(false);
    expect(isDigest(`sha512:${'a'.repeat(64)}`)).toBe(false);
    expect(isDigest('v1')).toBe(false);
  });

  it('shortens a digest to 12 hex characters for people', () => {
    expect(shortDigest('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')).toBe('sha256:ba7816bf8f01');
  });
});
