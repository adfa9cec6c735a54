/**
 * The DSL's editor experience, checked by the compiler: `tsc --noEmit` fails if an
 * `@ts-expect-error` below stops being an error, or an `expectTypeOf` stops holding.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { defineConfig, ref, type ImageRef, type PrepareContext, type TemplateVars, type UserConfig } from '../../../src/index.js';

const image = { context: './web', platforms: ['linux/amd64'], tags: ['v1'] } as const;

describe('defineConfig types', () => {
  it('returns its argument with literal types kept', () => {
    const config = defineConfig({
      registries: { hub: { url: 'docker.io' } },
      images: { web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'] } },
    });
    expectTypeOf(config.images.web.platforms).toEqualTypeOf<['linux/amd64', 'linux/arm64']>();
    expectTypeOf(config.images.web.context).toEqualTypeOf<'./web'>();
    expectTypeOf(config.registries.hub.url).toEqualTypeOf<'docker.io'>();
    expectTypeOf(config).toExtend<UserConfig>();
  });

  it('accepts a config typed as UserConfig', () => {
    const config: UserConfig = { images: {} };
    expectTypeOf(defineConfig(config)).toEqualTypeOf<UserConfig>();
  });

  it('accepts ref() in args, with or without a registry', () => {
    const config = defineConfig({
      images: { web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'], args: { BASE: ref('base'), PIN: ref('base', { registry: 'hub' }), V: '1' } } },
    });
    expectTypeOf(config.images.web.args.BASE).toEqualTypeOf<ImageRef>();
    expectTypeOf(ref).parameter(0).toEqualTypeOf<string>();
  });

  it('accepts function templates and types their variables', () => {
    defineConfig({
      images: {
        web: {
          ...image,
          platforms: ['linux/amd64'],
          tags: ['v1'],
          publish: [
            {
              registry: 'hub',
              repository: 'team/web',
              platformTag: (vars) => {
                expectTypeOf(vars).toEqualTypeOf<TemplateVars>();
                return `${vars.arch}-${vars.tag}`;
              },
              indexTag: ({ tag }) => `multi-arch-${tag}`,
              platformRepository: 'team/web-{arch}',
            },
          ],
        },
      },
    });
  });

  it('completes known platforms but accepts aliases', () => {
    defineConfig({ images: { web: { context: '.', platforms: ['arm64/v8', 'linux/arm/v7'], tags: ['v1'] } } });
  });

  it('rejects unknown keys at any depth', () => {
    // @ts-expect-error unknown top-level key
    defineConfig({ images: {}, imagez: {} });
    // @ts-expect-error misspelled image key
    defineConfig({ images: { web: { context: '.', platforms: ['linux/amd64'], tags: ['v1'], platfroms: [] } } });
    defineConfig({
      registries: { hub: { url: 'docker.io' } },
      images: {
        web: {
          context: '.',
          platforms: ['linux/amd64'],
          tags: ['v1'],
          // @ts-expect-error misspelled publish key
          publish: [{ registry: 'hub', repository: 'team/web', indexTAG: 'x' }],
        },
      },
    });
    // @ts-expect-error unknown key in a test probe
    defineConfig({ images: { web: { context: '.', platforms: ['linux/amd64'], tags: ['v1'], test: { http: { port: 80, prot: 1 } } } } });
  });

  it('rejects wrong types and missing fields', () => {
    // @ts-expect-error context is a string
    defineConfig({ images: { web: { context: 1, platforms: ['linux/amd64'], tags: ['v1'] } } });
    // @ts-expect-error platforms is a list
    defineConfig({ images: { web: { context: '.', platforms: 'linux/amd64', tags: ['v1'] } } });
    // @ts-expect-error tags are required
    defineConfig({ images: { web: { context: '.', platforms: ['linux/amd64'] } } });
    // @ts-expect-error images is required
    defineConfig({ registries: {} });
    // @ts-expect-error format is oci or docker
    defineConfig({ images: { web: { ...image, platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'r', repository: 'x', format: 'v2' }] } } });
    // @ts-expect-error a build arg is a string or ref()
    defineConfig({ images: { web: { context: '.', platforms: ['linux/amd64'], tags: ['v1'], args: { N: 1 } } } });
    // @ts-expect-error a template function returns a string
    defineConfig({ images: { web: { context: '.', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'r', repository: 'x', platformTag: () => 1 }] } } });
  });
});

describe('defineConfig types: builders and prepare', () => {
  it('types builders by platform and prepare’s zx context', () => {
    defineConfig({
      builders: {
        'linux/arm64': { docker: { host: 'ssh://ec2-user@graviton-builder' }, concurrency: 2 },
        'linux/amd64': { docker: { context: 'amd-builder' } },
        default: { docker: {} },
      },
      images: {
        app: {
          context: '.',
          platforms: ['linux/amd64', 'linux/arm64'],
          tags: ['v1'],
          prepare: async (ctx) => {
            expectTypeOf(ctx).toEqualTypeOf<PrepareContext>();
            expectTypeOf(ctx.platform.arch).toEqualTypeOf<string>();
            await ctx.$`GOOS=${ctx.platform.os} GOARCH=${ctx.platform.arch} go build -o dist/${ctx.platform.arch}/app ./cmd/app`;
          },
        },
        lib: { context: '.', platforms: ['linux/amd64'], tags: ['v1'], prepare: { run: ({ log }) => log('x'), outputs: ['dist/**'] } },
      },
    });
  });

  it('rejects unknown builder and prepare keys', () => {
    // @ts-expect-error misspelled endpoint key
    defineConfig({ builders: { 'linux/arm64': { docker: { hots: 'ssh://b' } } }, images: {} });
    // @ts-expect-error docker is required
    defineConfig({ builders: { default: { concurrency: 1 } }, images: {} });
    // @ts-expect-error misspelled prepare key
    defineConfig({ images: { web: { ...image, platforms: ['linux/amd64'], tags: ['v1'], prepare: { run: () => {}, output: [] } } } });
  });
});
