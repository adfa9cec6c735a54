/**
 * A shard on disk: the OCI layout `apply --shard-out DIR` fills, plus `multiarch-shard.json`, the
 * record of what it holds — written last, and only when the whole shard run succeeded, so a
 * directory without it is an unfinished shard that a merge refuses. Reading a shard checks every
 * recorded image against the layout (manifest and config digests) and takes its inputs from the
 * image config's labels, not from the record: the images themselves say what they were built
 * from. An image the publish targets already held with the shard's inputs was not built: its
 * record names it by its published digest (where it was seen, and the inputs it matched), with no
 * copy in the layout. Edge.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatPlatform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { InputsDetail } from '../plan/incremental/types.js';
import type { ShardContents, ShardImage } from '../plan/merge-plan.js';
import type { Plan } from '../plan/nodes.js';
import { LayoutStore } from '../publish/layout-store.js';
import { readShardPredicates } from '../publish/shard-predicates.js';
import { recordedInputsOf } from './read-labels.js';
import { configDigestOf } from '../image/manifest.js';

export const SHARD_RECORD_FILE = 'multiarch-shard.json';

const DIGEST = z.string().regex(/^sha256:[0-9a-f]{64}$/);

const RecordSchema = z.object({
  version: z.literal(1),
  /** The config file the shard was made from, relative to the shard's working directory. */
  config: z.string(),
  platforms: z.array(z.string()),
  created: z.string(),
  images: z.record(
    z.string(),
    z.array(
      z.object({
        platform: z.string(),
        format: z.enum(['oci', 'docker']),
        repository: z.string(),
        /** In the layout; absent for a published (current) image. */
        tag: z.string().optional(),
        digest: DIGEST,
        /** Predicate type → its blob in the layout: what the shard made for the merge to sign. */
        predicates: z.record(z.string(), DIGEST).optional(),
        published: z
          .object({
            ref: z.string(),
            target: z.string(),
            host: z.string(),
            mediaType: z.string(),
            size: z.number().int().nonnegative(),
            inputs: z.string(),
            detail: z.record(z.string(), z.unknown()),
          })
          .optional(),
      }),
    ),
  ),
});

export type ShardRecord = z.infer<typeof RecordSchema>;

/** Before a shard run: an old record must not vouch for a run that may not finish. */
export async function clearShardRecord(dir: string): Promise<void> {
  await rm(path.join(dir, SHARD_RECORD_FILE), { force: true });
}

async function writeShardRecord(dir: string, record: ShardRecord): Promise<void> {
  const file = path.join(dir, SHARD_RECORD_FILE);
  const temp = `${file}.tmp`;
  // A shard that stored nothing (every image current) has no layout: the record is all of it.
  await mkdir(dir, { recursive: true });
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temp, file);
}

/** `name` is the directory as the user gave it (for messages); `dir` absolute. */
export async function readShard(dir: string, name: string, signal?: AbortSignal): Promise<ShardContents> {
  const file = path.join(dir, SHARD_RECORD_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
    if (!existsSync(dir)) throw new MultiarchError('E_SHARD', `${name} does not exist`, { hint: 'give the directories `multiarch apply --shard-out DIR` wrote (in CI: the downloaded shard artifacts)' });
    throw new MultiarchError('E_SHARD', `${name} is not a finished shard: it has no ${SHARD_RECORD_FILE}`, {
      hint: 'a shard is the directory `multiarch apply --platform P --shard-out DIR` filled; it writes the record last, only when every node succeeded — run it again',
    });
  });
  let record: ShardRecord;
  try {
    record = RecordSchema.parse(JSON.parse(text));
  } catch (error) {
    const why = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ') : (error as Error).message;
    throw new MultiarchError('E_SHARD', `${path.join(name, SHARD_RECORD_FILE)} is not a shard record: ${why}`, { hint: 'make the shard again with `multiarch apply --shard-out`' });
  }
  const layout = new LayoutStore(dir);
  const images: Record<string, ShardImage[]> = {};
  for (const [image, entries] of Object.entries(record.images)) {
    images[image] = [];
    for (const entry of entries) {
      signal?.throwIfAborted();
      if (entry.published) {
        const { ref, target, host, mediaType, size, inputs, detail } = entry.published;
        const current = { digest: entry.digest, mediaType, size, ref, target, host, repository: entry.repository };
        images[image].push({ platform: entry.platform, format: entry.format, repository: entry.repository, digest: entry.digest, inputs, detail: detail as unknown as InputsDetail, current });
        continue;
      }
      const manifest = await layout.getManifest(entry.repository, entry.digest);
      const configDigest = manifest && configDigestOf(manifest.bytes);
      if (!configDigest) {
        throw new MultiarchError('E_SHARD', `${name}: ${image} ${entry.platform} (${entry.digest}) is not in the layout as an image manifest`, {
          hint: 'the shard is damaged or was copied in part; make it again',
        });
      }
      const recorded = recordedInputsOf(await layout.getBlob(entry.repository, configDigest));
      // Read (digest-checked) now: a merge finds a damaged shard before it pushes anything.
      for (const [type, blob] of Object.entries(entry.predicates ?? {})) {
        await layout.getBlob(entry.repository, blob).catch((error: Error) => {
          throw new MultiarchError('E_SHARD', `${name}: ${image} ${entry.platform}: the ${type} predicate ${blob} cannot be read: ${error.message}`, { hint: 'the shard is damaged or was copied in part; make it again' });
        });
      }
      images[image].push({
        platform: entry.platform,
        format: entry.format,
        repository: entry.repository,
        digest: entry.digest,
        ...(recorded.inputs ? { inputs: recorded.inputs } : {}),
        ...(recorded.detail ? { detail: recorded.detail } : {}),
        ...(entry.predicates ? { predicates: entry.predicates } : {}),
      });
    }
  }
  return { dir, name, platforms: record.platforms, images };
}

/**
 * After a shard run succeeded: the record of every platform image it stored, each read back from
 * the layout under the name the plan gave it.
 */
export async function recordShard(plan: Plan, dir: string, fields: Pick<ShardRecord, 'config' | 'created'>, signal?: AbortSignal): Promise<ShardRecord> {
  const layout = new LayoutStore(dir);
  const images: ShardRecord['images'] = {};
  const platforms = new Set<string>();
  for (const node of Object.values(plan.nodes)) {
    if (node.kind !== 'push' || node.target.layout !== dir) continue;
    const platform = formatPlatform(node.platform);
    platforms.add(platform);
    const build = plan.nodes[node.build];
    if (build?.kind === 'build' && build.action.type === 'reuse') {
      const { published: current, inputs } = build.action;
      const { digest, repository, ref, target, host, mediaType, size } = current;
      const published = { ref, target, host, mediaType, size, inputs: inputs.digest, detail: { ...inputs.detail } };
      (images[node.image] ??= []).push({ platform, format: node.format, repository, digest, published });
      continue;
    }
    const { repository, tag } = node.refs[0]!;
    const head = await layout.headManifest(repository, tag);
    if (!head) throw new MultiarchError('E_SHARD', `${dir}: ${repository}:${tag} was stored by this run but is not in the layout`, { hint: 'something changed the directory meanwhile; run the shard again' });
    const predicates = await readShardPredicates(layout, repository, tag, signal);
    (images[node.image] ??= []).push({ platform, format: node.format, repository, tag, digest: head.digest, ...(Object.keys(predicates).length > 0 ? { predicates } : {}) });
  }
  const record: ShardRecord = { version: 1, ...fields, platforms: [...platforms], images };
  signal?.throwIfAborted();
  await writeShardRecord(dir, record);
  return record;
}
