import { describe, expect, it } from 'vitest';
import { codeFrame, formatIssue, formatIssues } from '../../../src/config/format-issues.js';

const source = [
  "import { defineConfig } from 'multiarch';",
  '',
  'export default defineConfig({',
  '  images: {',
  "    web: { context: './web', platforms: ['linux/amd64', 'linux/arm65'], tags: ['v1'] },",
  '  },',
  '});',
].join('\n');

const issue = {
  path: ['images', 'web', 'platforms', 1],
  message: '"linux/arm65" is not a platform — did you mean "linux/arm64"?',
  location: { line: 5, column: 55 },
};

describe('formatIssue', () => {
  it('gives file:line:col, the path, the message and a frame with a caret', () => {
    expect(formatIssue(issue, { file: 'multiarch.config.ts', source })).toEqual([
      'multiarch.config.ts:5:55 images.web.platforms[1]: "linux/arm65" is not a platform — did you mean "linux/arm64"?',
      '    4 |   images: {',
      "  > 5 |     web: { context: './web', platforms: ['linux/amd64', 'linux/arm65'], tags: ['v1'] },",
      '      |                                                       ^',
      '    6 |   },',
    ]);
  });

  it('puts the hint before the frame', () => {
    const lines = formatIssue({ ...issue, hint: 'list each platform once' }, { file: 'multiarch.config.ts', source });
    expect(lines[1]).toBe('  hint: list each platform once');
    expect(lines).toHaveLength(6);
  });

  it('names the file alone when the issue has no location', () => {
    expect(formatIssue({ path: ['images', 'web'], message: 'tags is required', hint: 'expected array' }, { file: 'multiarch.config.ts', source })).toEqual([
      'multiarch.config.ts images.web: tags is required',
      '  hint: expected array',
    ]);
  });

  it('leaves the path out for the config as a whole and quotes keys that are not identifiers', () => {
    expect(formatIssue({ path: [], message: 'x' }, { file: 'c.ts' })).toEqual(['c.ts x']);
    expect(formatIssue({ path: ['images', 'my-app', 'tags', 0], message: 'x' }, { file: 'c.ts' })).toEqual(['c.ts images["my-app"].tags[0]: x']);
  });

  it('names another file and frames its source when the location is in a helper module', () => {
    const others = new Map([['/p/platforms.ts', { name: 'platforms.ts', source: "export const platforms = [\n  'linux/arm65',\n];" }]]);
    const helper = { ...issue, location: { line: 2, column: 3, file: '/p/platforms.ts' } };
    expect(formatIssue(helper, { file: 'multiarch.config.ts', source, others })).toEqual([
      'platforms.ts:2:3 images.web.platforms[1]: "linux/arm65" is not a platform — did you mean "linux/arm64"?',
      '    1 | export const platforms = [',
      "  > 2 |   'linux/arm65',",
      '      |   ^',
      '    3 | ];',
    ]);
    expect(formatIssue(helper, { file: 'multiarch.config.ts', source })[0]).toMatch(/^\/p\/platforms\.ts:2:3 /);
  });

  it('has no colour codes', () => {
    expect(formatIssue(issue, { file: 'multiarch.config.ts', source }).join('\n')).not.toMatch(/\u001b/);
  });
});

describe('formatIssues', () => {
  it('separates framed issues with a blank line', () => {
    const lines = formatIssues([issue, { ...issue, location: { line: 3, column: 1 } }], { file: 'm.ts', source });
    expect(lines.filter((l) => l === '')).toHaveLength(1);
    expect(lines[lines.indexOf('') + 1]).toBe('m.ts:3:1 images.web.platforms[1]: "linux/arm65" is not a platform — did you mean "linux/arm64"?');
  });

  it('keeps one-line issues together', () => {
    expect(formatIssues([{ path: ['a'], message: 'x' }, { path: ['b'], message: 'y' }], { file: 'm.ts' })).toEqual(['m.ts a: x', 'm.ts b: y']);
  });
});

describe('codeFrame', () => {
  it('shows the first and last lines without a missing neighbour and pads the gutter', () => {
    expect(codeFrame('a\nb', { line: 1, column: 1 })).toEqual(['> 1 | a', '    | ^', '  2 | b']);
    const ten = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n');
    expect(codeFrame(ten, { line: 10, column: 6 })).toEqual(['   9 | line 9', '> 10 | line 10', '     |      ^']);
  });

  it('keeps tabs so the caret lines up', () => {
    expect(codeFrame('\tfoo: 1', { line: 1, column: 2 })).toEqual(['> 1 | \tfoo: 1', '    | \t^']);
  });

  it('handles CRLF sources and locations outside the source', () => {
    expect(codeFrame('a\r\nb\r\nc', { line: 2, column: 1 })).toEqual(['  1 | a', '> 2 | b', '    | ^', '  3 | c']);
    expect(codeFrame('a', { line: 5, column: 1 })).toEqual([]);
  });
});
