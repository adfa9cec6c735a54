import { defineConfig } from 'multiarch';
import { armPlatforms } from './platforms.js';

const platforms = ['linux/amd64', 'linux/arm64'];

export default defineConfig({
  images: {
    web: { context: './web', platforms, tags: ['v1'] },
    api: { context: './api', platforms: platforms, tags: ['v1'] },
    worker: { context: './api', dockerfile: 'Dockerfile.worker', platforms: armPlatforms, tags: ['v1'] },
    tools: { context: './web', platforms, tags: ['v2', 'latest'] },
  },
});
