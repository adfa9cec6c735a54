/** A fixture project: a multiarch.config.ts written from a plain object, plus its files. */
import { makeFixture } from './fixtures.js';

/** `import { defineConfig } from 'multiarch'; export default defineConfig(<config>);` */
export function configSource(config: unknown): string {
  return `import { defineConfig } from 'multiarch';\n\nexport default defineConfig(${JSON.stringify(config, null, 2)});\n`;
}

export interface ImageFixture {
  readonly registry: string;
  /** The whole registry entry, when it needs more than `{ url: registry, insecure: true }`. */
  readonly registryConfig?: Record<string, unknown>;
  readonly repository: string;
  /** Files of the image's context (`app/`); `Dockerfile` at least. */
  readonly context: Record<string, string>;
  readonly platforms?: readonly string[];
  /** The image's other fields: test, args, tags… */
  readonly image?: Record<string, unknown>;
}

/** One image `app` with context `./app`, published to `registry` (insecure) as `repository`. */
export function imageFixture(f: ImageFixture): string {
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(f.context)) files[`app/${name}`] = content;
  files['multiarch.config.ts'] = configSource({
    registries: { local: f.registryConfig ?? { url: f.registry, insecure: true } },
    images: {
      app: {
        context: './app',
        platforms: f.platforms ?? ['linux/amd64', 'linux/arm64'],
        tags: ['v1'],
        publish: [{ registry: 'local', repository: f.repository }],
        ...f.image,
      },
    },
  });
  return makeFixture(files);
}
