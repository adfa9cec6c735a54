import { describe, expect, it } from 'vitest';
import { canSkipExcludedDir, compileIgnore, goClean, isExcluded, matchPath, matchSingleParent, parseIgnoreFile } from '../../../src/inputs/dockerignore.js';

const excluded = (patterns: string[], path: string) => isExcluded(compileIgnore(patterns), path);

describe('parseIgnoreFile: the ignore file as Docker reads it', () => {
  it('drops comments, blank lines and a BOM; trims; cleans; strips a leading slash', () => {
    const text = '\uFEFF# comment\n\n  node_modules/  \n/dist\n!/keep/../keep.txt\n ! spaced \n./a/./b//c\n #not a comment\n';
    expect(parseIgnoreFile(text)).toEqual(['node_modules', 'dist', '!keep.txt', '!spaced', 'a/b/c', '#not a comment']);
  });

  it('keeps a lone "!" (which compiling then rejects, as Docker does)', () => {
    expect(parseIgnoreFile('!\n')).toEqual(['!']);
    expect(() => compileIgnore(['!'])).toThrow(/illegal exclusion pattern/);
  });

  it('handles CRLF files', () => {
    expect(parseIgnoreFile('a\r\nb\r\n')).toEqual(['a', 'b']);
  });

  it('rejects malformed character classes and a trailing backslash', () => {
    for (const bad of ['[', 'a[]', 'a[b', '[-a]', 'a\\']) expect(() => compileIgnore([bad]), bad).toThrow(/syntax error/);
    for (const good of ['a[bc]', 'a[b-d]e', 'a[^b]', 'a\\*b']) expect(() => compileIgnore([good]), good).not.toThrow();
  });
});

describe('goClean', () => {
  it.each([
    ['', '.'],
    ['a/b/', 'a/b'],
    ['a//b', 'a/b'],
    ['./a', 'a'],
    ['a/../..', '..'],
    ['../../a', '../../a'],
    ['/../a', '/a'],
    ['/', '/'],
    ['!foo/../bar', 'bar'],
  ])('%j → %j', (input, output) => expect(goClean(input)).toBe(output));
});

describe('patterns: Go filepath.Match plus **, anchored at the context root', () => {
  it.each([
    // [pattern, path, excluded]
    ['*', 'file.go', true],
    ['*.go', 'file.go', true],
    ['*.go', 'dir/file.go', false],
    ['**/*.go', 'dir/sub/file.go', true],
    ['**/*.go', 'file.go', true],
    ['**', 'anything/at/all', true],
    ['dir/**', 'dir/a/b', true],
    ['dir/**', 'dir', false],
    ['**/dir', 'dir', true],
    ['**/dir', 'x/dir/file', true],
    ['**/dir2/*', 'a/dir2/file', true],
    ['**file', 'a/b/file', true],
    ['**file', 'a/b/myfile', true],
    ['**/file', 'a/b/myfile', false],
    ['a**/*.txt', 'a/dir/dir/file.txt', true],
    ['a/*.txt', 'a/dir/file.txt', false],
    ['a[b-d]e', 'ace', true],
    ['a[b-d]e', 'aae', false],
    ['a[^b-d]e', 'aze', true],
    ['temp?', 'tempa', true],
    ['temp?', 'temp', false],
    ['temp?', 'dir/tempa', false],
    ['*/temp*', 'somedir/temporary.txt', true],
    ['*/temp*', 'somedir/temp', true],
    ['*/temp*', 'temp', false],
    ['*/*/temp*', 'somedir/subdir/temporary.txt', true],
    ['*/*/temp*', 'somedir/temporary.txt', false],
    ['.*', '.env', true],
    ['.*', 'env', false],
    ['abc.def', 'abcZdef', false],
    ['a(b)c/def', 'a(b)c/def', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
    // A pattern matching a directory excludes everything in it.
    ['docs', 'docs/README.md', true],
    ['docs/', 'docs/a/b.md', true],
    ['a*', 'ab/c', true],
    // Anchored at the root, unlike .gitignore.
    ['node_modules', 'pkg/node_modules/x.js', false],
    ['/secret.txt', 'secret.txt', true],
    // Prefix patterns are plain string prefixes (Docker's behaviour, not a directory boundary).
    ['foo**', 'foobar/x', true],
  ])('%j on %j → %j', (pattern, path, want) => {
    expect(excluded(parseIgnoreFile(`${pattern}\n`), path)).toBe(want);
  });
});

describe('rules: in order, the last match wins, ! re-includes', () => {
  it.each([
    // Docker's documentation examples.
    [['*.md', '!README.md'], 'README.md', false],
    [['*.md', '!README.md'], 'CHANGES.md', true],
    [['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md', true],
    [['*.md', '!README*.md', 'README-secret.md'], 'README-public.md', false],
    [['*.md', 'README-secret.md', '!README*.md'], 'README-secret.md', false],
    [['!fileutils.go', '*.go'], 'fileutils.go', true],
    [['*.go', '!fileutils.go'], 'fileutils.go', false],
    [['docs', '!docs/README.md'], 'docs/README.md', false],
    [['docs', '!docs/README.md'], 'docs/other.md', true],
    [['docs/*', '!docs/README.md'], 'docs/README.md', false],
    [['**', '!util/docker/web'], 'util/docker/web/foo', false],
    [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
    [['**', '!dist/*.whl'], 'dist/a.whl', false],
    [['**', '!dist/*.whl'], 'dist/a.txt', true],
    // Re-including a file inside an excluded directory needs the directory walked: it is.
    [['build', '!build/keep/**'], 'build/keep/a/b', false],
    [['build', '!build/keep/**'], 'build/drop', true],
    // A wildcard exception makes every excluded directory walked; results build on the parent's.
    [['vendor', '!**/*.go'], 'vendor/x/lib.go', false],
    [['vendor', '!**/*.go'], 'vendor/x/lib.c', true],
  ])('%j: %j excluded → %j', (patterns, path, want) => {
    expect(excluded(patterns, path)).toBe(want);
  });

  it('an exception at the root cannot reach into an excluded directory', () => {
    // `!keep.txt` is anchored at the root: it does not re-include dir/keep.txt.
    expect(excluded(['dir', '!keep.txt'], 'dir/keep.txt')).toBe(true);
    expect(excluded(['*', '!keep.txt'], 'keep.txt')).toBe(false);
  });

  it('per-pattern results carry from a directory to its children (BuildKit walk)', () => {
    // "foo/bar" is matched by pattern 0; pattern 1 ("!foo") was skipped for the directory "foo"
    // (nothing to re-include yet), so it is not inherited and does not match "foo/bar" itself.
    const m = compileIgnore(['foo/bar', '!foo']);
    const dir = matchPath(m, 'foo');
    expect(dir.excluded).toBe(false);
    expect(matchPath(m, 'foo/bar', dir.matches).excluded).toBe(true);
  });

  it('skips excluded directories only when no exception could reach inside', () => {
    expect(canSkipExcludedDir(compileIgnore(['node_modules']), 'node_modules')).toBe(true);
    expect(canSkipExcludedDir(compileIgnore(['build', '!build/keep']), 'build')).toBe(false);
    expect(canSkipExcludedDir(compileIgnore(['build', '!other/keep']), 'build')).toBe(true);
    expect(canSkipExcludedDir(compileIgnore(['build', '!**/*.go']), 'build')).toBe(false);
  });
});

describe('the rules of Docker clients up to 20.10', () => {
  const old = (patterns: string[], path: string) => matchSingleParent(compileIgnore(patterns, { regexpOnly: true }), path);

  it('checks a parent only at the depth of each pattern', () => {
    // `vendor` is one segment deep: vendor/lib/x.go's parent cut to one segment is "vendor".
    expect(old(['vendor'], 'vendor/lib/x.go')).toBe(true);
    // `!vendor/**/*.go` matches the file itself: re-included.
    expect(old(['vendor', '!vendor/**/*.go'], 'vendor/lib/x.go')).toBe(false);
    // …but not the directory vendor/lib, which is therefore excluded (and never entered).
    expect(old(['vendor', '!vendor/**/*.go'], 'vendor/lib')).toBe(true);
    // A two-segment pattern checks the two-segment parent.
    expect(old(['a/b'], 'a/b/c/d')).toBe(true);
    expect(old(['b/c'], 'a/b/c/d')).toBe(false);
  });

  it('has no **name suffix shortcut: ** stands for whole directories', () => {
    expect(old(['**bar'], 'foobar')).toBe(false);
    expect(old(['**bar'], 'sub/bar')).toBe(true);
    expect(excluded(['**bar'], 'foobar')).toBe(true);
  });

  it('keeps the prefix meaning of a trailing **', () => {
    expect(old(['dir/**'], 'dir/x/y')).toBe(true);
    expect(old(['dir/**'], 'dir')).toBe(false);
  });
});
