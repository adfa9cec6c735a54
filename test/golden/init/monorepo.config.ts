/**
 * The images this repository ships, for every platform they run on. Written by `multiarch init`
 * from ci.Dockerfile, services/api/Dockerfile, services/web/Dockerfile,
 * services/web/Dockerfile.worker, tools/api/Dockerfile.
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
  registries: { ghcr: { url: 'ghcr.io' } },
  // Each image: its build context (relative to this file), the Dockerfile (relative to the
  // context; default "Dockerfile"), the platforms to build, its tags, a test run on every
  // platform before anything is pushed, and where to publish it. Platform images are pushed as
  // <tag>-<platform> (publish[].platformTag) and the multi-arch index as <tag> (indexTag).
  images: {
    ci: {
      context: '.',
      dockerfile: 'ci.Dockerfile',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['latest'],
      // test: { command: ['uname', '-m'], expectOutput: '{uname}' },  // run on every platform before pushing
      // → ghcr.io/acme/ci:latest (multi-arch index of :latest-linux-amd64, :latest-linux-arm64)
      publish: [{ registry: 'ghcr', repository: 'acme/ci' }],
    },
    'services-api': {
      context: '.',
      dockerfile: 'services/api/Dockerfile',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['latest'],
      // test: { command: ['uname', '-m'], expectOutput: '{uname}' },  // run on every platform before pushing
      // → ghcr.io/acme/services-api:latest (multi-arch index of :latest-linux-amd64, :latest-linux-arm64)
      publish: [{ registry: 'ghcr', repository: 'acme/services-api' }],
    },
    web: {
      context: './services/web',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['latest'],
      // test: { command: ['uname', '-m'], expectOutput: '{uname}' },  // run on every platform before pushing
      // → ghcr.io/acme/web:latest (multi-arch index of :latest-linux-amd64, :latest-linux-arm64)
      publish: [{ registry: 'ghcr', repository: 'acme/web' }],
    },
    'web-worker': {
      context: './services/web',
      dockerfile: 'Dockerfile.worker',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['latest'],
      // test: { command: ['uname', '-m'], expectOutput: '{uname}' },  // run on every platform before pushing
      // → ghcr.io/acme/web-worker:latest (multi-arch index of :latest-linux-amd64, :latest-linux-arm64)
      publish: [{ registry: 'ghcr', repository: 'acme/web-worker' }],
    },
    'tools-api': {
      context: './tools/api',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['latest'],
      // test: { command: ['uname', '-m'], expectOutput: '{uname}' },  // run on every platform before pushing
      // → ghcr.io/acme/tools-api:latest (multi-arch index of :latest-linux-amd64, :latest-linux-arm64)
      publish: [{ registry: 'ghcr', repository: 'acme/tools-api' }],
    },
  },
});
