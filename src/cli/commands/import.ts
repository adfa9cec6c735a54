/**
 * `multiarch import bake FILE` / `multiarch import compose FILE`: resolve the file as bake would,
 * translate its targets into a config, validate that by loading it, and write it (never over an
 * existing file without --force). What could not be translated is listed.
 */
import path from 'node:path';
import { renderConfig, TEMPLATE_FILE } from '../../config-edit/render-config.js';
import { readTemplate } from '../../config-edit/templates.js';
import { assertWritable, writeConfig } from '../../config-edit/write-config.js';
import { readBakeFile, readComposeFile } from '../../importers/read-build-file.js';
import { targetsToConfig } from '../../importers/targets-to-config.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { parsePlatformList } from '../../scaffold/create-init-draft.js';
import type { ConfigCommand } from '../config-args.js';
import type { CliIo } from '../io.js';

type ImportOptions = Extract<ConfigCommand, { command: 'import' }>;

const DEFAULT_PLATFORMS = ['linux/amd64'];

export async function importCommand(options: ImportOptions, io: CliIo): Promise<number> {
  const source = path.resolve(io.cwd, options.file);
  const out = path.resolve(io.cwd, options.out ?? 'multiarch.config.ts');
  if (!options.dryRun) assertWritable(out, options.force, io.cwd, 'pass --force to replace it, or --out FILE to write another file');
  const platforms = parsePlatformList(options.platforms);
  if (!platforms.ok) throw new MultiarchError('E_USAGE', `--platform ${platforms.message}`, { hint: 'e.g. --platform linux/amd64,linux/arm64' });
  const resolved = options.format === 'bake' ? await readBakeFile(source, options.targets) : readComposeFile(source, options.targets);
  if (Object.keys(resolved.print.target).length === 0) {
    throw new MultiarchError('E_IMPORT', `${options.file}: nothing to import (no ${options.format === 'bake' ? 'targets' : 'services with a build section'})`, {
      hint: 'nothing was written',
    });
  }
  const { draft, notes } = targetsToConfig(resolved.print, resolved.notes, {
    sourceDir: path.dirname(source),
    configDir: path.dirname(out),
    sourceName: path.basename(source),
    defaultPlatforms: platforms.value.length ? platforms.value : DEFAULT_PLATFORMS,
  });
  const text = renderConfig(readTemplate(TEMPLATE_FILE), draft);
  await writeConfig(out, text, { cwd: io.cwd, dryRun: options.dryRun, doing: `import ${options.format}` });
  if (options.dryRun) io.stdout(text);
  const shown = path.relative(io.cwd, out) || path.basename(out);
  const count = Object.keys(draft.images).length;
  const report = [
    options.dryRun ? `Would write ${shown}` : `Wrote ${shown}`,
    `: ${count} ${count === 1 ? 'image' : 'images'} from ${options.file} (${Object.keys(draft.images).join(', ')}).\n`,
    ...(notes.length ? [`Not translated as is (also listed at the top of the config):\n`, ...notes.map((n) => `  - ${n}\n`)] : []),
    options.dryRun ? '' : 'Next: `multiarch plan` lists the builds and refs; compare with `docker buildx bake --print`.\n',
  ].join('');
  (options.dryRun ? io.stderr : io.stdout)(report);
  return 0;
}
