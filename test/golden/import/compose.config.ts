/**
 * Imported from compose.yaml by `multiarch import`: 3 images, one per service with a build section.
 * Tags became registries, publish entries and image tags. Besides the multi-arch tags bake writes,
 * multiarch pushes each platform image as <tag>-<platform> (publish[].platformTag).
 *
 * - service "api": args.SECRET_FROM_ENV: no value (compose takes it from the environment); left
 *   out
 * - service "api": image: ${REGISTRY} is taken as its default "ghcr.io/acme" (compose reads it
 *   from the environment)
 * - service "api": image: ${TAG} is taken as its default "1.0" (compose reads it from the
 *   environment)
 * - service "api": build.cache_from
 * - service "db" has no build section (it runs postgres:16): not imported
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
  registries: { ghcr: { url: 'ghcr.io' }, dockerhub: { url: 'docker.io' } },
  // Each image: its build context (relative to this file), the Dockerfile (relative to the
  // context; default "Dockerfile"), the platforms to build, its tags, a test run on every
  // platform before anything is pushed, and where to publish it. Platform images are pushed as
  // <tag>-<platform> (publish[].platformTag) and the multi-arch index as <tag> (indexTag).
  images: {
    api: {
      context: './api',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { NODE_ENV: 'production' },
      tags: ['1.0'],
      publish: [{ registry: 'ghcr', repository: 'acme/api' }],
    },
    web: {
      context: './web',
      platforms: ['linux/arm64'],
      tags: ['latest'],
      labels: { 'com.acme.team': 'frontend' },
      publish: [{ registry: 'dockerhub', repository: 'acme/web' }],
    },
    docs: {
      context: './docs',
      platforms: ['linux/amd64'],
      tags: ['latest'],
      // not translated: no platforms (bake builds for the local one): built for linux/amd64 here
      //   (import --platform chooses)
      // not translated: no tags: it is built and tested, not pushed (tags: ["latest"] names its
      //   local images)
    },
  },
});
