/**
 * The seed's AWS ECR layout: one repository, architecture-prefixed tags, the multi-arch tag
 * under its own name.
 *   vijay-app:amd64-v1, vijay-app:arm64-v1  +  vijay-app:multi-arch-v1
 *
 * For ECR itself: `url: '<account>.dkr.ecr.<region>.amazonaws.com'` and a `docker login` (or the
 * ecr-login credential helper). Here the local test registry stands in for it.
 */
import process from 'node:process';
import { defineConfig } from 'multiarch';

const registry = process.env.MULTIARCH_TEST_REGISTRY ?? '127.0.0.1:5000';

export default defineConfig({
  registries: {
    ecr: { url: registry, insecure: true }, // 328222922690.dkr.ecr.us-west-2.amazonaws.com
  },
  images: {
    web: {
      context: '../web-server',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE_IMAGE: process.env.MULTIARCH_TEST_BASE_IMAGE ?? `${registry}/hermetic/busybox:latest` },
      tags: ['v1'],
      test: { command: ['uname', '-m'], expectOutput: '{uname}' },
      publish: [{ registry: 'ecr', repository: 'vijay-app', platformTag: '{arch}-{tag}', indexTag: 'multi-arch-{tag}' }],
    },
  },
});
