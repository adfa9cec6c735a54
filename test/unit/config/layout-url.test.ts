import { describe, expect, it } from 'vitest';
import { ref } from '../../../src/config/ref.js';
import { formatImageRef, parseLayoutUrl } from '../../../src/config/registry-url.js';
import { image, issuesOf, resolve } from './fixtures.js';

describe('OCI layout registries (url: "oci:…")', () => {
  it('resolves the path against the config directory', () => {
    expect(parseLayoutUrl('oci:./.multiarch/oci', '/project')).toEqual({ ok: true, dir: '/project/.multiarch/oci', host: 'oci:/project/.multiarch/oci' });
    expect(parseLayoutUrl('oci:/srv/layouts/web', '/project')).toMatchObject({ ok: true, dir: '/srv/layouts/web' });
    expect(parseLayoutUrl('oci:', '/project')).toMatchObject({ ok: false });
    expect(parseLayoutUrl('oci:./a:b', '/project')).toMatchObject({ ok: false });
  });

  it('formats refs the way skopeo reads them', () => {
    expect(formatImageRef({ host: 'oci:/project/out' }, 'team/web', 'v1')).toBe('oci:/project/out:team/web:v1');
    expect(formatImageRef({ host: '127.0.0.1:5000' }, 'team/web', 'v1')).toBe('127.0.0.1:5000/team/web:v1');
  });

  it('becomes a registry entry with its directory', () => {
    const config = resolve({ registries: { out: { url: 'oci:./out' } }, images: { web: image({ publish: [{ registry: 'out', repository: 'team/web' }] }) } });
    expect(config.registries.out).toMatchObject({ layout: '/project/out', host: 'oci:/project/out', isDockerHub: false });
  });

  it('rejects insecure and auth on a layout, and an empty path', () => {
    const issues = issuesOf({
      registries: { out: { url: 'oci:./out', insecure: true, auth: { ecr: { region: 'us-east-1' } } }, bad: { url: 'oci:' } },
      images: { web: image({ publish: [{ registry: 'out', repository: 'team/web' }] }) },
    });
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['registries.out.insecure', 'insecure does not apply to an OCI layout (oci:./out)'],
      ['registries.out.auth', 'auth does not apply to an OCI layout (oci:./out)'],
      ['registries.bad.url', '"oci:" is not an OCI layout path'],
    ]);
  });

  it('refuses Docker-format manifests in a layout', () => {
    const issues = issuesOf({ registries: { out: { url: 'oci:./out' } }, images: { web: image({ publish: [{ registry: 'out', repository: 'team/web', format: 'docker' }] }) } });
    expect(issues).toEqual([expect.objectContaining({ path: ['images', 'web', 'publish', 0, 'format'], hint: 'remove format here: OCI is the default' })]);
  });

  it('accepts ref() to an image that is only in layouts: the plan decides whether its consumer can read one', () => {
    const config = resolve({
      registries: { out: { url: 'oci:./out' } },
      images: {
        base: image({ publish: [{ registry: 'out', repository: 'team/base' }] }),
        app: image({ args: { BASE: ref('base') }, publish: [{ registry: 'out', repository: 'team/app' }] }),
      },
    });
    expect(config.images.app?.args.BASE).toEqual(ref('base'));
  });

  it('accepts an ECR login setting and nothing else under auth', () => {
    const ok = resolve({ registries: { ecr: { url: '1.dkr.ecr.eu-west-1.amazonaws.com', auth: { ecr: { region: 'eu-west-1' } } } }, images: { web: image() } });
    expect(ok.registries.ecr?.ecr).toEqual({ region: 'eu-west-1' });
    const paths = issuesOf({ registries: { x: { url: 'ghcr.io', auth: { token: 'x' } } }, images: { web: image() } }).map((i) => i.path.join('.'));
    expect(paths.every((p) => p.startsWith('registries.x.auth'))).toBe(true);
  });
});
