/**
 * Writing a config only once it loads: the new text goes to a hidden file next to the target (so
 * relative imports and contexts resolve the same), is loaded and validated like any config, and
 * replaces the target only then. Errors name the target, not the hidden file. Edge.
 */
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { loadConfig, type LoadConfigResult } from '../config/load.js';
import { MultiarchError, isMultiarchError } from '../errors/multiarch-error.js';

export interface WriteConfigOptions {
  /** Where paths in errors are relative to. */
  readonly cwd: string;
  /** Validate only, leave the file system as it was. */
  readonly dryRun?: boolean;
  /** Said in the error when the text does not load: what was being done. */
  readonly doing: string;
}

/** Loads `text` as if it were `file`; throws the config's errors, naming `file`. */
export async function writeConfig(file: string, text: string, options: WriteConfigOptions): Promise<LoadConfigResult> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file, path.extname(file))}.${process.pid}-${Date.now()}${path.extname(file) || '.ts'}`);
  fs.writeFileSync(temp, text);
  try {
    const loaded = await loadConfig({ cwd: options.cwd, file: temp });
    if (!options.dryRun) fs.renameSync(temp, file);
    return { file, config: { ...loaded.config, file } };
  } catch (error) {
    if (!isMultiarchError(error)) throw error;
    const rename = (s: string) => s.replaceAll(path.relative(options.cwd, temp) || path.basename(temp), path.relative(options.cwd, file) || path.basename(file));
    throw new MultiarchError(error.code, `${options.doing} would leave a config that does not load, so nothing was written: ${rename(error.message)}`, {
      ...(error.details ? { details: error.details.map(rename) } : {}),
      hint: error.code === 'E_CONFIG_INVALID' ? 'fix the problems above (in the config or the command\'s flags) and run it again' : (error.hint ?? ''),
      cause: error,
    });
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Refuses to replace an existing file unless forced. */
export function assertWritable(file: string, force: boolean, cwd: string, hint: string): void {
  if (force || !fs.existsSync(file)) return;
  throw new MultiarchError('E_FILE_EXISTS', `${path.relative(cwd, file) || file} already exists; nothing was written`, { hint });
}
