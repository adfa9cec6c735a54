/**
 * The seed's web server for three CPUs: x86-64, 64-bit ARM (Graviton) and 32-bit ARMv7 (Raspberry
 * Pi). Each platform is built (ARM under QEMU on an x86 machine), must print its own `uname -m`
 * and serve its page before anything is pushed; then one multi-arch tag points at all three.
 *
 *   npx multiarch plan  --config examples/web-server/multiarch.config.ts
 *   npx multiarch apply --config examples/web-server/multiarch.config.ts
 */
import process from 'node:process';
import { defineConfig } from 'multiarch';

// The local registry started by the test environment; in real life e.g. 'ghcr.io'.
const registry = process.env.MULTIARCH_TEST_REGISTRY ?? '127.0.0.1:5000';

export default defineConfig({
  registries: {
    local: { url: registry, insecure: true },
  },
  images: {
    web: {
      context: '.',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      args: { BASE_IMAGE: process.env.MULTIARCH_TEST_BASE_IMAGE ?? `${registry}/hermetic/busybox:latest` },
      tags: ['v1'],
      test: {
        command: ['uname', '-m'],
        expectOutput: '{uname}',
        http: { port: 80, path: '/', expectStatus: 200 },
      },
      // 127.0.0.1:5000/examples/web-server:v1-linux-amd64, …-linux-arm64, …-linux-arm-v7, and :v1.
      publish: [{ registry: 'local', repository: 'examples/web-server' }],
    },
  },
});
