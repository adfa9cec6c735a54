import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '127.0.0.1:5000', insecure: true } },
  // what we build
  images: {
    web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] },
    api: {
      context: './api',
      dockerfile: 'Dockerfile.worker',
      platforms: ['linux/arm64', 'linux/amd64'],
      tags: ['v1'],
      publish: [{ registry: 'local', repository: 'team/api' }],
    },
  },
});
