/** The editor experience of publish targets: OCI layouts and ECR logins, checked by the compiler. */
import { describe, expectTypeOf, it } from 'vitest';
import { defineConfig, type UserConfig } from '../../../src/index.js';

describe('defineConfig types: publish targets', () => {
  it('accepts an OCI layout url and an ECR login', () => {
    const config = defineConfig({
      registries: {
        layout: { url: 'oci:./.multiarch/oci' },
        ecr: { url: '123456789012.dkr.ecr.us-west-2.amazonaws.com', auth: { ecr: { region: 'us-west-2', profile: 'ci' } } },
      },
      images: {},
    });
    expectTypeOf(config.registries.ecr.auth.ecr.region).toEqualTypeOf<'us-west-2'>();
    expectTypeOf(config).toExtend<UserConfig>();
  });

  it('rejects an ECR login without a region, and unknown auth kinds', () => {
    // @ts-expect-error region is required
    defineConfig({ registries: { ecr: { url: 'x.dkr.ecr.us-west-2.amazonaws.com', auth: { ecr: { profile: 'ci' } } } }, images: {} });
    // @ts-expect-error only ecr is known under auth
    defineConfig({ registries: { gh: { url: 'ghcr.io', auth: { token: 'x' } } }, images: {} });
  });
});
