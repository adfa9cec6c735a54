import { describe, expect, it } from 'vitest';
import { ancestorTags } from '../../../src/config/ancestor-tags.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('ancestorTags: the tags a gitTags() rule gave the commits before HEAD', () => {
  it('gives each ancestor its sha tag and its version tags, nearest first, without branch/pr/latest', () => {
    const tags = ancestorTags({ sha: true, branch: true, pr: true, latest: true, semver: ['{{version}}', '{{major}}.{{minor}}'] }, [
      { sha: A, tags: [] },
      { sha: B, tags: ['v1.2.3', 'unrelated'] },
    ]);
    expect(tags).toEqual([
      { tag: 'sha-aaaaaaa', from: 'tag of commit aaaaaaaaaaaa (HEAD~1)' },
      { tag: '1.2.3', from: 'tag of commit bbbbbbbbbbbb (HEAD~2)' },
      { tag: '1.2', from: 'tag of commit bbbbbbbbbbbb (HEAD~2)' },
      { tag: 'sha-bbbbbbb', from: 'tag of commit bbbbbbbbbbbb (HEAD~2)' },
    ]);
  });

  it('follows the rule: a prefix picks this image’s versions, sha shape applies, commits the rule names nothing for are skipped', () => {
    const tags = ancestorTags({ prefix: 'api/v' }, [
      { sha: A, tags: ['v9.9.9'] },
      { sha: B, tags: [] },
      { sha: C, tags: ['api/v2.0.0'] },
    ]);
    expect(tags).toEqual([{ tag: '2.0.0', from: 'tag of commit cccccccccccc (HEAD~3)' }]);
    expect(ancestorTags({ sha: { length: 10, prefix: 'git-' } }, [{ sha: A, tags: [] }])).toEqual([{ tag: 'git-aaaaaaaaaa', from: 'tag of commit aaaaaaaaaaaa (HEAD~1)' }]);
    expect(ancestorTags({ branch: true }, [{ sha: A, tags: [] }])).toEqual([]);
  });
});
