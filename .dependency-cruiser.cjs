/**
 * Dependency rules for src/ (`npm test` runs them; scripts/check-boundaries.mjs adds the checks
 * imports cannot show: globals such as Date.now, and who sets exit codes). Type-only imports count:
 * a folder that names another's types depends on it. Each rule has a planted violation that makes it
 * fail (test/unit/boundaries/planted.test.ts). Folders follow ../shared/design/architecture.md.
 */
const folder = (name) => `^src/${name}/`;

/** What each folder may import (besides itself). Anything else is a violation. */
const ALLOWED = {
  '(root)': ['config', 'prepare'],
  ci: ['config'],
  // config/load.ts (the edge of config/) settles the user's module under a time limit (sys/).
  config: ['errors', 'prepare', 'sys/settle-config.ts'],
  'config-edit': ['config', 'errors', 'image/image-reference.ts'],
  // docker/ → exec/ports, image: docker-engine.ts implements the engine port; its export fills the blob store.
  docker: ['config', 'dockerfile', 'errors', 'exec/ports', 'image', 'sys'],
  // The one Dockerfile parser: pure, used for bases, inputs, failing-line mapping.
  dockerfile: ['config', 'errors'],
  // Engine-free assembly of RUN-less Dockerfiles (issue 18).
  direct: ['config', 'dockerfile', 'errors', 'image', 'inputs', 'state'],
  // The AWS ECR repository API (issue 17): the SDK and the plan's plain repository records;
  // ecr/ → exec/ports: repository-creator.ts implements the ECR repositories port.
  ecr: ['config', 'errors', 'exec/ports', 'plan'],
  errors: [],
  // exec/ reaches engines and scanners only through its ports (exec/ports/: engine, builder,
  // scanner, ECR), never docker/, scanners/ or registry/: cli/ hands the adapters in.
  // exec/ → direct, state/registry-access.ts: engine-free assembly reads bases through the registry state.
  // facts/ observes (config, engines, git, Dockerfiles, inputs, registry state, scanners, shards,
  // signatures) through the adapters, and reads plan/ for its types and the graph it gathers for.
  // It never reaches cli/ (its options are a structural type of its own) nor ui/.
  // facts/ → ecr: which ECR repositories exist (DescribeRepositories), read before planning.
  facts: ['config', 'direct', 'docker', 'dockerfile', 'ecr', 'errors', 'inputs', 'plan', 'publish', 'registry', 'scanners', 'state', 'supply', 'sys'],
  exec: ['config', 'direct', 'errors', 'image', 'plan', 'prepare', 'publish', 'scan', 'state/registry-access.ts', 'supply', 'sys'],
  image: ['config', 'errors', 'sys'],
  importers: ['config', 'config-edit', 'errors', 'image/image-reference.ts', 'scaffold', 'text'],
  inputs: ['config', 'config-edit', 'dockerfile', 'errors', 'plan', 'sys'],
  plan: ['config', 'dockerfile', 'errors', 'scan'],
  prepare: ['errors', 'sys'],
  publish: ['config', 'errors', 'image', 'plan', 'registry', 'sys'],
  registry: ['errors', 'image', 'sys'],
  scaffold: ['config', 'config-edit', 'image/image-reference.ts', 'text'],
  scan: ['config'],
  // scanners/ → exec/ports: scan-services.ts implements the scanner port; images reach it as archives, not through docker/.
  scanners: ['config', 'errors', 'exec/ports', 'scan', 'sys'],
  state: ['config', 'config-edit', 'dockerfile', 'errors', 'image', 'inputs', 'plan', 'publish', 'registry'],
  // Signatures and attestations (cosign layout, DSSE, SLSA provenance), read and written through publish/ stores.
  supply: ['config', 'image', 'plan', 'publish'],
  sys: ['errors'],
  // Fitting text to a width and counting with nouns: every text output's (ui, importers, scaffold).
  text: [],
  // ui/ → supply/statement.ts: the predicate type names `plan` shows (pure constants).
  ui: ['config', 'errors', 'exec', 'plan', 'scan', 'supply/statement.ts', 'text'],
};

const allowPath = (entry) => (entry.endsWith('.ts') ? `^src/${entry.replace(/\./g, '\\.')}$` : `^src/${entry}/`);

const allowListRules = Object.entries(ALLOWED).map(([name, allowed]) => {
  const from = name === '(root)' ? '^src/[^/]+$' : folder(name);
  const own = name === '(root)' ? '^src/[^/]+$' : folder(name);
  return {
    name: `allowed-imports-${name.replace(/[()]/g, '')}`,
    comment: `src/${name === '(root)' ? '' : `${name}/`} may import only: ${allowed.join(', ') || 'nothing outside itself'}`,
    severity: 'error',
    from: { path: from },
    to: { path: '^src/', pathNot: [own, ...allowed.map(allowPath)] },
  };
});

/** Pure modules: decide, never do. config/'s edge is what loads and runs the user's config. */
const CONFIG_EDGE = ['load', 'load-transform', 'config-graph', 'evaluate-config', 'maybe-file'];
const PURE = [`^src/config/(?!(${CONFIG_EDGE.join('|')})\\.ts$)`, '^src/dockerfile/', '^src/plan/', '^src/text/', '^src/exec/schedule\\.ts$', '^src/ui/run/state\\.ts$'];
/** What pure modules must not reach, however many imports away. */
// (zx is not among them: its Shell type is part of the prepare DSL that config/ names, through
// prepare/context.ts; the zx runtime sits in sys/ and prepare/outputs.ts, which pure code cannot reach.)
const PACKAGES = 'execa|ink|react|undici|jiti|ink-spinner';
const IMPURE_MODULES = [
  '^(node:)?(fs|fs/promises|child_process|process|net|http|https|os|worker_threads|readline)$',
  `^(${PACKAGES})(/|$)`,
  `(^|/)node_modules/(${PACKAGES})/`,
];

module.exports = {
  forbidden: [
    ...allowListRules,
    {
      // Module cycles; cycles between folders are found by scripts/check-boundaries.mjs.
      name: 'no-cycles',
      comment: 'no import cycle between modules (type imports included)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'pure-reaches-no-io',
      comment: 'config/ (but load.ts, load-transform.ts, config-graph.ts, evaluate-config.ts and maybe-file.ts), dockerfile/, plan/, text/, exec/schedule.ts and ui/run/state.ts reach no fs, process, network or terminal module, even through other modules',
      severity: 'error',
      from: { path: PURE },
      to: { path: IMPURE_MODULES, reachable: true },
    },
    {
      name: 'pure-reaches-no-edge',
      comment: 'pure modules reach no adapter folder (sys, docker, registry, image, state, publish, scanners, inputs, cli, facts, ecr; of prepare/ only the DSL types)',
      severity: 'error',
      from: { path: PURE },
      to: { path: ['^src/(sys|docker|registry|image|state|publish|scanners|inputs|cli|facts|ecr)/', '^src/prepare/(?!context\\.ts$)'], reachable: true },
    },
    {
      // Facts, then one pure call: cli/ gathers the facts and hands them to createPlan; nothing
      // else (the planner, the executor, the reporters, the adapters) reaches back for facts.
      name: 'only-cli-reads-facts',
      comment: 'src/facts/ is used by src/cli/ only (it wires: gatherFacts → createPlan → execute)',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/facts/'] },
      to: { path: '^src/facts/' },
    },
    {
      name: 'ui-reads-no-registry-docker-state',
      comment: 'reporters render events; they never query the registry, docker or the state store',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/(registry|docker|state)/', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
