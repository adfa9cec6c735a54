import { describe, expect, it } from 'vitest';
import { translateSecrets } from '../../../src/importers/bake-secrets.js';
import { composeToBake } from '../../../src/importers/compose-to-bake.js';

describe('import: secret and ssh', () => {
  it("bake's secret specs become env and file sources; ssh ids a list", () => {
    const notes: string[] = [];
    const r = translateSecrets(['id=npm,env=NPM_TOKEN', 'id=key,src=./key', 'type=env,id=gh,src=GH_TOKEN'], ['default'], (src) => `./sub/${src.replace(/^\.\//, '')}`, (n) => notes.push(n));
    expect(r).toEqual({ secrets: { npm: { env: 'NPM_TOKEN' }, key: { file: './sub/key' }, gh: { env: 'GH_TOKEN' } }, ssh: ['default'] });
    expect(notes).toEqual([]);
  });

  it("compose's build.secrets go through the top-level secrets", () => {
    const { print, notes } = composeToBake(
      {
        secrets: { npm: { environment: 'NPM_TOKEN' }, key: { file: './key.txt' } },
        services: { web: { image: 'ghcr.io/o/web:v1', build: { context: '.', secrets: ['npm', { source: 'key', target: 'k' }, 'nope'], ssh: ['default'] } } },
      },
      [],
    );
    expect(print.target.web!.secret).toEqual(['id=npm,env=NPM_TOKEN', 'id=key,src=./key.txt']);
    expect(print.target.web!.ssh).toEqual(['default']);
    expect(notes).toContain('service "web": build.secrets "nope": not defined under the top-level secrets');
  });
});
