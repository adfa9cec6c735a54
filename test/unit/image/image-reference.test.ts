import { describe, expect, it } from 'vitest';
import { formatImageReference, formatReference, parseImageReference, parsePullReference } from '../../../src/image/image-reference.js';

describe('image references: one parser', () => {
  it('reads a reference as written with Docker’s host rule', () => {
    expect(parseImageReference('org/app:v1')).toEqual({ host: 'docker.io', repository: 'org/app', tag: 'v1' });
    expect(parseImageReference('index.docker.io/node')).toEqual({ host: 'docker.io', repository: 'node' });
    expect(parseImageReference('localhost:5000/team/web@sha256:' + 'a'.repeat(64))).toEqual({ host: 'localhost:5000', repository: 'team/web', digest: `sha256:${'a'.repeat(64)}` });
    expect(parseImageReference('Bad/Repo')).toBeUndefined();
    expect(formatImageReference({ host: 'ghcr.io', repository: 'o/a', tag: 'v1' })).toBe('ghcr.io/o/a:v1');
  });

  it('resolves a reference as a pull does: library/, latest, a well-formed digest', () => {
    expect(parsePullReference('node')).toEqual({ ok: true, reference: { host: 'docker.io', repository: 'library/node', tag: 'latest' } });
    expect(parsePullReference('node@sha256:12')).toEqual({ ok: false, message: '"node@sha256:12" has an invalid digest' });
    expect(parsePullReference('a b')).toEqual({ ok: false, message: '"a b" is not a valid image reference' });
    const pinned = parsePullReference(`127.0.0.1:5000/x:1@sha256:${'b'.repeat(64)}`);
    expect(pinned.ok && formatReference(pinned.reference)).toBe(`127.0.0.1:5000/x@sha256:${'b'.repeat(64)}`);
  });
});
