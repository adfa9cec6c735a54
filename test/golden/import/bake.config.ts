/**
 * Imported from docker-bake.hcl by `multiarch import`: 4 images, one per target.
 * Tags became registries, publish entries and image tags. Besides the multi-arch tags bake writes,
 * multiarch pushes each platform image as <tag>-<platform> (publish[].platformTag).
 *
 * - variables at their defaults: MAJOR="1", REGISTRY="docker.io/acme", TAG="1.4.0" (bake reads
 *   them from the environment; the config has the values)
 *
 * What a target has that multiarch does not is listed as `// not translated:` in its image.
 *
 *   npx multiarch plan                       what would be built, tested and pushed (writes nothing)
 *   npx multiarch apply                      build every platform (foreign ones under QEMU), test
 *                                            each one, push it, then one multi-arch tag per tag
 *   npx multiarch add platform linux/arm/v7  edit this file from the command line (also: add image)
 *   npx multiarch graph --format mermaid     the plan as a diagram
 *
 * Plain TypeScript, typed by defineConfig: your editor completes and checks every field.
 */
import { defineConfig } from 'multiarch';

export default defineConfig({
  // Where images are pushed: `url` is the host as written in image references (docker.io,
  // ghcr.io, <account>.dkr.ecr.<region>.amazonaws.com; 127.0.0.1:5000 with insecure: true).
  // multiarch logs in with the credentials `docker login <url>` stored.
  registries: {
    dockerhub: { url: 'docker.io' },
    ghcr: { url: 'ghcr.io' },
    local: { url: 'localhost:5000', insecure: true },
  },
  // Each image: its build context (relative to this file), the Dockerfile (relative to the
  // context; default "Dockerfile"), the platforms to build, its tags, a test run on every
  // platform before anything is pushed, and where to publish it. Platform images are pushed as
  // <tag>-<platform> (publish[].platformTag) and the multi-arch index as <tag> (indexTag).
  images: {
    api: {
      context: './services/api',
      dockerfile: 'Dockerfile.prod',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { GO_VERSION: '1.22', BUILD_MODE: 'release' },
      target: 'runtime',
      tags: ['1.4.0', '1'],
      labels: { 'org.opencontainers.image.vendor': 'acme' },
      publish: [
        { registry: 'dockerhub', repository: 'acme/api' },
        { registry: 'ghcr', repository: 'acme/api', tags: ['1.4.0'] },
      ],
      cache: { from: [{ type: 'gha' }] },
    },
    web: {
      context: './services/web',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      args: { GO_VERSION: '1.22' },
      tags: ['1.4.0', 'latest'],
      labels: { 'org.opencontainers.image.vendor': 'acme' },
      publish: [{ registry: 'dockerhub', repository: 'acme/web' }],
      // not translated: contexts.shared = "target:_common", a named context built from _common;
      //   for the same, ARG SHARED + FROM ${SHARED} in the Dockerfile and args: { SHARED:
      //   ref('common') }
    },
    'worker-mail': {
      context: './workers',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { GO_VERSION: '1.22', KIND: 'Mail' },
      tags: ['1.4.0'],
      labels: { 'org.opencontainers.image.vendor': 'acme' },
      publish: [{ registry: 'local', repository: 'acme/worker-mail' }],
    },
    'worker-thumbs': {
      context: './workers',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { GO_VERSION: '1.22', KIND: 'Thumbs' },
      tags: ['1.4.0'],
      labels: { 'org.opencontainers.image.vendor': 'acme' },
      publish: [{ registry: 'local', repository: 'acme/worker-thumbs' }],
    },
  },
});
