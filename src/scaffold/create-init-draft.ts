/**
 * What `multiarch init` writes, as a draft for the config template: the detected images (or the
 * starter one), the chosen platforms and registries, each image published to every registry
 * under the registry's namespace, with a comment saying which refs that makes. Pure.
 */
import type { ConfigDraft } from '../config-edit/render-config.js';
import { comment, commented, type TsValue } from '../config-edit/print-ts.js';
import { registryKeyFor, uniqueKey } from '../config-edit/registry-key.js';
import { isLoopbackHost, normalizeHost } from '../image/image-reference.js';
import { formatPlatform, parsePlatform, platformSlug } from '../config/platform.js';
import { wrapText } from '../text/text-width.js';
import type { DetectedImage } from './detect-images.js';

export interface RegistryChoice {
  /** The key in `registries`. */
  readonly key: string;
  readonly host: string;
  /** Repository prefix, `acme` for `ghcr.io/acme`; empty for none. */
  readonly namespace: string;
  readonly insecure: boolean;
}

export interface InitChoices {
  readonly platforms: readonly string[];
  readonly registries: readonly RegistryChoice[];
  readonly tags: readonly string[];
}

export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
export const DEFAULT_TAGS = ['latest'] as const;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** `ghcr.io/acme`, `docker.io/you`, `127.0.0.1:5000` → a registry entry and a namespace. */
export function parseRegistryChoice(text: string, taken: readonly string[] = []): ParseResult<RegistryChoice> {
  const [first = '', ...rest] = text.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '').split('/');
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(first) || !(first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { ok: false, message: `"${text}" does not start with a registry host; write e.g. ghcr.io/acme, docker.io/you or 127.0.0.1:5000` };
  }
  const namespace = rest.join('/');
  if (namespace && !/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(namespace)) {
    return { ok: false, message: `"${namespace}" is not a valid repository namespace (lower-case letters, digits, ".", "_", "-")` };
  }
  const host = normalizeHost(first);
  const key = uniqueKey(registryKeyFor(host), (k) => taken.includes(k));
  return { ok: true, value: { key, host, namespace, insecure: isLoopbackHost(host) } };
}

/** Platforms as given (`arm64`, `linux/arm/v7`), canonical; several may share one argument, comma-separated. */
export function parsePlatformList(values: readonly string[]): ParseResult<string[]> {
  const out: string[] = [];
  for (const raw of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)) {
    const parsed = parsePlatform(raw);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    const canonical = formatPlatform(parsed.platform);
    if (!out.includes(canonical)) out.push(canonical);
  }
  return { ok: true, value: out };
}

export interface InitDraftInput {
  readonly images: readonly DetectedImage[];
  readonly choices: InitChoices;
  /** Dockerfiles were found (false: the starter Dockerfile is written with the config). */
  readonly detected: boolean;
}

export function createInitDraft({ images, choices, detected }: InitDraftInput): ConfigDraft {
  const registries: Record<string, TsValue> = {};
  for (const r of choices.registries) registries[r.key] = { url: r.host, ...(r.insecure ? { insecure: true } : {}) };
  const drafted: Record<string, TsValue> = {};
  for (const image of images) drafted[image.name] = imageDraft(image, choices, detected);
  const sources = images.map((i) => `${i.context === '.' ? '' : `${i.context}/`}${i.dockerfile ?? 'Dockerfile'}`);
  return {
    title: [
      'The images this repository ships, for every platform they run on. Written by `multiarch init`',
      ...(detected ? wrapText(`from ${sources.join(', ')}.`, 92) : ['with a starter Dockerfile and .dockerignore: replace them with your application.']),
    ],
    registries: Object.keys(registries).length ? registries : { ...commentOnly('none yet: e.g. ghcr: { url: "ghcr.io" }, then a publish entry per image') },
    images: drafted,
  };
}

function imageDraft(image: DetectedImage, choices: InitChoices, detected: boolean): TsValue {
  const test = { command: ['uname', '-m'], expectOutput: '{uname}' };
  const publish = choices.registries.map((r) => ({ registry: r.key, repository: r.namespace ? `${r.namespace}/${image.name}` : image.name }));
  const shownRefs = choices.registries.map((r) => refsComment(r, image.name, choices));
  return {
    context: image.context === '.' ? '.' : `./${image.context}`,
    ...(image.dockerfile ? { dockerfile: image.dockerfile } : {}),
    platforms: [...choices.platforms],
    tags: [...choices.tags],
    // The starter image has uname; a detected one may be distroless or scratch: suggest it only.
    ...(detected
      ? { test: comment("test: { command: ['uname', '-m'], expectOutput: '{uname}' },  // run on every platform before pushing") }
      : { test: commented('runs on every platform before anything is pushed', test) }),
    ...(publish.length
      ? { publish: commented(shownRefs.join('\n'), publish) }
      : { publish: comment("publish: [{ registry: 'ghcr', repository: 'you/" + image.name + "' }],  // once registries has one") }),
  };
}

function refsComment(r: RegistryChoice, name: string, choices: InitChoices): string {
  const repo = `${r.host}/${r.namespace ? `${r.namespace}/` : ''}${name}`;
  const tag = choices.tags[0] ?? 'latest';
  const slugs = choices.platforms.map((p) => {
    const parsed = parsePlatform(p);
    return parsed.ok ? platformSlug(parsed.platform) : p;
  });
  return `→ ${repo}:${tag} (multi-arch index of ${slugs.map((s) => `:${tag}-${s}`).join(', ')})`;
}

function commentOnly(text: string): Record<string, TsValue> {
  return { $note: comment(text) };
}
