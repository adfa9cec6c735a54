import { describe, expect, it } from 'vitest';
import { publicSourceUrl } from '../../../src/facts/source-url.js';

describe('publicSourceUrl', () => {
  it('turns scp-style remotes into https URLs', () => {
    expect(publicSourceUrl('git@github.com:org/repo.git')).toBe('https://github.com/org/repo');
    expect(publicSourceUrl('git@gitlab.com:group/sub/repo')).toBe('https://gitlab.com/group/sub/repo');
    expect(publicSourceUrl('github.com:org/repo.git/')).toBe('https://github.com/org/repo');
  });

  it('keeps https remotes, without .git or a trailing slash', () => {
    expect(publicSourceUrl('https://github.com/org/repo.git')).toBe('https://github.com/org/repo');
    expect(publicSourceUrl('https://github.com/org/repo/')).toBe('https://github.com/org/repo');
    expect(publicSourceUrl('http://git.example.com/org/repo')).toBe('https://git.example.com/org/repo');
  });

  it('drops credentials and ports so they never reach an image label', () => {
    expect(publicSourceUrl('https://x-access-token:ghs_abc123@github.com/org/repo.git')).toBe('https://github.com/org/repo');
    expect(publicSourceUrl('https://oauth2:glpat-secret@gitlab.example.com:8443/g/repo.git')).toBe('https://gitlab.example.com/g/repo');
    expect(publicSourceUrl('ssh://git@github.com:22/org/repo.git')).toBe('https://github.com/org/repo');
    expect(publicSourceUrl('git://git.kernel.org/pub/scm/git/git.git')).toBe('https://git.kernel.org/pub/scm/git/git');
  });

  it('has no public URL for local paths and other protocols', () => {
    expect(publicSourceUrl('file:///srv/git/repo.git')).toBeUndefined();
    expect(publicSourceUrl('/srv/git/repo.git')).toBeUndefined();
    expect(publicSourceUrl('../repo')).toBeUndefined();
    expect(publicSourceUrl('ftp://example.com/repo.git')).toBeUndefined();
    expect(publicSourceUrl('')).toBeUndefined();
  });
});
