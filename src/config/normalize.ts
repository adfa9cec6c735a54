/**
 * Schema-valid user config → ResolvedConfig: platforms parsed and de-aliased, paths made absolute
 * against the config's directory, registry hosts resolved, defaults filled in. Problems found on the
 * way are returned, not thrown, so the user sees all of them at once. Pure (path math only).
 */
import path from 'node:path';
import { normalizeBuilders } from './builders.js';
import { normalizeCache } from './cache.js';
import type { ConfigIssue } from './issue.js';
import { formatPlatform, parsePlatform, type Platform } from './platform.js';
import { normalizePrepare } from './prepare.js';
import { isLayoutUrl, parseLayoutUrl, parseRegistryUrl } from './registry-url.js';
import { resolveImageScan } from './scan.js';
import {
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  DEFAULT_INDEX_TAG,
  DEFAULT_PLATFORM_TAG,
  DEFAULT_TEST_TIMEOUT_SECONDS,
  type ResolvedConfig,
  type ResolvedImage,
  type ResolvedRegistry,
  type ResolvedTest,
} from './resolved.js';
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
    registries[name] = { ...parsed.address, name, url: reg.url, insecure: reg.insecure ?? false, ...(reg.auth?.ecr ? { ecr: reg.auth.ecr } : {}) };
  }
  const images: Record<string, ResolvedImage> = {};
  for (const [name, image] of Object.entries(user.images)) {
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(name)) {
      issues.push({
        path: ['images', name],
        message: `"${name}" is not a valid image name`,
        hint: 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
      });
    }
    const scan = resolveImageScan(name, user.scan, image.scan, (p) => path.resolve(dir, p));
    const cache = image.cache === undefined ? undefined : normalizeCache(name, image.cache, registries, dir, issues);
    images[name] = { ...normalizeImage(name, image, dir, issues), ...(scan ? { scan } : {}), ...(cache ? { cache } : {}) };
  }
  const builders = normalizeBuilders(user.builders);
  issues.push(...builders.issues);
  return { config: { file, dir, registries, images, builders: builders.builders }, issues };
}

/** `oci:./dir`: a directory next to the config; no server, so no TLS setting and no login. */
function normalizeLayout(name: string, reg: UserRegistry, dir: string, issues: ConfigIssue[]): ResolvedRegistry | undefined {
  const parsed = parseLayoutUrl(reg.url, dir);
  if (!parsed.ok) {
    issues.push({ path: ['registries', name, 'url'], message: parsed.message, hint: parsed.hint });
    return undefined;
  }
  for (const key of ['insecure', 'auth'] as const) {
    if (reg[key] !== undefined) {
      issues.push({ path: ['registries', name, key], message: `${key} does not apply to an OCI layout (${reg.url})`, hint: `remove ${key}` });
    }
  }
  return { name, url: reg.url, insecure: false, host: parsed.host, apiHost: '', authKey: '', scheme: 'https', isDockerHub: false, layout: parsed.dir };
}

function normalizeImage(name: string, image: UserImage, dir: string, issues: ConfigIssue[]): ResolvedImage {
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
  image.tags.forEach((tag, i) => {
    if (image.tags.indexOf(tag) !== i) {
      issues.push({ path: ['images', name, 'tags', i], message: `tag "${tag}" is listed twice`, hint: 'list each tag once' });
    }
  });
  (image.publish ?? []).forEach((p, i) =>
    p.tags?.forEach((tag, j) => {
      if (image.tags.includes(tag)) return;
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
    tags: image.tags,
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
      tags: p.tags ?? image.tags,
    })),
    ...(image.prepare ? { prepare: normalizePrepare(image.prepare) } : {}),
  };
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
