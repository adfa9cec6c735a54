/**
 * Schema-valid user config → ResolvedConfig: platforms parsed and de-aliased, paths made absolute
 * against the config's directory, registry hosts resolved, defaults filled in. Problems found on the
 * way are returned, not thrown, so the user sees all of them at once. Pure (path math only).
 */
import path from 'node:path';
import { normalizeBuilders } from './builders.js';
import { normalizeCache } from './cache.js';
import { isGitTagsRule } from './git-tags.js';
import type { ConfigIssue } from './issue.js';
import { isValidTag, TAG_HINT } from './naming.js';
import { formatPlatform, parsePlatform, type Platform } from './platform.js';
import { normalizePrepare } from './prepare.js';
import { isLayoutUrl, parseLayoutUrl, parseRegistryUrl } from './registry-url.js';
import { resolveImageScan } from './scan.js';
import { attestIssues, resolveAttest, resolveSign } from './supply-chain.js';
import {
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  DEFAULT_INDEX_TAG,
  DEFAULT_PLATFORM_TAG,
  DEFAULT_TEST_TIMEOUT_SECONDS,
  type ResolvedAnnotations,
  type ResolvedConfig,
  type ResolvedImage,
  type SecretSource,
  type SshSource,
  type ResolvedRegistry,
  type ResolvedTest,
} from './resolved.js';
import { normalizeEcrRepositories } from './ecr-repositories.js';
import type { UserConfig, UserImage, UserRegistry, UserTest } from './schema.js';

export interface NormalizeResult {
  readonly config: ResolvedConfig;
  readonly issues: readonly ConfigIssue[];
}

export function normalizeConfig(user: UserConfig, file: string): NormalizeResult {
  const issues: ConfigIssue[] = [];
  const dir = path.dirname(file);
  const registries: Record<string, ResolvedRegistry> = {};
  for (const [name, reg] of Object.entries(user.registries ?? {})) {
    if (isLayoutUrl(reg.url)) {
      const layout = normalizeLayout(name, reg, dir, issues);
      if (layout) registries[name] = layout;
      continue;
    }
    const parsed = parseRegistryUrl(reg.url, reg.insecure ?? false);
    if (!parsed.ok) {
      issues.push({ path: ['registries', name, 'url'], message: parsed.message, hint: parsed.hint });
      continue;
    }
    const repositories = reg.ecr ? normalizeEcrRepositories(name, parsed.address.host, reg.ecr, reg.auth?.ecr?.profile, issues) : undefined;
    registries[name] = { ...parsed.address, name, url: reg.url, insecure: reg.insecure ?? false, ...(reg.auth?.ecr ? { ecr: reg.auth.ecr } : {}), ...(repositories ? { repositories } : {}) };
  }
  const images: Record<string, ResolvedImage> = {};
  const reported = new Set<string>();
  for (const [name, image] of Object.entries(user.images)) {
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(name)) {
      issues.push({
        path: ['images', name],
        message: `"${name}" is not a valid image name`,
        hint: 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
      });
    }
    const scan = resolveImageScan(name, user.scan, image.scan, (p) => path.resolve(dir, p));
    const attest = resolveAttest(user.attest, image.attest);
    issues.push(...attestIssues(name, image.attest, attest, scan?.scanner, user.sign !== undefined, reported));
    const cache = image.cache === undefined ? undefined : normalizeCache(name, image.cache, registries, dir, issues);
    images[name] = { ...normalizeImage(name, image, dir, issues), ...(scan ? { scan } : {}), ...(attest ? { attest } : {}), ...(cache ? { cache } : {}) };
  }
  const builders = normalizeBuilders(user.builders);
  issues.push(...builders.issues);
  const sign = resolveSign(user.sign, dir, issues);
  return {
    config: { file, dir, ...(user.cacheDir ? { cacheDir: path.resolve(dir, user.cacheDir) } : {}), registries, images, builders: builders.builders, ...(sign ? { sign } : {}) },
    issues,
  };
}

/** `oci:./dir`: a directory next to the config; no server, so no TLS setting and no login. */
function normalizeLayout(name: string, reg: UserRegistry, dir: string, issues: ConfigIssue[]): ResolvedRegistry | undefined {
  const parsed = parseLayoutUrl(reg.url, dir);
  if (!parsed.ok) {
    issues.push({ path: ['registries', name, 'url'], message: parsed.message, hint: parsed.hint });
    return undefined;
  }
  for (const key of ['insecure', 'auth', 'ecr'] as const) {
    if (reg[key] !== undefined) {
      issues.push({ path: ['registries', name, key], message: `${key} does not apply to an OCI layout (${reg.url})`, hint: `remove ${key}` });
    }
  }
  return { name, url: reg.url, insecure: false, host: parsed.host, apiHost: '', authKey: '', scheme: 'https', isDockerHub: false, layout: parsed.dir };
}

function normalizeImage(name: string, user: UserImage, dir: string, issues: ConfigIssue[]): ResolvedImage {
  // A gitTags() rule has no tags yet: they come from git at plan time (and are checked then).
  const rule = isGitTagsRule(user.tags) ? user.tags.options : undefined;
  const image = { ...user, tags: rule ? [] : (user.tags as readonly string[]) };
  const context = path.resolve(dir, image.context);
  const platforms: Platform[] = [];
  const seen = new Map<string, number>();
  image.platforms.forEach((raw, i) => {
    const parsed = parsePlatform(raw);
    const where = ['images', name, 'platforms', i];
    if (!parsed.ok) {
      issues.push({ path: where, message: parsed.message, ...(parsed.suggestion ? {} : { hint: 'known platforms: linux/amd64, linux/arm64, linux/arm/v7, linux/arm/v6, linux/386, linux/ppc64le, linux/s390x, linux/riscv64' }) });
      return;
    }
    const canonical = formatPlatform(parsed.platform);
    const first = seen.get(canonical);
    if (first !== undefined) {
      issues.push({
        path: where,
        message: `"${raw}" is the same platform as platforms[${first}] (${canonical})`,
        hint: 'list each platform once',
      });
      return;
    }
    seen.set(canonical, i);
    platforms.push(parsed.platform);
  });
  // Tags are checked where they are written, publish targets or not; names are then rendered from
  // the good ones only, so a bad or repeated tag is reported once, on tags[i], and nowhere else.
  const tags: string[] = [];
  image.tags.forEach((tag, i) => {
    if (image.tags.indexOf(tag) !== i) {
      issues.push({ path: ['images', name, 'tags', i], message: `tag "${tag}" is listed twice`, hint: 'list each tag once' });
    } else if (!isValidTag(tag)) {
      issues.push({ path: ['images', name, 'tags', i], message: `"${tag}" is not a valid tag`, hint: TAG_HINT });
    } else {
      tags.push(tag);
    }
  });
  (image.publish ?? []).forEach((p, i) =>
    p.tags?.forEach((tag, j) => {
      if (rule || image.tags.includes(tag)) return;
      issues.push({
        path: ['images', name, 'publish', i, 'tags', j],
        message: `"${tag}" is not one of the image's tags (${image.tags.join(', ')})`,
        hint: 'a publish target gets some of the image\'s tags: add it to the image\'s tags too, or remove it here',
      });
    }),
  );
  return {
    name,
    context,
    dockerfile: path.resolve(context, image.dockerfile ?? 'Dockerfile'),
    platforms,
    args: image.args ?? {},
    ...(image.target ? { target: image.target } : {}),
    tags,
    ...(rule ? { tagRule: rule } : {}),
    labels: image.labels ?? {},
    ...(image.test ? { test: normalizeTest(image.test) } : {}),
    publish: (image.publish ?? []).map((p, index) => ({
      index,
      registry: p.registry,
      repository: p.repository,
      platformRepository: p.platformRepository ?? p.repository,
      platformTag: p.platformTag ?? DEFAULT_PLATFORM_TAG,
      indexTag: p.indexTag ?? DEFAULT_INDEX_TAG,
      format: p.format ?? 'oci',
      tags: rule ? [...(p.tags ?? [])] : [...new Set(p.tags ?? tags)].filter((t) => tags.includes(t)),
      ...(rule && !p.tags ? { allTags: true as const } : {}),
    })),
    ...(image.prepare ? { prepare: normalizePrepare(image.prepare) } : {}),
    ...(image.build?.engine && image.build.engine !== 'auto' ? { engine: image.build.engine } : {}),
    secrets: normalizeSecrets(image.secrets, dir),
    ssh: normalizeSsh(image.ssh, dir),
    annotations: normalizeAnnotations(image.annotations),
  };
}

function normalizeSecrets(secrets: UserImage['secrets'], dir: string): Record<string, SecretSource> {
  const out: Record<string, SecretSource> = {};
  for (const [id, source] of Object.entries(secrets ?? {})) out[id] = 'env' in source ? { env: source.env } : { file: path.resolve(dir, source.file) };
  return out;
}

function normalizeSsh(ssh: UserImage['ssh'], dir: string): Record<string, SshSource> {
  if (!ssh) return {};
  if (Array.isArray(ssh)) return Object.fromEntries(ssh.map((id) => [id, {}]));
  return Object.fromEntries(Object.entries(ssh).map(([id, s]) => [id, s.socket ? { socket: path.resolve(dir, s.socket) } : {}]));
}

/** A flat map goes on both the index and every platform manifest. */
function normalizeAnnotations(annotations: UserImage['annotations']): ResolvedAnnotations {
  if (!annotations) return { index: {}, manifest: {} };
  const placed = annotations as { index?: unknown; manifest?: unknown };
  if (typeof placed.index === 'object' || typeof placed.manifest === 'object' || Object.keys(annotations).length === 0) {
    const p = annotations as { index?: Record<string, string>; manifest?: Record<string, string> };
    return { index: p.index ?? {}, manifest: p.manifest ?? {} };
  }
  const flat = annotations as Record<string, string>;
  return { index: flat, manifest: flat };
}

function normalizeTest(test: UserTest): ResolvedTest {
  return {
    ...(test.command ? { command: test.command } : {}),
    ...(test.expectOutput !== undefined ? { expectOutput: test.expectOutput } : {}),
    ...(test.http
      ? {
          http: {
            port: test.http.port,
            path: test.http.path ?? '/',
            expectStatus: test.http.expectStatus ?? 200,
            timeoutSeconds: test.http.timeout ?? DEFAULT_HTTP_TIMEOUT_SECONDS,
          },
        }
      : {}),
    timeoutSeconds: test.timeout ?? DEFAULT_TEST_TIMEOUT_SECONDS,
  };
}
