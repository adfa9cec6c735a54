import { defineConfig } from 'multiarch';
import { armPlatforms } from './platforms.js';

const platforms = ['linux/amd64', 'linux/arm64'];

export default defineConfig({
  images: {
    web: { context: './web', platforms: [...platforms, 'linux/riscv64'], tags: ['v1'] },
    api: { context: './api', platforms: platforms, tags: ['v1'] },
    worker: { context: './api', dockerfile: 'Dockerfile.worker', platforms: armPlatforms, tags: ['v1'] },
  },
});
