/**
 * `multiarch init`: find the repository's Dockerfiles, ask (on a terminal) or take flags for
 * platforms and registries, and write a commented multiarch.config.ts — validated by loading it
 * first — plus a starter Dockerfile and .dockerignore when there is no Dockerfile yet. Never
 * overwrites without --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAMES } from '../../config/load.js';
import { renderConfig, TEMPLATE_FILE } from '../../config-edit/render-config.js';
import { readTemplate, STARTER_FILES } from '../../config-edit/templates.js';
import { assertWritable, writeConfig } from '../../config-edit/write-config.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import {
  createInitDraft,
  DEFAULT_PLATFORMS,
  DEFAULT_TAGS,
  parsePlatformList,
  parseRegistryChoice,
  type InitChoices,
  type ParseResult,
  type RegistryChoice,
} from '../../scaffold/create-init-draft.js';
import { detectImages, sanitizeName } from '../../scaffold/detect-images.js';
import { existsUnder, findDockerfiles } from '../../scaffold/find-dockerfiles.js';
import type { ConfigCommand } from '../config-args.js';
import type { CliIo } from '../io.js';
import type { Ask } from '../prompt.js';

type InitOptions = Extract<ConfigCommand, { command: 'init' }>;

/** Build definitions `init` can point at instead: `multiarch import` translates them. */
const IMPORTABLE: Record<string, 'bake' | 'compose'> = {
  'docker-bake.hcl': 'bake',
  'docker-bake.json': 'bake',
  'compose.yaml': 'compose',
  'compose.yml': 'compose',
  'docker-compose.yml': 'compose',
  'docker-compose.yaml': 'compose',
};

/** `ask` is the terminal's prompter, absent when there is no terminal to ask on. */
export async function initCommand(options: InitOptions, io: CliIo, ask?: Ask): Promise<number> {
  const file = path.resolve(io.cwd, options.config ?? 'multiarch.config.ts');
  const root = path.dirname(file);
  const hint = 'pass --force to replace it, or edit it with `multiarch add image …` / `multiarch add platform …`';
  assertWritable(file, options.force, io.cwd, hint);
  const other = CONFIG_FILE_NAMES.map((n) => path.join(root, n)).find((f) => f !== file && fs.existsSync(f));
  if (other && !options.force) assertWritable(other, false, io.cwd, hint);

  const found = findDockerfiles(root);
  const detected = found.length > 0;
  const images = detected
    ? detectImages(found, path.basename(root), existsUnder(root))
    : [{ name: sanitizeName(path.basename(root)), context: '.' }];
  if (detected) {
    io.stderr(`Found ${found.length === 1 ? 'a Dockerfile' : `${found.length} Dockerfiles`}:\n`);
    for (const image of images) io.stderr(`  ${image.name.padEnd(20)} ${describeSource(image)}\n`);
  } else {
    io.stderr('No Dockerfile found: writing a starter Dockerfile and .dockerignore with the config.\n');
  }
  for (const [name, kind] of Object.entries(IMPORTABLE)) {
    if (fs.existsSync(path.join(root, name))) io.stderr(`note: ${name} is here too; \`multiarch import ${kind} ${name}\` translates it instead.\n`);
  }

  const choices = await chooseOptions(options, { ...(ask && !options.yes ? { ask } : {}), say: io.stderr });
  const text = renderConfig(readTemplate(TEMPLATE_FILE), createInitDraft({ images, choices, detected }));
  const written: string[] = [];
  if (!detected && !options.dryRun) {
    for (const starter of STARTER_FILES) {
      const target = path.join(root, starter);
      if (fs.existsSync(target)) continue;
      fs.writeFileSync(target, readTemplate(starter));
      written.push(starter);
    }
  }
  // A dry run of the starter has no Dockerfile to validate against: the template is tested instead.
  if (detected || !options.dryRun) await writeConfig(file, text, { cwd: io.cwd, dryRun: options.dryRun, doing: 'init' });
  if (options.dryRun) {
    io.stdout(text);
    return 0;
  }
  written.unshift(path.relative(io.cwd, file) || path.basename(file));
  const where = choices.registries.map((r) => `${r.host}${r.namespace ? `/${r.namespace}` : ''}`).join(', ') || 'no registry yet';
  io.stdout(`Wrote ${written.join(', ')}: ${images.length === 1 ? '1 image' : `${images.length} images`} for ${choices.platforms.join(', ')} → ${where}.\n`);
  io.stdout('Next: `multiarch plan` shows what apply would build, test and push.\n');
  return 0;
}

function describeSource(image: { context: string; dockerfile?: string }): string {
  const dockerfile = image.dockerfile ?? 'Dockerfile';
  return image.context === '.' ? `${dockerfile} (context .)` : `${image.context}/${dockerfile}`;
}

interface Prompt {
  readonly ask?: Ask;
  readonly say: (text: string) => void;
}

async function chooseOptions(options: InitOptions, prompt: Prompt): Promise<InitChoices> {
  const platforms = await choose(
    prompt,
    'Platforms to build (comma-separated)',
    (options.platforms.length ? options.platforms : DEFAULT_PLATFORMS).join(','),
    (answer) => {
      const parsed = parsePlatformList([answer]);
      return parsed.ok && parsed.value.length === 0 ? { ok: false, message: 'name at least one platform' } : parsed;
    },
    '--platform',
  );
  const registries = await choose(
    prompt,
    'Registries to push to, as host/namespace (e.g. ghcr.io/acme, docker.io/you; empty for none yet)',
    options.registries.join(','),
    (answer) => {
      const out: RegistryChoice[] = [];
      for (const spec of answer.split(/[,\s]+/).filter(Boolean)) {
        const parsed = parseRegistryChoice(spec, out.map((r) => r.key));
        if (!parsed.ok) return parsed;
        out.push(parsed.value);
      }
      return { ok: true, value: out };
    },
    '--registry',
  );
  const tags = options.tags.length ? [...options.tags] : [...DEFAULT_TAGS];
  return { platforms, registries, tags };
}

const MAX_ATTEMPTS = 5;

/** Asks until the answer parses (saying why it did not); without a terminal the flag's value must parse. */
async function choose<T>(prompt: Prompt, question: string, fallback: string, parse: (answer: string) => ParseResult<T>, flag: string): Promise<T> {
  let problem = '';
  for (let attempt = 0; attempt < (prompt.ask ? MAX_ATTEMPTS : 1); attempt++) {
    const parsed = parse(prompt.ask ? await prompt.ask(question, fallback) : fallback);
    if (parsed.ok) return parsed.value;
    problem = parsed.message;
    if (prompt.ask) prompt.say(`  ${problem}\n`);
  }
  throw new MultiarchError('E_USAGE', `multiarch init ${flag}: ${problem}`, { hint: 'see `multiarch init --help`' });
}
