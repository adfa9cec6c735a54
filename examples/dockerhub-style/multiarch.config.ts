/**
 * The seed's Docker Hub layout: one repository per architecture, the multi-arch tag in another.
 *   vijay2181/web-amd64:v1, vijay2181/web-arm64:v1  +  vijay2181/multi-arch:v1
 *
 * For Docker Hub itself: `url: 'docker.io'` and `docker login` (multiarch reads the same
 * credentials). Here the local test registry stands in for it.
 */
import process from 'node:process';
import { defineConfig } from 'multiarch';

const registry = process.env.MULTIARCH_TEST_REGISTRY ?? '127.0.0.1:5000';

export default defineConfig({
  registries: {
    hub: { url: registry, insecure: true }, // docker.io
  },
  images: {
    web: {
      context: '../web-server',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE_IMAGE: process.env.MULTIARCH_TEST_BASE_IMAGE ?? `${registry}/hermetic/busybox:latest` },
      tags: ['v1'],
      test: { command: ['uname', '-m'], expectOutput: '{uname}' },
      publish: [
        {
          registry: 'hub',
          repository: 'vijay2181/multi-arch',
          platformRepository: 'vijay2181/web-{arch}',
          platformTag: '{tag}',
        },
      ],
    },
  },
});
