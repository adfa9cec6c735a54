/** One redaction policy for build args in every plan output; a saved plan gets them back from the config. */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/plan/nodes.js';
import { isSecretArg, redactArgs, restorePlanArgs } from '../../../src/plan/secret-args.js';

describe('secret-looking build args', () => {
  it.each([
    ['NPM_TOKEN', 'abc', true],
    ['DB_PASSWORD', 'hunter22', true],
    ['api-key', 'k', true],
    ['GITHUB', 'ghp_0123456789abcdefghijABCDEFGHIJ012345', true],
    ['AWS', 'AKIAABCDEFGHIJKLMNOP', true],
    ['VERSION', '1.2.3', false],
    ['TOKENIZER', 'spacy', false],
    ['AUTHOR', 'me', false],
  ])('%s=%s → secret: %s', (name, value, secret) => {
    expect(isSecretArg(name, value)).toBe(secret);
  });

  it('are *** in a printed or saved plan, and come back from the config for apply', () => {
    const build = { kind: 'build', image: 'web', args: redactArgs({ NPM_TOKEN: 's3cr3t-value', VERSION: '1' }) };
    const shown = { nodes: { 'build:web@linux/amd64': build, 'push:web': { kind: 'push', image: 'web' } } } as unknown as Pick<Plan, 'nodes'>;
    expect(JSON.stringify(shown)).not.toContain('s3cr3t-value');
    expect(shown.nodes['build:web@linux/amd64']).toMatchObject({ args: { NPM_TOKEN: '***', VERSION: '1' } });
    const restored = restorePlanArgs(shown, (image) => (image === 'web' ? { NPM_TOKEN: 's3cr3t-value' } : undefined));
    expect(restored.nodes['build:web@linux/amd64']).toMatchObject({ args: { NPM_TOKEN: 's3cr3t-value', VERSION: '1' } });
  });
});
