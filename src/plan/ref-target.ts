/**
 * Which publish target a `ref()` arg reads its base from: the first registry among the base's
 * targets (or the one `registry` names); an image published only to OCI layouts is read from its
 * layout — which only direct assembly can do (src/direct/layout-base.ts): an engine pulls from
 * registries. Pure.
 */
import { isImageRef } from '../config/ref.js';
import type { ResolvedConfig, ResolvedImage, ResolvedPublish } from '../config/resolved.js';

export function refTarget(config: ResolvedConfig, base: ResolvedImage, registry: string | undefined): ResolvedPublish {
  const named = base.publish.filter((p) => !registry || p.registry === registry);
  // Validated with the config: a ref names a published image, and `registry` one of its targets.
  return (named.find((p) => !config.registries[p.registry]!.layout) ?? named[0])!;
}

/** The image's `ref()` args whose base is read from an OCI layout: the arg, the base, the registry it names (if any), the layout's directory. */
export function layoutRefs(config: ResolvedConfig, image: ResolvedImage): Array<{ arg: string; base: string; registry?: string; layout: string }> {
  return Object.entries(image.args).flatMap(([arg, value]) => {
    if (!isImageRef(value)) return [];
    const base = config.images[value.image];
    const publish = base && refTarget(config, base, value.registry);
    const layout = publish && config.registries[publish.registry]?.layout;
    return layout ? [{ arg, base: value.image, ...(value.registry ? { registry: value.registry } : {}), layout }] : [];
  });
}
