/**
 * Reading the files `multiarch import` translates: a bake file (HCL through hcl2json's WebAssembly
 * parser, or bake's JSON) and a compose file (YAML), resolved into bake's `--print` shape. Edge:
 * reads the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MultiarchError } from '../errors/multiarch-error.js';
import { composeToBake } from './compose-to-bake.js';
import { BakeImportError, resolveBake, type ResolveResult } from './resolve-bake.js';

export async function readBakeFile(file: string, requested: readonly string[]): Promise<ResolveResult> {
  const text = readSource(file);
  let raw: unknown;
  try {
    if (/\.json$/i.test(file) || /^\s*\{/.test(text)) {
      raw = JSON.parse(text);
    } else {
      const { parse } = await import('@cdktf/hcl2json');
      raw = await parse(path.basename(file), text);
    }
  } catch (error) {
    throw importError(file, `not valid ${/\.json$/i.test(file) ? 'JSON' : 'HCL'}: ${(error as Error).message}`);
  }
  return resolved(file, () => resolveBake(raw, requested));
}

export function readComposeFile(file: string, requested: readonly string[]): ResolveResult {
  const text = readSource(file);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw importError(file, `not valid YAML: ${(error as Error).message}`);
  }
  return resolved(file, () => composeToBake(doc, requested));
}

function resolved(file: string, run: () => ResolveResult): ResolveResult {
  try {
    return run();
  } catch (error) {
    if (error instanceof BakeImportError) throw importError(file, error.message);
    throw error;
  }
}

function readSource(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new MultiarchError('E_IMPORT', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'the path is relative to the current directory',
    });
  }
}

function importError(file: string, message: string): MultiarchError {
  return new MultiarchError('E_IMPORT', `${path.basename(file)}: ${message}`, {
    hint: 'nothing was written',
  });
}
