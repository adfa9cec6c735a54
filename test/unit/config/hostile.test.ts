/** Hostile and malformed configs (issue 19): each problem once, where it was written, with the fix. */
import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../../src/config/format-issues.js';
import { formatConfigPath } from '../../../src/config/issue.js';
import { validateConfig } from '../../../src/config/validate.js';
import { escapeControl } from '../../../src/errors/escape-control.js';
import { formatError } from '../../../src/errors/format-error.js';
import { CONFIG_FILE, image } from './fixtures.js';

const r = (url: string) => ({ registries: { r: { url } } });
const pub = { publish: [{ registry: 'r', repository: 'team/web' }] };

/** [what, config, the issues expected as `path: message` (every one, in order)] */
const CASES: Array<[string, Record<string, unknown>, string[]]> = [
  ['a number in args', { images: { web: image({ args: { A: 1 } }) } }, ['images.web.args.A: expected a string or ref("image"), got number 1']],
  ['a boolean as target', { images: { web: image({ target: true }) } }, ['images.web.target: expected string, got boolean true']],
  ['a url with /v2/', { ...r('http://host:5000/v2/'), images: { web: image(pub) } }, ['registries.r.url: "http://host:5000/v2/" has a scheme and a path; write the host as it appears in image references']],
  ['a garbage url', { ...r('not a host!'), images: { web: image(pub) } }, ['registries.r.url: "not a host!" is not a registry host']],
  ['a bad oci: path', { ...r('oci:a:b'), images: { web: image(pub) } }, ['registries.r.url: "oci:a:b" is not an OCI layout path']],
  ['credentials in the url', { ...r('user:hunter22@host'), images: { web: image(pub) } }, ['registries.r.url: "***@host" holds credentials; they do not belong in the config']],
  ['credentials after a scheme', { ...r('https://user:hunter22@host'), images: { web: image(pub) } }, ['registries.r.url: "https://***@host" holds credentials; they do not belong in the config']],
  ['a tag with ":"', { ...r('host:5000'), images: { web: image({ tags: ['v1:beta'], ...pub }) } }, ['images.web.tags[0]: "v1:beta" is not a valid tag']],
  ['a tag listed twice', { ...r('host:5000'), images: { web: image({ tags: ['v1', 'v1'], ...pub }) } }, ['images.web.tags[1]: tag "v1" is listed twice']],
  ['a bad tag without publish targets', { images: { web: image({ tags: ['my tag:x'] }) } }, ['images.web.tags[0]: "my tag:x" is not a valid tag']],
  [
    'problems in builders and images at once',
    { builders: { 'linux/arm65': { docker: {} } }, images: { web: image({ args: { A: 1 } }), api: image({ platforms: ['linux/amd65'] }) } },
    ['images.web.args.A: expected a string or ref("image"), got number 1', 'images.api.platforms[0]: "linux/amd65" is not a platform — did you mean "linux/amd64"?', 'builders["linux/arm65"]: builders: "linux/arm65" is not a platform — did you mean "linux/arm64"?'],
  ],
  ['an image keyed __proto__ (own key)', { images: JSON.parse('{"__proto__": {"context": "./web", "platforms": ["linux/amd64"], "tags": ["v1"]}, "web": {"context": "./web", "platforms": ["linux/amd64"], "tags": ["v1"]}}') }, ['images.__proto__: "__proto__" is not a valid image name (JavaScript treats it as the object\'s prototype, so the entry would vanish)']],
  // eslint-disable-next-line no-proto
  ['an image keyed __proto__ (literal)', { images: { __proto__: image(), web: image() } }, ['images.__proto__: "__proto__" is not a valid image name (JavaScript treats it as the object\'s prototype, so the entry would vanish)']],
];

describe('validateConfig on hostile input', () => {
  it.each(CASES)('%s', (_, input, expected) => {
    const result = validateConfig(input, CONFIG_FILE);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => `${formatConfigPath(i.path)}: ${i.message}`)).toEqual(expected);
  });

  it('suggests only a valid url for http://host/v2/', () => {
    const result = validateConfig({ ...r('http://host:5000/v2/'), images: { web: image(pub) } }, CONFIG_FILE);
    expect(result.ok ? undefined : result.issues[0]?.hint).toBe('use url: "host:5000" with insecure: true');
  });

  it('never shows the password of a url, not even in the code frame', () => {
    const source = "export default {\n  registries: { r: { url: 'https://bob:hunter22@host' } },\n};\n";
    const lines = formatIssues(
      [{ path: ['registries', 'r', 'url'], message: 'x', location: { line: 2, column: 22 } }, { path: [], message: "see 'bob:hunter22@ghcr.io'", location: { line: 2, column: 1 } }],
      { file: 'multiarch.config.ts', source },
    ).join('\n');
    expect(lines).not.toContain('hunter22');
    expect(lines).toContain('https://***@host');
    expect(formatIssues([{ path: [], message: "'web:1@sha256:abc'" }], { file: 'c.ts' })[0]).toContain('web:1@sha256:abc');
  });

  it('escapes control characters in config messages and in every formatted error', () => {
    const result = validateConfig({ images: { 'we\u001b[2Jb\u0007': image() } }, CONFIG_FILE);
    const text = formatIssues(result.ok ? [] : result.issues, { file: 'multiarch.config.ts' }).join('\n');
    expect(text).not.toMatch(/[\u0007\u001b]/);
    expect(text).toContain('we\\x1b[2Jb\\x07');
    const error = formatError({ code: 'E_X', message: 'a\u001b]0;title\u0007b', hint: 'h\rx', details: ['\u009b1m'] }, { color: false });
    expect(error).toBe('error a\\x1b]0;title\\x07b\n  \\x9b1m\nhint: h\\x0dx');
    expect(escapeControl('keep\ttabs\nand lines')).toBe('keep\ttabs\nand lines');
  });
});
