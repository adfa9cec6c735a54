import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Projects with different worker limits must run as separate groups: unit first.
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // A few unit tests load ts-morph or jiti (seconds on a busy 2-core runner): a time-out is
          // a machine's load, not a failure of what they check.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // Two cores: e2e files share one dockerd and one registry; run two files at a time at most.
          maxWorkers: 2,
        },
      },
    ],
  },
});
