/**
 * Assembles a RUN-less Dockerfile's image for one platform without an engine: each needed stage
 * starts from its base (a registry image, `scratch` or an earlier stage), config instructions
 * change the config, COPY/ADD/WORKDIR write one deterministic layer each; the target stage's
 * config and layers land in the blob store as an engine export's would, ready to push. Edge.
 */
import { readFile } from 'node:fs/promises';
import { formatPlatform, type Platform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { BlobStore } from '../image/blob-store.js';
import { sha256Digest } from '../image/descriptor.js';
import type { ExportedImage } from '../image/export-image.js';
import { plainWords, type Instruction } from '../dockerfile/instruction.js';
import { expandWords } from '../dockerfile/words.js';
import type { RegistryAccess } from '../state/registry-access.js';
import { compressionOf } from './add-archives.js';
import { fetchBaseImage } from './base-image.js';
import { readLayerEntry } from './base-tree.js';
import { applyConfigInstruction } from './config-instructions.js';
import { readContextTree } from './context-tree.js';
import { copyInto, makeDirectory } from './copy-files.js';
import { directSupport, flagsOf, stageOf, type DockerfileStage } from './direct-support.js';
import { FsTree, normalize, type FsEntry } from './fs-tree.js';
import { addHistory, scratchConfig, startFrom } from './image-config.js';
import { contextReader, writeLayer } from './layer-tar.js';
import { resolveOwner, type Owner } from './owners.js';
import { parseLayoutBaseRef, readLayoutBase } from './layout-base.js';
import { layerKey, SharedWork } from './shared-work.js';
import { StageState } from './stage-state.js';
import { unpackArchive } from './unpack-archive.js';

export interface AssembleRequest {
  readonly context: string;
  readonly dockerfile: string;
  readonly platform: Platform;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Seconds since 1970: every file's mtime and the config's `created` (SOURCE_DATE_EPOCH). */
  readonly epoch: number;
  /** multiarch's own directories in the context (context-relative): COPY never sees them. */
  readonly ignore?: readonly string[];
  /**
   * `<ref> <platform>` → the platform image's digest the plan resolved the base to (its inputs
   * name it): fetched by that digest, one request instead of the tag's, then its index's child.
   */
  readonly bases?: Readonly<Record<string, string>>;
}

export interface AssembleDeps {
  readonly access: RegistryAccess;
  readonly store: BlobStore;
  readonly signal?: AbortSignal;
  readonly onStep?: (text: string, current: number, total: number) => void;
  /** Shared with the run's other assemblies (its other platforms and images): work done once. */
  readonly shared?: SharedWork;
}

export async function assembleImage(req: AssembleRequest, deps: AssembleDeps): Promise<ExportedImage> {
  const text = await readFile(req.dockerfile, 'utf8');
  const support = directSupport(text, req.target);
  if (!support.ok) {
    throw new MultiarchError('E_DIRECT_BUILD', `${support.instruction} (line ${support.line}) ${support.why}: it needs an engine`, {
      location: { file: req.dockerfile, line: support.line },
      hint: 'build this image with build: { engine: "docker" } (or "auto")',
    });
  }
  const shared = deps.shared ?? new SharedWork();
  const created = new Date(req.epoch * 1000).toISOString();
  const fail = (ins: Instruction, message: string) => new MultiarchError('E_DIRECT_BUILD', `${ins.keyword} (line ${ins.line}): ${message}`, { location: { file: req.dockerfile, line: ins.line } });
  const reader = contextReader((digest, name) => readLayerEntry(deps.store, digest, name));
  const globals = platformArgs(req.platform);
  for (const ins of support.globals) if (ins.keyword === 'ARG') declareArgs(ins, globals, req.args, globals);
  let context: Promise<FsTree> | undefined;
  const stages: Array<StageState | undefined> = [];
  const total = support.stages.reduce((n, s) => n + s.body.length + 1, 0);
  let step = 0;
  const progress = (ins: Instruction) => deps.onStep?.(`${ins.keyword} ${ins.text}`.slice(0, 80), ++step, total);
  for (let i = 0; i <= support.target; i++) {
    const stage = support.stages[i]!;
    if (!support.needed.includes(i)) continue;
    progress(stage.from);
    const state = await startStage(stage, i, support.stages, stages, globals, req, { ...deps, shared }, fail);
    stages[i] = state;
    for (const ins of stage.body) {
      progress(ins);
      const env = state.env();
      if (ins.keyword === 'ARG') {
        declareArgs(ins, state.args, req.args, { ...globals, ...env }, globals);
        continue;
      }
      if (ins.keyword === 'WORKDIR') {
        const c = (state.config.config ??= {});
        const dir = expandWords(plainWords(ins)[0] ?? '/', env);
        c.WorkingDir = normalize(dir.startsWith('/') ? dir : `${c.WorkingDir ?? '/'}/${dir}`);
        const fs = await state.fs();
        const made = makeDirectory(fs, c.WorkingDir, await ownerOf(state, c.User, ins, fail));
        await addLayer(state, made, `WORKDIR ${c.WorkingDir}`);
        continue;
      }
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const flags = flagsOf(ins);
        const words = ins.json ?? ins.words.map((w) => expandWords(w, env));
        const dest = words.at(-1)!;
        const workdir = state.config.config?.WorkingDir ?? '/';
        const absDest = (dest.startsWith('/') ? dest : `${workdir}/${dest}`) + (dest.endsWith('/') || dest === '.' ? '/' : '');
        const fromStage = flags.from !== undefined ? stageOf(support.stages, expandWords(flags.from, env), i) : undefined;
        const source = fromStage !== undefined ? await stages[fromStage]!.fs() : await (context ??= shared.once(`context\0${req.context}\0${req.dockerfile}\0${(req.ignore ?? []).join('\0')}`, () => readContextTree(req.context, req.dockerfile, req.ignore)));
        const owner = flags.chown ? await ownerOf(state, expandWords(flags.chown, env), ins, fail) : undefined;
        const result = await copyInto(await state.fs(), source, {
          dest: absDest,
          sources: words.slice(0, -1),
          fromContext: fromStage === undefined,
          ...(owner ? { owner } : {}),
          ...(flags.chmod ? { chmod: parseInt(flags.chmod, 8) } : {}),
          ...(ins.keyword === 'ADD' ? { unpack: async (e: FsEntry) => (e.content ? unpackOrRefuse(ins, e, await reader(e.content)) : undefined) } : {}),
        });
        if (!result.ok) throw fail(ins, result.message);
        await addLayer(state, result.changed, `${ins.keyword} ${ins.text} # buildkit`);
        continue;
      }
      applyConfigInstruction(state.config, ins, env, state);
      addHistory(state.config, `${ins.keyword} ${ins.text}`, created, true);
    }
  }
  const final = stages[support.target]!;
  const c = (final.config.config ??= {});
  if (Object.keys(req.labels).length > 0) c.Labels = { ...c.Labels, ...req.labels };
  final.config.created = created;
  final.config.rootfs = { type: 'layers', diff_ids: final.layers.map((l) => l.diffId) };
  const bytes = Buffer.from(JSON.stringify(final.config));
  const digest = sha256Digest(bytes);
  await deps.store.put(digest, bytes);
  return { imageId: digest, platform: req.platform, config: { digest, size: bytes.length }, layers: final.layers };

  /** Never copied as it is when Docker would unpack it: the plan sends such images to the engine. */
  function unpackOrRefuse(ins: Instruction, e: FsEntry, bytes: Buffer): Promise<FsEntry[] | undefined> {
    const kind = compressionOf(bytes);
    if (kind) throw fail(ins, `${e.path.slice(1)} is compressed with ${kind}, which only an engine unpacks; plan again (it goes to the engine) or set build: { engine: "docker" }`);
    return unpackArchive(bytes);
  }

  async function addLayer(state: StageState, entries: readonly FsEntry[], createdBy: string): Promise<void> {
    // BuildKit drops a layer that changes nothing and marks its history entry empty.
    if (entries.length === 0) return addHistory(state.config, createdBy, created, true);
    // Every platform usually copies the same files: the layer is written once (see SharedWork).
    state.layers.push(await shared.once(`layer\0${layerKey(entries, req.epoch)}`, () => writeLayer(entries, req.epoch, reader, deps.store)));
    addHistory(state.config, createdBy, created, false);
  }
}

async function startStage(
  stage: DockerfileStage,
  index: number,
  all: readonly DockerfileStage[],
  stages: ReadonlyArray<StageState | undefined>,
  globals: Record<string, string>,
  req: AssembleRequest,
  deps: AssembleDeps & { readonly shared: SharedWork },
  fail: (ins: Instruction, message: string) => Error,
): Promise<StageState> {
  const ref = expandWords(stage.from.words[0] ?? '', globals);
  if (ref.toLowerCase() === 'scratch') return new StageState(scratchConfig(req.platform), [], deps.store, deps.shared, emptyRoot());
  const from = stageOf(all, ref, index);
  if (from !== undefined) {
    const prev = stages[from]!;
    const tree = await prev.fs();
    return new StageState(structuredClone(prev.config), prev.layers, deps.store, deps.shared, tree.clone());
  }
  // A ref()'d base published only to an OCI layout comes as `oci:<dir>:<repository>@<digest>`.
  const planned = req.bases?.[`${ref} ${formatPlatform(req.platform)}`];
  const base = parseLayoutBaseRef(ref)
    ? await readLayoutBase(ref, req.platform, deps.store, deps.shared)
    : await fetchBaseImage(deps.access, ref, req.platform, deps.store, deps.shared, {
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(planned && /^sha256:[0-9a-f]{64}$/.test(planned) ? { planned } : {}),
        listLayers: readsFilesystem(all, index),
      });
  if ((base.config.config?.OnBuild ?? []).length > 0) {
    throw fail(stage.from, `${ref} has ONBUILD triggers, which run in an engine; build this image with build: { engine: "docker" }`);
  }
  if (base.config.architecture && base.config.architecture !== req.platform.architecture) {
    throw fail(stage.from, `${ref} for ${formatPlatform(req.platform)} is a ${base.config.architecture} image`);
  }
  const diffIds = base.config.rootfs?.diff_ids ?? [];
  const layers = base.layers.map((l, i) => ({ digest: l.digest, size: l.size, diffId: diffIds[i]! }));
  return new StageState(startFrom(base.config), layers, deps.store, deps.shared);
}

/**
 * Whether stage `index`'s filesystem will likely be read: a COPY, ADD or WORKDIR in it or in a later
 * stage (which may start from it or copy from it). A wrong guess costs one listing of its layers.
 */
function readsFilesystem(all: readonly DockerfileStage[], index: number): boolean {
  return all.slice(index).some((s) => s.body.some((ins) => ins.keyword === 'COPY' || ins.keyword === 'ADD' || ins.keyword === 'WORKDIR'));
}

async function ownerOf(state: StageState, spec: string | undefined, ins: Instruction, fail: (ins: Instruction, message: string) => Error): Promise<Owner> {
  if (!spec) return { uid: 0, gid: 0 };
  const numeric = /^\d+(:\d+)?$/.test(spec);
  const fs = numeric ? undefined : await state.fs();
  const read = contextReader((d, n) => readLayerEntry(state.store, d, n));
  const text = async (p: string) => {
    const e = fs?.get(p);
    return e?.content ? (await read(e.content)).toString('utf8') : undefined;
  };
  const files = numeric ? {} : { passwd: await text('/etc/passwd'), group: await text('/etc/group') };
  const r = resolveOwner(spec, files);
  if (!r.ok) throw fail(ins, r.message);
  return r.owner;
}

function emptyRoot(): FsTree {
  const t = new FsTree();
  t.set({ path: '/', type: 'dir', mode: 0o755, uid: 0, gid: 0 });
  return t;
}

/** ARG name[=default]: the build arg if given, else the default expanded, else the global's value. */
function declareArgs(ins: Instruction, scope: Record<string, string>, given: Readonly<Record<string, string>>, env: Record<string, string>, globals?: Record<string, string>): void {
  for (const word of plainWords(ins)) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = given[name] ?? (eq < 0 ? globals?.[name] : expandWords(word.slice(eq + 1), env));
    if (value !== undefined) scope[name] = value;
  }
}

/** TARGETPLATFORM and friends; BUILDPLATFORM is the target too (no engine builds anything). */
function platformArgs(p: Platform): Record<string, string> {
  const text = formatPlatform(p);
  const out: Record<string, string> = {};
  for (const prefix of ['TARGET', 'BUILD']) {
    out[`${prefix}PLATFORM`] = text;
    out[`${prefix}OS`] = p.os;
    out[`${prefix}ARCH`] = p.architecture;
    out[`${prefix}VARIANT`] = p.variant ?? '';
  }
  return out;
}
