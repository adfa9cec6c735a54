import { describe, expect, it } from 'vitest';
import { gitTags } from '../../../src/index.js';
import { applyGitTags, resolveGitTags, sanitizeTag, type GitRefFacts } from '../../../src/config/resolve-git-tags.js';
import { resolve } from '../plan/fixtures.js';

const SHA = 'abc1234def5678900000000000000000000000000';
const repo = (extra: Partial<GitRefFacts> = {}): GitRefFacts => ({ sha: SHA, branch: 'main', tagsAtHead: ['v1.2.3', 'api/v2.0.0'], allTags: ['v1.0.0', 'v1.2.3', 'api/v1.9.0', 'api/v2.0.0'], ...extra });
const tagsOf = (options: Parameters<typeof gitTags>[0], git = repo()) => {
  const r = resolveGitTags(options ?? {}, git);
  if (!r.ok) throw new Error(r.message);
  return r.tags.map((t) => t.tag);
};
const SEMVER = ['{{version}}', '{{major}}.{{minor}}', '{{major}}'];

describe('gitTags', () => {
  it('the prefix picks which git tags are this image\'s versions', () => {
    expect(tagsOf({ semver: SEMVER, latest: 'auto' })).toEqual(['1.2.3', '1.2', '1', 'latest']);
    expect(tagsOf({ prefix: 'api/v', semver: SEMVER, sha: true })).toEqual(['2.0.0', '2.0', '2', 'sha-abc1234']);
  });

  it('says which git fact produced each tag', () => {
    const r = resolveGitTags({ sha: { length: 10, prefix: 'git-' }, branch: true }, repo({ branch: 'feature/Login' }));
    expect(r).toEqual({
      ok: true,
      tags: [
        { tag: '1.2.3', from: 'git tag v1.2.3 at HEAD' },
        { tag: 'git-abc1234def', from: 'commit abc1234def56' },
        { tag: 'feature-Login', from: 'branch feature/Login' },
      ],
    });
  });

  it('pre-releases get only {{version}} forms and never latest; latest only for the highest version', () => {
    expect(tagsOf({ semver: SEMVER, latest: 'auto' }, repo({ tagsAtHead: ['v2.0.0-rc.1'], allTags: ['v1.2.3', 'v2.0.0-rc.1'] }))).toEqual(['2.0.0-rc.1']);
    expect(tagsOf({ semver: SEMVER, latest: 'auto' }, repo({ tagsAtHead: ['v1.2.3'], allTags: ['v1.2.3', 'v1.3.0'] }))).toEqual(['1.2.3', '1.2', '1']);
  });

  it('pr from the CI', () => {
    expect(tagsOf({ pr: true }, repo({ tagsAtHead: [], pr: 42 }))).toEqual(['pr-42']);
  });

  it('a rule that yields nothing names what matched nothing', () => {
    expect(resolveGitTags({ prefix: 'web/v', pr: true }, repo())).toEqual({
      ok: false,
      message: 'gitTags() yields no tag: no git tag web/v<version> points at abc1234 (it has v1.2.3, api/v2.0.0); pr: this is not a pull request build',
      hint: 'tag the commit (git tag web/v1.0.0), or add a rule that always matches, e.g. gitTags({ sha: true })',
    });
  });

  it('sanitizes branch names into tags', () => {
    expect(sanitizeTag('-feature/x y')).toBe('feature-x-y');
  });

  it('in a config: tags resolved at plan time, publish targets get them', () => {
    const config = resolve({
      registries: { local: { url: '127.0.0.1:5000', insecure: true } },
      images: {
        api: { context: './api', platforms: ['linux/amd64'], tags: gitTags({ prefix: 'api/v', semver: SEMVER }), publish: [{ registry: 'local', repository: 'team/api' }] },
      },
    });
    expect(config.images.api!.tags).toEqual([]);
    const applied = applyGitTags(config, ['api'], repo());
    expect(applied.config.images.api!.tags).toEqual(['2.0.0', '2.0', '2']);
    expect(applied.config.images.api!.publish[0]!.tags).toEqual(['2.0.0', '2.0', '2']);
    expect(applied.notes).toEqual([{ image: 'api', message: 'tags from git: 2.0.0, 2.0, 2 ← git tag api/v2.0.0 at HEAD' }]);
  });
});
