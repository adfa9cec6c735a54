/**
 * Resolved bake targets (from a bake or compose file) → a multiarch config draft. Each target is
 * an image; its full-reference tags (`docker.io/org/app:v1`) become one registry per host, one
 * publish entry per repository (with the tags it gets, when not all) and the image's tags;
 * context, dockerfile, args, target, labels,
 * platforms and cache-from/cache-to (as `cache`, see bake-cache.ts) carry over. What has no multiarch equivalent is listed, per image and in the header.
 * Pure.
 */
import path from 'node:path';
import type { ConfigDraft } from '../config-edit/render-config.js';
import { registryKeyFor, uniqueKey } from '../config-edit/registry-key.js';
import { isLoopbackHost, parseImageReference } from '../image/image-reference.js';
import { comment, type TsValue } from '../config-edit/print-ts.js';
import { formatPlatform, parsePlatform } from '../config/platform.js';
import { sanitizeName } from '../scaffold/detect-images.js';
import { plural } from '../text/plural.js';
import { wrapText } from '../text/text-width.js';
import { bakeCache } from './bake-cache.js';
import { translateSecrets } from './bake-secrets.js';
import type { HclValue } from './hcl-expr.js';
import type { BakePrint, BakeTarget } from './resolve-bake.js';

export interface TargetsToConfigOptions {
  /** Directory target contexts are relative to (the bake or compose file's). */
  readonly sourceDir: string;
  /** Directory of the config being written: its contexts are relative to it. */
  readonly configDir: string;
  /** `docker-bake.hcl`, as the header names it. */
  readonly sourceName: string;
  /** For targets that name no platform. */
  readonly defaultPlatforms: readonly string[];
}

export interface TargetsToConfigResult {
  readonly draft: ConfigDraft;
  /** Everything not translated as is, a line each. */
  readonly notes: readonly string[];
}

const HANDLED = new Set(['context', 'dockerfile', 'args', 'labels', 'tags', 'platforms', 'target', 'description', 'secret', 'ssh', 'cache-from', 'cache-to']);

export function targetsToConfig(print: BakePrint, resolveNotes: readonly string[], options: TargetsToConfigOptions): TargetsToConfigResult {
  const notes = [...resolveNotes];
  const registries: Record<string, TsValue> = {};
  const hosts = new Map<string, string>();
  const registryFor = (host: string) => {
    if (!hosts.has(host)) {
      const key = uniqueKey(registryKeyFor(host), (k) => k in registries);
      hosts.set(host, key);
      registries[key] = { url: host, ...(isLoopbackHost(host) ? { insecure: true } : {}) };
    }
    return hosts.get(host)!;
  };
  const images: Record<string, TsValue> = {};
  const taken = new Set<string>();
  for (const [targetName, target] of Object.entries(print.target)) {
    let name = sanitizeName(targetName);
    for (let n = 2; taken.has(name); n++) name = `${sanitizeName(targetName)}-${n}`;
    taken.add(name);
    const at = `target "${targetName}"`;
    const imageNotes: string[] = [];
    const note = (message: string) => {
      imageNotes.push(message);
      notes.push(`${at}: ${message}`);
    };
    if (name !== targetName) note(`its name: the image is "${name}" (lower-case letters, digits, ".", "_", "-")`);
    images[name] = imageFor(target, options, registryFor, note, imageNotes);
  }
  const uniqueNotes = [...new Set(notes)];
  const globalNotes = [...new Set(resolveNotes)];
  return {
    draft: {
      title: [
        `Imported from ${options.sourceName} by \`multiarch import\`: ${plural(Object.keys(images).length, 'image')}, one per ${options.sourceName.includes('compose') ? 'service with a build section' : 'target'}.`,
        'Tags became registries, publish entries and image tags. Besides the multi-arch tags bake writes,',
        'multiarch pushes each platform image as <tag>-<platform> (publish[].platformTag).',
        ...(globalNotes.length ? ['', ...globalNotes.flatMap((n) => wrapText(n, 92).map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)))] : []),
        ...(notes.length > globalNotes.length ? ['', 'What a target has that multiarch does not is listed as `// not translated:` in its image.'] : []),
      ],
      registries: Object.keys(registries).length ? registries : { $note: comment('none: no target has tags to push') },
      images,
    },
    notes: uniqueNotes,
  };
}

function imageFor(
  target: BakeTarget,
  options: TargetsToConfigOptions,
  registryFor: (host: string) => string,
  note: (message: string) => void,
  imageNotes: string[],
): TsValue {
  const context = relativeContext(String(target.context ?? '.'), options);
  const platforms = platformsOf(target, options.defaultPlatforms, note);
  const { tags, publish } = publishOf(target, registryFor, note);
  const args = stringMap(target.args, 'args', note);
  const labels = stringMap(target.labels, 'labels', note);
  const cache = bakeCache(target, registryFor, note, options);
  const fileFrom = (src: string) => relativeContext(src, options);
  const { secrets, ssh } = translateSecrets(target.secret, target.ssh, fileFrom, note);
  for (const [field, value] of Object.entries(target)) {
    if (HANDLED.has(field)) continue;
    if (field === 'contexts' && typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        const base = typeof v === 'string' && v.startsWith('target:') ? v.slice('target:'.length) : undefined;
        note(
          base
            ? `contexts.${k} = "${v}", a named context built from ${base}; for the same, ARG ${k.toUpperCase()} + FROM \${${k.toUpperCase()}} in the Dockerfile and args: { ${k.toUpperCase()}: ref('${sanitizeName(base)}') }`
            : `contexts.${k} = ${JSON.stringify(v)}, a named build context`,
        );
      }
      continue;
    }
    note(`${field} = ${short(value)}`);
  }
  const dockerfile = typeof target.dockerfile === 'string' && target.dockerfile !== 'Dockerfile' ? target.dockerfile : undefined;
  const description = typeof target.description === 'string' ? target.description : undefined;
  return {
    ...(description ? { $description: comment(description) } : {}),
    context,
    ...(dockerfile ? { dockerfile } : {}),
    platforms,
    ...(Object.keys(args).length ? { args } : {}),
    ...(typeof target.target === 'string' ? { target: target.target } : {}),
    tags,
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(publish.length ? { publish } : {}),
    ...(cache ? { cache } : {}),
    ...(secrets ? { secrets } : {}),
    ...(ssh ? { ssh } : {}),
    ...(imageNotes.length ? { $notes: comment(imageNotes.flatMap((n) => wrapText(`not translated: ${n}`, 88).map((l, i) => (i === 0 ? l : `  ${l}`))).join('\n')) } : {}),
  };
}

function relativeContext(context: string, options: TargetsToConfigOptions): string {
  if (/^[a-z]+:\/\//i.test(context) || context.startsWith('git@')) return context;
  const rel = path.relative(options.configDir, path.resolve(options.sourceDir, context)).split(path.sep).join('/');
  return rel === '' ? '.' : rel.startsWith('.') ? rel : `./${rel}`;
}

function platformsOf(target: BakeTarget, fallback: readonly string[], note: (m: string) => void): string[] {
  const raw = Array.isArray(target.platforms) ? target.platforms.map(String) : [];
  if (raw.length === 0) {
    note(`no platforms (bake builds for the local one): built for ${fallback.join(', ')} here (import --platform chooses)`);
    return [...fallback];
  }
  return raw.map((p) => {
    const parsed = parsePlatform(p);
    return parsed.ok ? formatPlatform(parsed.platform) : p;
  });
}

/** Tags grouped by repository: one publish entry each, the image's tags their union. */
function publishOf(target: BakeTarget, registryFor: (host: string) => string, note: (m: string) => void): { tags: string[]; publish: TsValue[] } {
  const raw = Array.isArray(target.tags) ? target.tags.map(String) : typeof target.tags === 'string' ? [target.tags] : [];
  const tags: string[] = [];
  const repos = new Map<string, { host: string; repository: string; tags: string[] }>();
  for (const text of raw) {
    const ref = parseImageReference(text);
    if (!ref || ref.digest) {
      note(`tag "${text}": not a reference multiarch can push to; left out`);
      continue;
    }
    const tag = ref.tag ?? 'latest';
    if (!tags.includes(tag)) tags.push(tag);
    const key = `${ref.host}/${ref.repository}`;
    const repo = repos.get(key) ?? { host: ref.host, repository: ref.repository, tags: [] };
    repo.tags.push(tag);
    repos.set(key, repo);
  }
  if (tags.length === 0) {
    note('no tags: it is built and tested, not pushed (tags: ["latest"] names its local images)');
    return { tags: ['latest'], publish: [] };
  }
  // A repository that gets only some of the tags (`latest` on one registry) names them.
  const publish = [...repos.values()].map((r) => {
    const own = tags.filter((t) => r.tags.includes(t));
    return { registry: registryFor(r.host), repository: r.repository, ...(own.length < tags.length ? { tags: own } : {}) };
  });
  return { tags, publish };
}

function stringMap(value: HclValue | undefined, field: string, note: (m: string) => void): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) note(`${field}.${k}: no value (bake takes it from the environment); left out`);
    else if (typeof v === 'object') note(`${field}.${k} = ${short(v)}: not a string; left out`);
    else out[k] = String(v);
  }
  return out;
}

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
