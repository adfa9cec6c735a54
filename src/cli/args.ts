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

const OPTIONS = {
  plan: common,
  apply: { ...common, concurrency: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, 'report-dir': { type: 'string' } },
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
  try {
    ({ values } = parseArgs({ args: [...rest], options: OPTIONS[command], allowPositionals: false, strict: true }));
  } catch (error) {
    throw new MultiarchError('E_USAGE', `multiarch ${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}`, {
      hint: `see \`multiarch help\``,
    });
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new MultiarchError('E_USAGE', `--concurrency must be a whole number of at least 1, not "${String(values.concurrency)}"`);
  }
  return {
    command,
    ...(typeof values.config === 'string' ? { config: values.config } : {}),
    images: (values.image as string[] | undefined) ?? [],
    platforms: (values.platform as string[] | undefined) ?? [],
    json: values.json === true,
    ...(values['no-color'] ? { color: false } : values.color ? { color: true } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    verbose: values.verbose === true,
    help: values.help === true,
    ...(typeof values['report-dir'] === 'string' ? { reportDir: values['report-dir'] } : {}),
  };
}

function defaults(command: CommandName): CliOptions {
  return { command, images: [], platforms: [], json: false, verbose: false, help: false };
}

export const HELP = `multiarch — multi-architecture container images from a typed config

Usage:
  multiarch plan  [options]   show what apply would build, test and write (writes nothing)
  multiarch apply [options]   build every platform, test it, push it, write the multi-arch indexes
  multiarch version

  multiarch init              write a commented multiarch.config.ts for the Dockerfiles found here
  multiarch add image NAME --context DIR | add platform P   edit the config, keeping its comments
  multiarch import bake|compose FILE    translate docker-bake.hcl/.json or compose.yaml
  multiarch graph [--format dot|mermaid]   the planned graph, for docs and reviews
  (multiarch <command> --help for each one's options)

Options:
  -c, --config FILE      the config (default: ./multiarch.config.ts)
  -i, --image NAME       only this image (and the images it is built on); repeatable
  -p, --platform P       only this platform, e.g. linux/arm64; repeatable (no index is written
                         unless every platform of an image is selected)
      --json             machine-readable output: the plan as JSON, or NDJSON events for apply
      --concurrency N    apply: nodes run at once (default 4)
  -v, --verbose          apply: stream every build and test log line
      --report-dir DIR   apply: write the vulnerability scan reports there (JSON, SARIF 2.1.0,
                         Markdown; see docs/scanning.md)
      --no-color         no colours (also NO_COLOR=1; off when not a TTY or under CI)

Exit codes: 0 ok, 1 failed or invalid input, 130 interrupted.
Docs: docs/config.md, docs/config-as-code.md, docs/output.md, docs/plan-json.md, docs/events-json.md
`;
