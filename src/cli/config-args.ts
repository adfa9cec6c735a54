/**
 * Command-line parsing for the commands that write or show a config — init, add, import, graph —
 * kept apart from args.ts (plan/apply) because they take positionals and their own flags. Pure.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CI_PROVIDERS, isCiProvider, type CiProvider } from '../ci/ci-provider.js';
import { MultiarchError } from '../errors/multiarch-error.js';

export const CONFIG_COMMANDS = ['init', 'add', 'import', 'graph'] as const;

const color = { color: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
const SPECS = {
  init: {
    ...color,
    config: { type: 'string', short: 'c' },
    platform: { type: 'string', short: 'p', multiple: true },
    registry: { type: 'string', short: 'r', multiple: true },
    tag: { type: 'string', short: 't', multiple: true },
    ci: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    force: { type: 'boolean', short: 'f' },
    'dry-run': { type: 'boolean' },
  },
  add: {
    ...color,
    config: { type: 'string', short: 'c' },
    context: { type: 'string' },
    dockerfile: { type: 'string' },
    platform: { type: 'string', short: 'p', multiple: true },
    tag: { type: 'string', short: 't', multiple: true },
    publish: { type: 'string', multiple: true },
    image: { type: 'string', short: 'i', multiple: true },
    'dry-run': { type: 'boolean' },
  },
  import: {
    ...color,
    out: { type: 'string', short: 'o' },
    platform: { type: 'string', short: 'p', multiple: true },
    force: { type: 'boolean', short: 'f' },
    'dry-run': { type: 'boolean' },
  },
  graph: {
    ...color,
    config: { type: 'string', short: 'c' },
    format: { type: 'string' },
    image: { type: 'string', short: 'i', multiple: true },
    platform: { type: 'string', short: 'p', multiple: true },
  },
} as const satisfies Record<(typeof CONFIG_COMMANDS)[number], ParseArgsConfig['options']>;

interface Common {
  readonly color?: boolean;
  readonly help: boolean;
}

export type ConfigCommand = Common &
  (
    | {
        readonly command: 'init';
        readonly config?: string;
        readonly platforms: readonly string[];
        readonly registries: readonly string[];
        readonly tags: readonly string[];
        readonly yes: boolean;
        readonly force: boolean;
        readonly dryRun: boolean;
      }
    | {
        /** `init --ci`: a CI workflow for the existing config (`config` is the one to read). */
        readonly command: 'init-ci';
        readonly config?: string;
        readonly provider: CiProvider;
        readonly yes: boolean;
        readonly force: boolean;
        readonly dryRun: boolean;
      }
    | {
        readonly command: 'add-image';
        readonly config?: string;
        readonly name: string;
        readonly context: string;
        readonly dockerfile?: string;
        readonly platforms: readonly string[];
        readonly tags: readonly string[];
        readonly publish: readonly string[];
        readonly dryRun: boolean;
      }
    | { readonly command: 'add-platform'; readonly config?: string; readonly platform: string; readonly images: readonly string[]; readonly dryRun: boolean }
    | {
        readonly command: 'import';
        readonly format: 'bake' | 'compose';
        readonly file: string;
        /** Bake targets or groups, compose services; all (bake: the default group) when empty. */
        readonly targets: readonly string[];
        readonly out?: string;
        readonly platforms: readonly string[];
        readonly force: boolean;
        readonly dryRun: boolean;
      }
    | { readonly command: 'graph'; readonly config?: string; readonly format: 'dot' | 'mermaid'; readonly images: readonly string[]; readonly platforms: readonly string[] }
    | { readonly command: 'help'; readonly topic: (typeof CONFIG_COMMANDS)[number] }
  );

export function isConfigCommand(word: string | undefined): word is (typeof CONFIG_COMMANDS)[number] {
  return (CONFIG_COMMANDS as readonly string[]).includes(word ?? '');
}

export function parseConfigCommand(argv: readonly string[]): ConfigCommand {
  const [command, ...rest] = argv;
  if (!isConfigCommand(command)) throw new MultiarchError('E_USAGE', `unknown command "${command ?? ''}"`);
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...rest], options: SPECS[command], allowPositionals: true, strict: true }));
  } catch (error) {
    throw usage(command, (error as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const common: Common = { help: values.help === true, ...(values['no-color'] ? { color: false } : values.color ? { color: true } : {}) };
  if (common.help) return { ...common, command: 'help', topic: command };
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const config = str('config');
  const withConfig = config === undefined ? {} : { config };
  const dryRun = values['dry-run'] === true;
  switch (command) {
    case 'init':
      if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}"`);
      if (values.ci !== undefined) return parseInitCi(str('ci') ?? '', common, withConfig, { list, yes: values.yes === true, force: values.force === true, dryRun });
      return {
        ...common,
        ...withConfig,
        command,
        platforms: list('platform'),
        registries: list('registry'),
        tags: list('tag'),
        yes: values.yes === true,
        force: values.force === true,
        dryRun,
      };
    case 'add':
      return parseAdd(positionals, common, withConfig, { list, str, dryRun });
    case 'import': {
      const [format, file, ...targets] = positionals;
      if (format !== 'bake' && format !== 'compose') throw usage(command, `say what to import: multiarch import bake FILE or multiarch import compose FILE`);
      if (!file) throw usage(command, `multiarch import ${format} needs the file to import, e.g. ${format === 'bake' ? 'docker-bake.hcl' : 'compose.yaml'}`);
      const out = str('out');
      return { ...common, command, format, file, targets, ...(out ? { out } : {}), platforms: list('platform'), force: values.force === true, dryRun };
    }
    case 'graph': {
      if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}"`);
      const format = str('format') ?? 'mermaid';
      if (format !== 'dot' && format !== 'mermaid') throw usage(command, `--format is dot or mermaid, not "${format}"`);
      return { ...common, ...withConfig, command, format, images: list('image'), platforms: list('platform') };
    }
  }
}

function parseInitCi(
  provider: string,
  common: Common,
  withConfig: { config?: string },
  { list, yes, force, dryRun }: { list: (k: string) => string[]; yes: boolean; force: boolean; dryRun: boolean },
): ConfigCommand {
  if (!isCiProvider(provider)) throw usage('init', `--ci is ${CI_PROVIDERS.join(' or ')}, not "${provider}"`);
  // These shape a new config; the workflow takes platforms and registries from the existing one.
  for (const flag of ['platform', 'registry', 'tag']) {
    if (list(flag).length) throw usage('init', `--${flag} is for writing a new config; --ci takes platforms and registries from the existing one (change them with \`multiarch add …\`)`);
  }
  return { ...common, ...withConfig, command: 'init-ci', provider, yes, force, dryRun };
}

function parseAdd(
  positionals: string[],
  common: Common,
  withConfig: { config?: string },
  { list, str, dryRun }: { list: (k: string) => string[]; str: (k: string) => string | undefined; dryRun: boolean },
): ConfigCommand {
  const [what, value, extra] = positionals;
  if (extra !== undefined) throw usage('add', `unexpected argument "${extra}"`);
  if (what === 'image') {
    const context = str('context');
    if (!value) throw usage('add', 'multiarch add image needs a name: multiarch add image NAME --context DIR');
    if (!context) throw usage('add', `multiarch add image ${value} needs --context DIR (the build context, relative to the config)`);
    if (list('image').length) throw usage('add', '--image is for add platform');
    const dockerfile = str('dockerfile');
    return { ...common, ...withConfig, command: 'add-image', name: value, context, ...(dockerfile ? { dockerfile } : {}), platforms: list('platform'), tags: list('tag'), publish: list('publish'), dryRun };
  }
  if (what === 'platform') {
    if (!value) throw usage('add', 'multiarch add platform needs the platform, e.g. multiarch add platform linux/arm/v7');
    for (const flag of ['context', 'dockerfile']) if (str(flag)) throw usage('add', `--${flag} is for add image`);
    for (const flag of ['platform', 'tag', 'publish']) if (list(flag).length) throw usage('add', `--${flag} is for add image`);
    return { ...common, ...withConfig, command: 'add-platform', platform: value, images: list('image'), dryRun };
  }
  throw usage('add', 'say what to add: multiarch add image NAME --context DIR, or multiarch add platform PLATFORM');
}

function usage(command: string, message: string): MultiarchError {
  return new MultiarchError('E_USAGE', `multiarch ${command}: ${message}`, { hint: `see \`multiarch ${command} --help\`` });
}
