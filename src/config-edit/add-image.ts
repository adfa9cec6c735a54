/**
 * `multiarch add image`: a new entry at the end of `images`, in the file's own style, with a
 * registry entry added for a `--publish` host the config does not have yet. Platforms and tags not
 * given default to the first image's — its very expression when that means the same anywhere in
 * the file (`platforms: [...platforms]`, `tags: [version]`), else its values. Pure.
 */
import type * as TsMorph from 'ts-morph';
import type { AnyNode, Morph, SourceHost } from '../config/follow-source.js';
import { isLoopbackHost, normalizeHost } from '../image/image-reference.js';
import { registryKeyFor, uniqueKey } from './registry-key.js';
import { appendEntries, applyEdits, detectStyle, insertAbove, type EntryText, type SourceStyle, type TextEdit } from './list-edit.js';
import { code, printKey, printValue, type TsValue } from './print-ts.js';
import { StaticConfig } from './static-config.js';

export interface RegistryFact {
  readonly key: string;
  readonly host: string;
}

export interface PublishTarget {
  readonly registry: string;
  readonly repository: string;
  /** Set when `registry` is a new entry to add to `registries`. */
  readonly newRegistry?: { readonly host: string; readonly insecure: boolean };
}

export interface AddImageRequest {
  readonly name: string;
  /** As written in the config: relative to its directory. */
  readonly context: string;
  readonly dockerfile?: string;
  /** Canonical platforms; the first image's when absent. */
  readonly platforms?: readonly string[];
  readonly tags?: readonly string[];
  readonly publish: readonly PublishTarget[];
}

/** What the first image has, from the loaded config: the fallback when its expressions cannot be copied. */
export interface ImageDefaults {
  readonly platforms: readonly string[];
  readonly tags: readonly string[];
}

export interface EditResult {
  readonly text: string;
  /** What was done, a line each, for the command's output. */
  readonly notes: readonly string[];
}

export type PublishResult = { ok: true; target: PublishTarget } | { ok: false; message: string };

/**
 * `--publish` as `KEY/REPOSITORY` (a key of registries), `HOST/REPOSITORY` (a registry by host,
 * added when new) or a bare `REPOSITORY` when the config has exactly one registry.
 */
export function parsePublishSpec(spec: string, registries: readonly RegistryFact[], pending: readonly PublishTarget[] = []): PublishResult {
  const [first = '', ...rest] = spec.split('/');
  const repository = rest.join('/');
  if (/:[^/]*$/.test(repository)) return { ok: false, message: `--publish ${spec}: leave the tag out (tags come from --tag)` };
  if (repository && registries.some((r) => r.key === first)) return { ok: true, target: { registry: first, repository } };
  if (repository && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const host = normalizeHost(first);
    const existing = registries.find((r) => normalizeHost(r.host) === host);
    if (existing) return { ok: true, target: { registry: existing.key, repository } };
    const added = pending.find((p) => p.newRegistry?.host === host);
    if (added) return { ok: true, target: { ...added, repository } };
    const taken = (k: string) => registries.some((r) => r.key === k) || pending.some((p) => p.registry === k);
    return { ok: true, target: { registry: uniqueKey(registryKeyFor(host), taken), repository, newRegistry: { host, insecure: isLoopbackHost(host) } } };
  }
  if (registries.length === 1) return { ok: true, target: { registry: registries[0]!.key, repository: spec } };
  const keys = registries.map((r) => r.key);
  return {
    ok: false,
    message: `--publish ${spec}: say which registry, as KEY/REPOSITORY (${keys.length ? keys.join(', ') : 'the config has no registries'}) or HOST/REPOSITORY (ghcr.io/acme/web)`,
  };
}

export function addImage(tm: Morph, file: string, source: string, request: AddImageRequest, defaults: ImageDefaults | undefined, host: SourceHost = {}): EditResult {
  const config = new StaticConfig(tm, file, source, host);
  const style = detectStyle(config.sourceFile, tm);
  const images = config.images();
  const names = config.keys(images, 'images');
  if (names.includes(request.name)) {
    throw config.refuse(config.property(images, request.name, 'images')!.property, `images already has "${request.name}"`, 'choose another name, or edit that image by hand');
  }
  const notes: string[] = [];
  const first = names[0];
  const copied = (key: 'platforms' | 'tags'): TsValue | undefined => {
    const expression = first === undefined ? undefined : copyableExpression(config, first, key);
    if (expression !== undefined) notes.push(`${key} as written for ${first}: ${expression.replace(/\s+/g, ' ')}`);
    return expression === undefined ? undefined : code(expression);
  };
  const value: Record<string, TsValue | undefined> = {
    context: request.context,
    dockerfile: request.dockerfile,
    platforms: request.platforms ? [...request.platforms] : (copied('platforms') ?? [...(defaults?.platforms ?? ['linux/amd64', 'linux/arm64'])]),
    tags: request.tags ? [...request.tags] : (copied('tags') ?? [...(defaults?.tags ?? ['latest'])]),
    publish: request.publish.length ? request.publish.map((p) => ({ registry: p.registry, repository: p.repository })) : undefined,
  };
  const edits: TextEdit[] = appendEntries(images, [entryText(request.name, value, style)], style);
  edits.push(...registryEdits(config, request.publish, style, notes));
  notes.unshift(`added images.${request.name}`);
  return { text: applyEdits(source, edits), notes };
}

/** `key: value` for a line starting with `indent`, later lines indented to match. */
export function entryText(key: string, value: TsValue, style: SourceStyle): EntryText {
  return (indent) => {
    const head = `${printKey(key, style)}: `;
    return `${head}${printValue(value, style, 0, indent.length + head.length).replace(/\n/g, `\n${indent}`)}`;
  };
}

function registryEdits(config: StaticConfig, publish: readonly PublishTarget[], style: SourceStyle, notes: string[]): TextEdit[] {
  const added = new Map<string, TsValue>();
  for (const p of publish) {
    if (!p.newRegistry || added.has(p.registry)) continue;
    added.set(p.registry, { url: p.newRegistry.host, ...(p.newRegistry.insecure ? { insecure: true } : {}) });
    notes.push(`added registries.${p.registry} (${p.newRegistry.host})`);
  }
  if (added.size === 0) return [];
  const registries = config.registries();
  const entries = [...added].map(([key, value]) => entryText(key, value, style));
  if (registries) return appendEntries(registries, entries, style);
  const images = config.property(config.root, 'images', 'the config')!.property;
  const all = Object.fromEntries(added);
  const above = images.getParent() === config.root ? insertAbove(images, entryText('registries', all, style), style) : undefined;
  return above ?? appendEntries(config.root, [entryText('registries', all, style)], style);
}

/**
 * The source of `images[name][key]` when it can be copied as is: written in the config file, and
 * naming only its top-level consts and imports (which are in scope anywhere in `images`).
 */
function copyableExpression(config: StaticConfig, name: string, key: string): string | undefined {
  let expression: AnyNode | undefined;
  try {
    const property = config.property(config.image(name), key, `images.${name}`)?.property;
    if (!property) return undefined;
    const { Node } = config.tm;
    expression = Node.isPropertyAssignment(property) ? property.getInitializer() : Node.isShorthandPropertyAssignment(property) ? property.getNameNode() : undefined;
  } catch {
    return undefined;
  }
  // Literal values are printed afresh in the file's style; a multi-line expression would keep its old indentation.
  if (!expression || !config.isLocal(expression) || expression.getText().includes('\n')) return undefined;
  const identifiers = config.tm.Node.isIdentifier(expression) ? [expression] : expression.getDescendantsOfKind(config.tm.SyntaxKind.Identifier);
  if (identifiers.length === 0) return undefined;
  return identifiers.every((id) => isTopLevelName(config, id)) ? expression.getText() : undefined;
}

function isTopLevelName(config: StaticConfig, id: TsMorph.Identifier): boolean {
  const { Node } = config.tm;
  const parent = id.getParent();
  // `.env` in `process.env`, and keys of object literals, are not names in scope.
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) return true;
  if ((Node.isPropertyAssignment(parent) || Node.isShorthandPropertyAssignment(parent)) && parent.getNameNode() === id && !Node.isShorthandPropertyAssignment(parent)) return true;
  const name = id.getText();
  const file = config.sourceFile;
  if (file.getVariableDeclaration(name)) return true;
  return file.getImportDeclarations().some(
    (d) =>
      d.getDefaultImport()?.getText() === name ||
      d.getNamespaceImport()?.getText() === name ||
      d.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name),
  );
}
