/**
 * The step table apply runs: one function per node kind, each handed only the adapters it uses
 * (its `…Deps`), all made once per run by the CLI (the composition root).
 */
import type { StepTable } from '../execute.js';
import { runBuild, type BuildDeps } from './build.js';
import { runPrepare, type PrepareDeps } from './prepare.js';
import { runPush, type PushDeps } from './push.js';
import { runScan, type ScanDeps } from './scan.js';
import { runTest, type TestDeps } from './test.js';
import { runIndex, type IndexDeps } from './write-index.js';

/** Every step's adapters; an adapter two steps use (the engines, the image exports) is one object. */
export type StepAdapters = PrepareDeps & BuildDeps & TestDeps & ScanDeps & PushDeps & IndexDeps;

export function createSteps(adapters: StepAdapters): StepTable {
  return {
    prepare: (node, ctx) => runPrepare(adapters, node, ctx),
    build: (node, ctx) => runBuild(adapters, node, ctx),
    test: (node, ctx) => runTest(adapters, node, ctx),
    scan: (node, ctx) => runScan(adapters, node, ctx),
    push: (node, ctx) => runPush(adapters, node, ctx),
    index: (node, ctx) => runIndex(adapters, node, ctx),
  };
}
