/**
 * Picks the best way to build from what the machine's Docker clients offer: buildx, then classic
 * BuildKit (clients before 23 have it built in behind DOCKER_BUILDKIT=1; newer ones need buildx),
 * then the legacy builder. `MULTIARCH_BUILDER` overrides the choice. Pure.
 */
import type { BuilderKind } from '../exec/ports/builder.js';

export interface ClientProbe {
  readonly binary: string;
  /** Client version, e.g. `28.2.2`. */
  readonly version: string;
  /** buildx plugin version when `docker buildx version` works. */
  readonly buildx?: string;
}

export interface BuilderChoice {
  readonly kind: BuilderKind;
  readonly client: ClientProbe;
}

export type ChooseResult = { ok: true; choice: BuilderChoice } | { ok: false; message: string; hint: string };

export function majorVersion(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

/** buildx >= 0.10 has --provenance/--sbom (and turns provenance on by default). */
export function buildxHasAttestations(version: string): boolean {
  const m = /v?(\d+)\.(\d+)/.exec(version);
  return m ? Number(m[1]) > 0 || Number(m[2]) >= 10 : false;
}

export function chooseBuilder(clients: readonly ClientProbe[], forced?: string): ChooseResult {
  const offers = (kind: BuilderKind, c: ClientProbe) =>
    kind === 'buildx' ? Boolean(c.buildx) : kind === 'buildkit' ? majorVersion(c.version) < 23 : true;
  const order: BuilderKind[] = ['buildx', 'buildkit', 'legacy'];
  if (clients.length === 0) {
    return { ok: false, message: 'no docker client found on PATH', hint: 'install Docker (Debian: apt-get install docker.io) or set MULTIARCH_DOCKER to the docker binary' };
  }
  if (forced) {
    if (!order.includes(forced as BuilderKind)) {
      return { ok: false, message: `MULTIARCH_BUILDER=${forced} is not a builder`, hint: 'use buildx, buildkit or legacy' };
    }
    const client = clients.find((c) => offers(forced as BuilderKind, c));
    return client
      ? { ok: true, choice: { kind: forced as BuilderKind, client } }
      : { ok: false, message: `MULTIARCH_BUILDER=${forced}, but no docker client offers it`, hint: `clients found: ${clients.map((c) => `${c.binary} ${c.version}`).join(', ')}` };
  }
  for (const kind of order) {
    const client = clients.find((c) => offers(kind, c));
    if (client) return { ok: true, choice: { kind, client } };
  }
  return { ok: false, message: 'no usable docker client', hint: 'install Docker' };
}

export function describeChoice(choice: BuilderChoice): string {
  const { client } = choice;
  const how =
    choice.kind === 'buildx'
      ? `buildx ${client.buildx}`
      : choice.kind === 'buildkit'
        ? 'BuildKit via DOCKER_BUILDKIT=1'
        : 'legacy builder (no BuildKit: builds run one at a time, with --pull)';
  return `docker ${client.version} (${client.binary}), ${how}`;
}
