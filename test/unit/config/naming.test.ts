/**
 * The naming contract: what a publish entry writes, name for name. These are the names people put
 * in deploy manifests, so they are pinned exactly.
 */
import { describe, expect, it } from 'vitest';
import { renderPublishNames, type PublishNames } from '../../../src/config/naming.js';
import { formatPlatform } from '../../../src/config/platform.js';
import type { ResolvedImage } from '../../../src/config/resolved.js';
import type { TemplateVars } from '../../../src/config/template.js';
import { resolve } from './fixtures.js';

const contract = {
  registries: {
    hub: { url: 'docker.io' },
    ecr: { url: '328222922690.dkr.ecr.us-west-2.amazonaws.com' },
  },
  images: {
    web: {
      context: './web',
      tags: ['v1'],
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      publish: [
        { registry: 'hub', repository: 'vijay2181/multi-arch', platformRepository: 'vijay2181/web-{arch}', platformTag: '{tag}' },
        { registry: 'ecr', repository: 'vijay-app', platformTag: '{arch}-{tag}', indexTag: 'multi-arch-{tag}' },
      ],
    },
  },
};

function names(image: ResolvedImage, index: number): { platforms: string[]; indexes: string[] } {
  const result = renderPublishNames(image, image.publish[index]!);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return flatten(result.names);
}

function flatten(n: PublishNames) {
  return {
    platforms: n.platforms.flatMap((p) => p.refs.map((r) => `${formatPlatform(p.platform)} ${r.repository}:${r.tag}`)),
    indexes: n.indexes.map((i) => `${i.ref.repository}:${i.ref.tag}`),
  };
}

describe('renderPublishNames', () => {
  const web = resolve(contract).images.web!;

  it('names per-platform repositories on Docker Hub, with the index in its own repository', () => {
    expect(names(web, 0)).toEqual({
      platforms: ['linux/amd64 vijay2181/web-amd64:v1', 'linux/arm64 vijay2181/web-arm64:v1', 'linux/arm/v7 vijay2181/web-arm:v1'],
      indexes: ['vijay2181/multi-arch:v1'],
    });
  });

  it('names per-platform tags in one ECR repository, with a prefixed index tag', () => {
    expect(names(web, 1)).toEqual({
      platforms: ['linux/amd64 vijay-app:amd64-v1', 'linux/arm64 vijay-app:arm64-v1', 'linux/arm/v7 vijay-app:arm-v1'],
      indexes: ['vijay-app:multi-arch-v1'],
    });
  });

  it('is what the config rules accept: the contract config validates', () => {
    expect(resolve(contract).registries.ecr?.host).toBe('328222922690.dkr.ecr.us-west-2.amazonaws.com');
  });

  it('defaults to one repository, {tag}-{platform} per platform and {tag} for the index', () => {
    const image = resolve({
      registries: { hub: { url: 'docker.io' } },
      images: { web: { context: '.', tags: ['v1', 'latest'], platforms: ['linux/amd64', 'linux/arm/v7'], publish: [{ registry: 'hub', repository: 'team/web' }] } },
    }).images.web!;
    expect(names(image, 0)).toEqual({
      platforms: [
        'linux/amd64 team/web:v1-linux-amd64',
        'linux/amd64 team/web:latest-linux-amd64',
        'linux/arm/v7 team/web:v1-linux-arm-v7',
        'linux/arm/v7 team/web:latest-linux-arm-v7',
      ],
      indexes: ['team/web:v1', 'team/web:latest'],
    });
  });

  it('renders function templates with the same variables', () => {
    const seen: TemplateVars[] = [];
    const image = resolve({
      registries: { hub: { url: 'docker.io' } },
      images: {
        web: {
          context: '.',
          tags: ['v1'],
          platforms: ['linux/arm/v7'],
          publish: [
            {
              registry: 'hub',
              repository: 'team/web',
              platformRepository: (v: TemplateVars) => `team/${v.image}-${v.arch}${v.variant}`,
              platformTag: (v: TemplateVars) => {
                seen.push(v);
                return `${v.tag}.${v.os}`;
              },
              indexTag: ({ tag }: TemplateVars) => `multi-${tag}`,
            },
          ],
        },
      },
    }).images.web!;
    expect(names(image, 0)).toEqual({ platforms: ['linux/arm/v7 team/web-armv7:v1.linux'], indexes: ['team/web:multi-v1'] });
    expect(seen.at(-1)).toEqual({ image: 'web', tag: 'v1', os: 'linux', arch: 'arm', variant: 'v7', platform: 'linux-arm-v7' });
  });
});
