/**
 * Command-line parsing for every command: `node:util` parseArgs with the flags each command takes.
 * Unknown flags are usage errors that name the flag and the command. Pure.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MultiarchError } from '../errors/multiarch-error.js';
import { CONFIG_COMMANDS } from './config-args.js';

export const COMMANDS = ['plan', 'apply', 'version', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

const common = {
  config: { type: 'string', short: 'c' },
  image: { type: 'string', short: 'i', multiple: true },
  platform: { type: 'string', short: 'p', multiple: true },
  json: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Incremental planning: which images to force, which to consider. */
const incremental = {
  force: { type: 'string', multiple: true },
  since: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const OPTIONS = {
  plan: {
    ...common,
    ...incremental,
    out: { type: 'string' },
    'out-markdown': { type: 'string' },
    format: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    offline: { type: 'boolean' },
    'detailed-exitcode': { type: 'boolean' },
    merge: { type: 'string', multiple: true },
  },
  apply: {
    ...common,
    ...incremental,
    concurrency: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    'report-dir': { type: 'string' },
    'shard-out': { type: 'string' },
    merge: { type: 'string', multiple: true },
  },
  version: {},
  help: {},
} as const satisfies Record<CommandName, ParseArgsConfig['options']>;

export interface CliOptions {
  readonly command: CommandName;
  readonly config?: string;
  readonly images: readonly string[];
  readonly platforms: readonly string[];
  readonly json: boolean;
  /** --color / --no-color; undefined when neither was given. */
  readonly color?: boolean;
  readonly concurrency?: number;
  readonly verbose: boolean;
  readonly help: boolean;
  /** apply: where the scan reports (JSON, SARIF, Markdown) go. */
  readonly reportDir?: string;
  /** plan --out: save the plan for `apply <file>`. */
  readonly out?: string;
  /** plan --format: text (default), markdown (for pull requests) or json (= --json). */
  readonly format?: PlanFormat;
  /** plan --out-markdown FILE: also write the Markdown plan there. */
  readonly outMarkdown?: string;
  /** plan --offline: plan from what this machine knows, without reading registries. */
  readonly offline?: true;
  /** plan --detailed-exitcode: exit 2 when there are changes. */
  readonly detailedExitcode?: true;
  /** --force: rebuild every image (true) or these. */
  readonly force?: true | readonly string[];
  /** --since <git-ref>: only images whose inputs changed since then (and what is built on them). */
  readonly since?: string;
  /** apply <plan.json>: the saved plan to apply. */
  readonly planFile?: string;
  /** apply --platform P --shard-out DIR: build, test and scan into an OCI layout; no index. */
  readonly shardOut?: string;
  /** apply --merge DIR...: push the shards' platform images and write the indexes. */
  readonly merge?: readonly string[];
}

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** `--format markdown`; `--json` is `--format json`, and the two cannot disagree. */
function planFormat(values: Record<string, unknown>): PlanFormat | undefined {
  const raw = values.format;
  if (raw === undefined) return undefined;
  if (!(PLAN_FORMATS as readonly unknown[]).includes(raw)) {
    throw new MultiarchError('E_USAGE', `--format must be one of ${PLAN_FORMATS.join(', ')}, not "${String(raw)}"`, { hint: 'e.g. multiarch plan --format markdown > plan.md' });
  }
  if (values.json === true && raw !== 'json') throw new MultiarchError('E_USAGE', `--json and --format ${String(raw)} ask for two formats`, { hint: 'give one of them' });
  return raw as PlanFormat;
}

/** `--force` alone means every image; `--force web` / `--force=web` one (repeatable). */
const FORCE_ALL = '\u0000all';

function normalizeForce(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg !== '--force') out.push(arg);
    else if (next !== undefined && !next.startsWith('-') && !next.endsWith('.json')) out.push(`--force=${args[++i]}`);
    else out.push(`--force=${FORCE_ALL}`);
  }
  return out;
}

export function parseCli(argv: readonly string[]): CliOptions {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h') return { ...defaults('help') };
  if (first === '--version' || first === '-V') return { ...defaults('version') };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new MultiarchError('E_USAGE', `unknown command "${first}"`, { hint: `commands: ${[...COMMANDS, ...CONFIG_COMMANDS].join(', ')} (see multiarch help)` });
  }
  const command = first as CommandName;
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: normalizeForce(rest), options: OPTIONS[command], allowPositionals: command === 'apply' || rest.some((a) => a === '--merge' || a.startsWith('--merge=')), strict: true }));
  } catch (error) {
    throw new MultiarchError('E_USAGE', `multiarch ${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}`, {
      hint: `see \`multiarch help\``,
    });
  }
  // `--merge shards/*`: the shell's words after the first are positionals too.
  const merge = values.merge === undefined ? undefined : [...(values.merge as string[]), ...positionals.splice(0)];
  if (positionals.length > 1) throw new MultiarchError('E_USAGE', `multiarch apply takes one saved plan, not ${positionals.length} arguments`, { hint: 'multiarch apply plan.json' });
  checkShardOptions(values, merge, positionals[0]);
  const forced = values.force as string[] | undefined;
  const force = forced === undefined ? undefined : forced.includes(FORCE_ALL) ? (true as const) : forced;
  const format = planFormat(values);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new MultiarchError('E_USAGE', `--concurrency must be a whole number of at least 1, not "${String(values.concurrency)}"`);
  }
  return {
    command,
    ...(typeof values.config === 'string' ? { config: values.config } : {}),
    images: (values.image as string[] | undefined) ?? [],
    platforms: (values.platform as string[] | undefined) ?? [],
    json: values.json === true || format === 'json',
    ...(format ? { format } : {}),
    ...(typeof values['out-markdown'] === 'string' ? { outMarkdown: values['out-markdown'] } : {}),
    ...(values['no-color'] ? { color: false } : values.color ? { color: true } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    verbose: values.verbose === true,
    help: values.help === true,
    ...(typeof values['report-dir'] === 'string' ? { reportDir: values['report-dir'] } : {}),
    ...(typeof values.out === 'string' ? { out: values.out } : {}),
    ...(values.offline === true ? { offline: true as const } : {}),
    ...(values['detailed-exitcode'] === true ? { detailedExitcode: true as const } : {}),
    ...(force !== undefined ? { force } : {}),
    ...(typeof values.since === 'string' ? { since: values.since } : {}),
    ...(positionals[0] !== undefined ? { planFile: positionals[0] } : {}),
    ...(typeof values['shard-out'] === 'string' ? { shardOut: values['shard-out'] } : {}),
    ...(merge ? { merge } : {}),
  };
}

/** A shard is one or more platforms and every other option; a merge takes only the shards. */
function checkShardOptions(values: Record<string, unknown>, merge: readonly string[] | undefined, planFile: string | undefined): void {
  const shardOut = values['shard-out'];
  if (shardOut !== undefined) {
    if (merge) throw new MultiarchError('E_USAGE', '--shard-out and --merge are two steps: build each shard, then merge them', { hint: 'multiarch apply --platform linux/arm64 --shard-out shard-arm64; then multiarch apply --merge shard-*' });
    if (planFile) throw new MultiarchError('E_USAGE', '--shard-out cannot change a saved plan', { hint: 'make the shard from the config: multiarch apply --platform P --shard-out DIR' });
    if (!(values.platform as string[] | undefined)?.length) {
      throw new MultiarchError('E_USAGE', '--shard-out needs --platform: a shard holds the images of the platforms its runner builds', { hint: 'e.g. multiarch apply --platform linux/arm64 --shard-out shard-arm64' });
    }
  }
  if (!merge) return;
  const conflicting = [values.platform && '--platform', values.force && '--force', values.since && '--since', planFile && 'a saved plan', values.out && '--out', values.offline && '--offline'].filter(Boolean);
  if (conflicting.length > 0) {
    throw new MultiarchError('E_USAGE', `--merge takes every platform from the shards, not ${conflicting.join(', ')}`, { hint: 'multiarch apply --merge DIR... (optionally --image NAME)' });
  }
  if (merge.length === 0) throw new MultiarchError('E_USAGE', '--merge needs the shard directories', { hint: 'multiarch apply --merge shard-amd64 shard-arm64' });
}

function defaults(command: CommandName): CliOptions {
  return { command, images: [], platforms: [], json: false, verbose: false, help: false };
}

export const HELP = `multiarch — multi-architecture container images from a typed config

Usage:
  multiarch plan  [options]   show what apply would change and why (reads registries, writes nothing)
  multiarch apply [options]   build, test and push what changed; write indexes whose children changed
  multiarch apply PLAN.json   apply exactly a saved plan (refused if inputs or registries changed since)
  multiarch version

  multiarch init              write a commented multiarch.config.ts for the Dockerfiles found here
  multiarch init --ci github|gitlab   write the sharded CI workflow (a job per platform, one merge)
  multiarch add image NAME --context DIR | add platform P   edit the config, keeping its comments
  multiarch import bake|compose FILE    translate docker-bake.hcl/.json or compose.yaml
  multiarch graph [--format dot|mermaid]   the planned graph, for docs and reviews
  (multiarch <command> --help for each one's options)

Options:
  -c, --config FILE      the config (default: ./multiarch.config.ts)
  -i, --image NAME       only this image (and the images it is built on); repeatable; a glob
                         selects by pattern: 'svc-*' (within a "/" part), 'web/**' (across)
  -p, --platform P       only this platform, e.g. linux/arm64; repeatable (no index is written
                         unless every platform of an image is selected)
      --json             machine-readable output: the plan as JSON, or NDJSON events for apply
      --concurrency N    apply: nodes run at once (default 4)
      --force [NAME]     rebuild every image, or only NAME (and what is built on it); repeatable
      --since REF        only images whose inputs changed since the git ref (and what is built on them)
      --out FILE         plan: save the plan for \`multiarch apply FILE\`
      --format F         plan: text (default), markdown (for a pull request) or json
      --out-markdown FILE  plan: also write the Markdown plan to FILE (on GitHub Actions plan
                         also appends it to the step summary)
      --offline          plan: do not read registries; plan from what this machine last saw
      --detailed-exitcode  plan: exit 0 without changes, 2 with changes, 1 on error
  -v, --verbose          plan: list up-to-date images too; apply: stream every build and test log line
      --report-dir DIR   apply: write the vulnerability scan reports there (JSON, SARIF 2.1.0,
                         Markdown; see docs/scanning.md)
      --shard-out DIR    apply --platform P: build, test and scan P's images into the OCI layout
                         DIR (a CI artifact); nothing is pushed and no index is written
      --merge DIR...     apply: push the platform images of these shards and write the indexes,
                         once every platform is there from the same inputs (docs/builders.md);
                         plan: check the shards and show what the merge would publish
      --no-color         no colours (also NO_COLOR=1; off when not a TTY or under CI)

Exit codes: 0 ok, 1 failed or invalid input, 2 changes (plan --detailed-exitcode), 130 interrupted.
Docs: docs/config.md, docs/config-as-code.md, docs/output.md, docs/plan-json.md, docs/events-json.md,
      docs/incremental.md
`;
