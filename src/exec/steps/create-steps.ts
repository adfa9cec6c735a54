/** The step table apply runs: one function per node kind, bound to this run's adapters. */
import type { StepTable } from '../execute.js';
import { runBuild } from './build.js';
import { withRepositories } from './create-repositories.js';
import { runIndex } from './index.js';
import { runPrepare } from './prepare.js';
import { runPush } from './push.js';
import { runScan } from './scan.js';
import type { StepServices } from './services.js';
import { runTest } from './test.js';

export function createSteps(services: StepServices): StepTable {
  return {
    prepare: (node, ctx) => runPrepare(services, node, ctx),
    build: (node, ctx) => runBuild(services, node, ctx),
    test: (node, ctx) => runTest(services, node, ctx),
    scan: (node, ctx) => runScan(services, node, ctx),
    push: (node, ctx) => withRepositories(services, node, ctx, () => runPush(services, node, ctx)),
    index: (node, ctx) => withRepositories(services, node, ctx, () => runIndex(services, node, ctx)),
  };
}
