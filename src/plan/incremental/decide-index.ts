/**
 * Whether a multi-arch index must be written: created when its tag is missing, updated when any
 * child is rebuilt or the tag's index lists other digests (or is not an index of this format),
 * updated too when the config's annotations differ from its own; unchanged otherwise. Git revision
 * and time annotations do not count: an index whose children are all current is left alone. Pure.
 */
import { formatPlatform } from '../../config/platform.js';
import type { IndexNode, Plan } from '../nodes.js';
import type { IndexChange, PlatformChange, TagState } from './types.js';

const INDEX_MEDIA = {
  oci: 'application/vnd.oci.image.index.v1+json',
  docker: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

/** Annotations that change with every commit: not a reason to rewrite an index on their own. */
const PER_COMMIT = new Set(['org.opencontainers.image.revision', 'org.opencontainers.image.created']);

/** The config's annotations (`annotations`) differ from the index's; unknown (not read) counts as equal. */
function annotationsChanged(node: IndexNode, state: TagState): boolean {
  if (!state.annotations || node.format !== 'oci') return false;
  const mine = Object.entries(node.annotations).filter(([k]) => !PER_COMMIT.has(k));
  const theirs = Object.entries(state.annotations).filter(([k]) => !PER_COMMIT.has(k));
  return mine.length !== theirs.length || mine.some(([k, v]) => state.annotations![k] !== v);
}

export function decideIndex(
  plan: Plan,
  node: IndexNode,
  ref: string,
  state: TagState | null | undefined,
  platforms: Readonly<Record<string, PlatformChange>>,
): IndexChange {
  const wanted = node.children.map((c) => {
    const push = plan.nodes[c.push];
    const change = push?.kind === 'push' ? platforms[push.build] : undefined;
    const built = !change?.current;
    return { platform: formatPlatform(c.platform), digest: built ? undefined : change!.current!.digest };
  });
  if (!state) {
    return { action: 'create', ref, children: wanted.map((w) => ({ platform: w.platform, change: 'added' as const })) };
  }
  const listed = state.children ?? [];
  const children: IndexChange['children'][number][] = [];
  for (const w of wanted) {
    const have = listed.find((l) => l.platform === w.platform);
    if (!have) children.push({ platform: w.platform, change: 'added' });
    else if (w.digest === undefined) children.push({ platform: w.platform, change: 'rebuilt' });
    else if (have.digest !== w.digest) children.push({ platform: w.platform, change: 'changed' });
  }
  for (const l of listed) if (!wanted.some((w) => w.platform === l.platform)) children.push({ platform: l.platform, change: 'removed' });
  const formatChanged = state.mediaType !== '' && state.mediaType !== INDEX_MEDIA[node.format];
  if (children.length === 0 && !formatChanged && state.children && !annotationsChanged(node, state)) return { action: 'unchanged', ref, children, current: state.digest };
  return { action: 'update', ref, children, current: state.digest };
}
