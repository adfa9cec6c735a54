/**
 * Generated monorepos for the incremental benchmarks: N images, each with a small context of its
 * own (a Dockerfile built on the hermetic base, a few files, a .dockerignore), and one config that
 * publishes them all to one registry. The config builds its image table in a loop, as a monorepo
 * config usually does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface MonorepoOptions {
  readonly dir: string;
  readonly images: number;
  readonly platforms: readonly string[];
  readonly registry: string;
  readonly baseImage: string;
  /** Add a RUN step (cached by BuildKit after the first build). */
  readonly run?: boolean;
}

export function writeMonorepo(options: MonorepoOptions): string {
  const { dir } = options;
  for (let i = 0; i < options.images; i++) {
    const ctx = path.join(dir, 'services', `svc${i}`);
    mkdirSync(path.join(ctx, 'src'), { recursive: true });
    writeFileSync(
      path.join(ctx, 'Dockerfile'),
      `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\n${options.run ? 'RUN echo built > /built\n' : ''}COPY src/ /app/\nCMD ["cat", "/app/main.txt"]\n`,
    );
    writeFileSync(path.join(ctx, '.dockerignore'), 'tmp/\n*.log\n');
    writeFileSync(path.join(ctx, 'src/main.txt'), `service ${i}\n`);
    writeFileSync(path.join(ctx, 'src/config.json'), JSON.stringify({ service: i, replicas: 2 }));
    writeFileSync(path.join(ctx, 'README.md'), `# svc${i}\n`);
  }
  const config = path.join(dir, 'multiarch.config.ts');
  writeFileSync(
    config,
    `import { defineConfig } from 'multiarch';
const services = Array.from({ length: ${options.images} }, (_, i) => \`svc\${i}\`);
export default defineConfig({
  registries: { local: { url: '${options.registry}', insecure: true } },
  images: Object.fromEntries(
    services.map((name) => [
      name,
      {
        context: \`./services/\${name}\`,
        platforms: ${JSON.stringify(options.platforms)},
        args: { BASE_IMAGE: '${options.baseImage}' },
        tags: ['v1'],
        publish: [{ registry: 'local', repository: \`bench/\${name}\` }],
      },
    ]),
  ),
});
`,
  );
  return config;
}
