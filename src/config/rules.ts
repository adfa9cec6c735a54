/**
 * Cross-field checks on a resolved config: names that must refer to something, `ref()` edges that
 * must form a DAG over platforms the base actually has, and published names that must never
 * collide (two platforms on one tag is how an "exec format error" ships). Pure.
 */
import { topologicalOrder } from './graph-order.js';
import type { ConfigIssue } from './issue.js';
import { renderPublishNames } from './naming.js';
import { formatPlatform, samePlatform } from './platform.js';
import { isImageRef } from './ref.js';
import type { ResolvedConfig, ResolvedImage } from './resolved.js';
import { closest } from './suggest.js';

/** `declared`: every registry name the user wrote, including ones whose url was rejected already. */
export function checkRules(config: ResolvedConfig, declared: ReadonlySet<string> = new Set()): ConfigIssue[] {
  return [
    ...checkPublishRegistries(config, declared),
    ...checkRefs(config),
    ...checkRefCycles(config),
    ...checkNames(config),
    ...checkAnnotationFormats(config),
  ];
}

/** Docker schema 2 manifests and manifest lists have no annotations field: refuse rather than drop them. */
function checkAnnotationFormats(config: ResolvedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const image of Object.values(config.images)) {
    const { index, manifest } = image.annotations;
    if (Object.keys(index).length + Object.keys(manifest).length === 0) continue;
    for (const p of image.publish) {
      if (p.format !== 'docker') continue;
      issues.push({
        path: ['images', image.name, 'publish', p.index, 'format'],
        message: `publish target "${p.registry}" (${p.repository}) is Docker format, which cannot carry the image's annotations`,
        hint: 'remove format: "docker" (OCI is the default), or remove annotations',
      });
    }
  }
  return issues;
}

function didYouMean(name: string, candidates: Iterable<string>): string {
  const guess = closest(name, candidates);
  return guess ? ` — did you mean "${guess}"?` : '';
}

function checkPublishRegistries(config: ResolvedConfig, declared: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = Object.keys(config.registries);
  for (const image of Object.values(config.images)) {
    for (const p of image.publish) {
      if (config.registries[p.registry]?.layout && p.format === 'docker') {
        issues.push({
          path: ['images', image.name, 'publish', p.index, 'format'],
          message: `"${p.registry}" is an OCI layout, which holds OCI manifests (skopeo and others skip Docker-format entries)`,
          hint: 'remove format here: OCI is the default',
        });
      }
      // A registry with a bad url was reported where it is written; "not defined" would be false.
      if (config.registries[p.registry] || declared.has(p.registry)) continue;
      issues.push({
        path: ['images', image.name, 'publish', p.index, 'registry'],
        message: `registry "${p.registry}" is not defined${didYouMean(p.registry, names)}`,
        hint: names.length
          ? `use one of: ${names.join(', ')}, or add it under registries`
          : `add it under registries, e.g. registries: { ${p.registry}: { url: "ghcr.io" } }`,
      });
    }
  }
  return issues;
}

function checkRefs(config: ResolvedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const imageNames = Object.keys(config.images);
  for (const image of Object.values(config.images)) {
    for (const [arg, value] of Object.entries(image.args)) {
      if (!isImageRef(value)) continue;
      const at = ['images', image.name, 'args', arg];
      const base = config.images[value.image];
      if (!base) {
        issues.push({
          path: at,
          message: `ref("${value.image}") names an image that is not in this config${didYouMean(value.image, imageNames)}`,
          hint: `images are: ${imageNames.join(', ')}`,
        });
        continue;
      }
      if (base.name === image.name) {
        issues.push({ path: at, message: `ref("${value.image}") refers to the image itself`, hint: 'an image cannot be built on its own digest' });
        continue;
      }
      if (base.publish.length === 0) {
        issues.push({
          path: at,
          message: `ref("${value.image}") needs "${value.image}" to be published, but it has no publish targets`,
          hint: `add a publish entry to images.${value.image} so that ${image.name} can be built on its digest`,
        });
        continue;
      }
      if (value.registry && !base.publish.some((p) => p.registry === value.registry)) {
        issues.push({
          path: at,
          message: `ref("${value.image}", { registry: "${value.registry}" }): ${value.image} is not published to "${value.registry}"`,
          hint: `${value.image} is published to: ${base.publish.map((p) => p.registry).join(', ')}`,
        });
      }
      // A base only in OCI layouts is read from the layout by direct assembly; whether this image
      // is assembled directly follows from its Dockerfile, so the plan judges it (plan/build-path.ts).
      const missing = image.platforms.filter((p) => !base.platforms.some((b) => samePlatform(b, p)));
      if (missing.length > 0) {
        issues.push({
          path: at,
          message: `${image.name} is built for ${missing.map(formatPlatform).join(', ')} but ref("${value.image}") has no such platform`,
          hint: `add ${missing.map((p) => `"${formatPlatform(p)}"`).join(', ')} to images.${value.image}.platforms, or drop it from images.${image.name}.platforms`,
        });
      }
    }
  }
  return issues;
}

export function imageDependencies(image: ResolvedImage): string[] {
  return [...new Set(Object.values(image.args).filter(isImageRef).map((r) => r.image))];
}

function checkRefCycles(config: ResolvedConfig): ConfigIssue[] {
  const names = Object.keys(config.images);
  const result = topologicalOrder(names, (name) => imageDependencies(config.images[name]!));
  if (result.ok || result.cycle.length === 0) return [];
  const [first, second] = result.cycle;
  const arg = Object.entries(config.images[first!]!.args).find(([, v]) => isImageRef(v) && v.image === second)?.[0];
  return [
    {
      path: ['images', first!, ...(arg ? ['args', arg] : [])],
      message: `ref() cycle: ${result.cycle.join(' → ')}`,
      hint: 'an image cannot be built on a digest that depends on itself; remove one of these ref() args',
    },
  ];
}

/** Every name an apply would write, checked for validity and for two writers of one ref. */
function checkNames(config: ResolvedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const writers = new Map<string, { what: string; path: ConfigIssue['path'] }>();
  const claim = (ref: string, what: string, path: ConfigIssue['path'], hint: string) => {
    const previous = writers.get(ref);
    if (!previous) {
      writers.set(ref, { what, path });
      return;
    }
    issues.push({ path, message: `${what} and ${previous.what} would both be written to ${ref}`, hint });
  };
  for (const image of Object.values(config.images)) {
    for (const publish of image.publish) {
      const registry = config.registries[publish.registry];
      if (!registry) continue;
      const rendered = renderPublishNames(image, publish);
      if (!rendered.ok) {
        issues.push(...rendered.issues);
        continue;
      }
      const base = ['images', image.name, 'publish', publish.index];
      for (const { platform, refs } of rendered.names.platforms) {
        for (const r of refs) {
          claim(
            `${registry.host}/${r.repository}:${r.tag}`,
            `${image.name} ${formatPlatform(platform)}`,
            [...base, 'platformTag'],
            'each platform needs its own name: add {arch}, {variant} or {platform} to platformRepository or platformTag',
          );
        }
      }
      for (const { tag, ref } of rendered.names.indexes) {
        claim(
          `${registry.host}/${ref.repository}:${ref.tag}`,
          `the ${image.name}:${tag} multi-arch index`,
          [...base, 'indexTag'],
          'give the index a tag no platform image uses, e.g. indexTag: "{tag}" with platformTag: "{tag}-{platform}"',
        );
      }
    }
  }
  return issues;
}
