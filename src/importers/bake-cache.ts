/**
 * A bake target's `cache-from` / `cache-to` → the image's `cache` field: `type=registry,ref=…`
 * (or a bare ref) becomes `{ registry, repository, tag }` on the registry entry for its host,
 * `type=local` `{ type: 'local', dir }`, `type=gha` `{ type: 'gha', scope }`, `mode=` carried over.
 * `type=inline` is what multiarch does on its own (the automatic cache), so it needs no entry;
 * other types (s3, azblob) are listed as not translated. Entries may be CSV strings (bake --print
 * before 0.17) or objects. Pure.
 */
import path from 'node:path';
import { parseImageReference } from '../image/image-reference.js';
import type { TsValue } from '../config-edit/print-ts.js';

export interface BakeCacheOptions {
  readonly sourceDir: string;
  readonly configDir: string;
}

export function bakeCache(
  target: Readonly<Record<string, unknown>>,
  registryFor: (host: string) => string,
  note: (message: string) => void,
  options: BakeCacheOptions,
): TsValue | undefined {
  const translate = (field: 'cache-from' | 'cache-to') => {
    const raw = target[field];
    const entries = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    return entries.flatMap((entry) => {
      const attrs = typeof entry === 'string' ? parseCsv(entry) : stringAttrs(entry);
      const out = translateEntry(attrs, field, registryFor, options);
      if (typeof out === 'string') {
        note(`${field} ${JSON.stringify(entry)}: ${out}`);
        return [];
      }
      return out ? [out] : [];
    });
  };
  const from = translate('cache-from');
  const to = translate('cache-to');
  if (from.length + to.length === 0) return undefined;
  return { ...(from.length ? { from } : {}), ...(to.length ? { to } : {}) };
}

/** An entry, `undefined` when nothing is needed (inline), or why it is not translated. */
function translateEntry(attrs: Record<string, string>, field: string, registryFor: (host: string) => string, options: BakeCacheOptions): Record<string, TsValue> | undefined | string {
  const type = attrs.type ?? 'registry';
  const mode: Record<string, TsValue> = field === 'cache-to' && (attrs.mode === 'min' || attrs.mode === 'max') ? { mode: attrs.mode } : {};
  if (type === 'inline') return undefined;
  if (type === 'registry') {
    const ref = attrs.ref ? parseImageReference(attrs.ref) : undefined;
    if (!ref) return 'no valid ref';
    return { registry: registryFor(ref.host), repository: ref.repository, ...(ref.tag ? { tag: ref.tag } : {}), ...mode };
  }
  if (type === 'local') {
    const dir = field === 'cache-to' ? attrs.dest : attrs.src;
    if (!dir) return `no ${field === 'cache-to' ? 'dest' : 'src'} directory`;
    const rel = path.relative(options.configDir, path.resolve(options.sourceDir, dir)).split(path.sep).join('/');
    return { type: 'local', dir: rel === '..' || rel.startsWith('../') ? rel : `./${rel}`, ...mode };
  }
  if (type === 'gha') return { type: 'gha', ...(attrs.scope ? { scope: attrs.scope } : {}), ...mode };
  return `type=${type} has no multiarch equivalent (registry, local, gha)`;
}

/** `type=registry,ref=org/app:cache`, or a bare `org/app:cache` (a registry ref). */
function parseCsv(text: string): Record<string, string> {
  if (!text.includes('=')) return { type: 'registry', ref: text };
  const attrs: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) attrs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return attrs;
}

function stringAttrs(entry: unknown): Record<string, string> {
  if (typeof entry !== 'object' || entry === null) return {};
  return Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, String(v)]));
}
