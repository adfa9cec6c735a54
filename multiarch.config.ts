/**
 * multiarch's own config: the seed's web server for amd64 and arm64, tested on each platform
 * (`uname -m` must print that platform's machine name, and the page must answer), pushed per
 * platform and published as one multi-arch tag: 127.0.0.1:5000/demo/web:v1.
 *
 * `npm run demo` applies it against the local registry the test environment starts.
 */
import process from 'node:process';
import { defineConfig } from 'multiarch';

const registry = process.env.MULTIARCH_TEST_REGISTRY ?? '127.0.0.1:5000';

export default defineConfig({
  registries: {
    local: { url: registry, insecure: true },
  },
  images: {
    web: {
      context: './examples/web-server',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE_IMAGE: process.env.MULTIARCH_TEST_BASE_IMAGE ?? `${registry}/hermetic/busybox:latest` },
      tags: ['v1'],
      test: {
        command: ['uname', '-m'],
        expectOutput: '{uname}',
        http: { port: 80, path: '/', expectStatus: 200 },
      },
      publish: [{ registry: 'local', repository: 'demo/web', platformTag: '{tag}-{arch}' }],
    },
  },
});
