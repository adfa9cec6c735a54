/**
 * Two images where one is built on the other: `ref('base')` makes app's BASE build arg, for each
 * platform, base's digest as published for that same platform — so app/arm64 is always built on
 * base/arm64, and base is built, tested and pushed first.
 */
import process from 'node:process';
import { defineConfig, ref } from 'multiarch';

const registry = process.env.MULTIARCH_TEST_REGISTRY ?? '127.0.0.1:5000';
const platforms = ['linux/amd64', 'linux/arm64'] as const;

export default defineConfig({
  registries: {
    local: { url: registry, insecure: true },
  },
  images: {
    base: {
      context: './base',
      platforms: [...platforms],
      args: { BASE_IMAGE: process.env.MULTIARCH_TEST_BASE_IMAGE ?? `${registry}/hermetic/busybox:latest` },
      tags: ['v1'],
      test: { command: ['cat', '/etc/team/base-arch'], expectOutput: '{uname}' },
      publish: [{ registry: 'local', repository: 'examples/team-base' }],
    },
    app: {
      context: './app',
      platforms: [...platforms],
      args: { BASE: ref('base') },
      tags: ['v1'],
      test: { command: ['/usr/local/bin/hello'], expectOutput: 'hello from {uname}, on a base built for {uname}' },
      publish: [{ registry: 'local', repository: 'examples/app' }],
    },
  },
});
