/**
 * OCI platforms as multiarch understands them: parsed, normalised the way containerd does
 * (`arm64/v8` is `arm64`, bare `arm` is `arm/v7`), formatted, and turned into the names the
 * naming templates and the `uname -m` check need. Pure.
 */
import { closest } from './suggest.js';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** Canonical platforms multiarch knows how to name and emulate, in the order suggestions prefer. */
export const KNOWN_PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/arm/v6',
  'linux/arm/v5',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'linux/mips64le',
  'linux/loong64',
  'linux/amd64/v2',
  'linux/amd64/v3',
  'linux/amd64/v4',
] as const;

const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  amd64: { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  arm64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  arm: { architecture: 'arm', variant: 'v7' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
  x86: { architecture: '386' },
  '386': { architecture: '386' },
  ppc64le: { architecture: 'ppc64le' },
  s390x: { architecture: 's390x' },
  riscv64: { architecture: 'riscv64' },
  mips64le: { architecture: 'mips64le' },
  loong64: { architecture: 'loong64' },
};

const KNOWN_OS = new Set(['linux']);

export type ParsePlatformResult =
  | { ok: true; platform: Platform }
  | { ok: false; message: string; suggestion?: string };

/** Parses `os/arch[/variant]` (also `arch` alone, meaning linux) into its canonical form. */
export function parsePlatform(input: string): ParsePlatformResult {
  const raw = input.trim().toLowerCase();
  const parts = raw.split('/');
  // A bare arch (`aarch64`) or arch/variant (`arm64/v8`, `arm/v6`) means linux, as in containerd.
  if (parts.length === 1 || (parts.length === 2 && !KNOWN_OS.has(parts[0]!) && Object.hasOwn(ARCH_ALIASES, parts[0]!))) {
    parts.unshift('linux');
  }
  const [os, arch, variantIn, ...rest] = parts;
  const bad = (): ParsePlatformResult => {
    const suggestion = suggestPlatform(input);
    return {
      ok: false,
      message: `"${input}" is not a platform${suggestion ? ` — did you mean "${suggestion}"?` : ''}`,
      ...(suggestion ? { suggestion } : {}),
    };
  };
  if (rest.length > 0 || !os || !arch || !KNOWN_OS.has(os)) return bad();
  const alias = ARCH_ALIASES[arch];
  if (!alias) return bad();
  let variant = variantIn ?? alias.variant;
  if (alias.architecture === 'arm64' && (variant === 'v8' || variant === undefined)) variant = undefined;
  const platform: Platform = { os, architecture: alias.architecture, ...(variant ? { variant } : {}) };
  if (!(KNOWN_PLATFORMS as readonly string[]).includes(formatPlatform(platform))) return bad();
  return { ok: true, platform };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** `linux/arm/v7` → `linux-arm-v7`: usable inside a tag or repository name. */
export function platformSlug(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('-');
}

export function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '');
}

/** What `uname -m` prints inside a container of this platform (natively or under QEMU). */
export function unameMachine(p: Platform): string {
  switch (p.architecture) {
    case 'amd64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    case 'arm':
      return `arm${p.variant ?? 'v7'}l`;
    case '386':
      return 'i686';
    case 'loong64':
      return 'loongarch64';
    case 'mips64le':
      return 'mips64';
    default:
      return p.architecture;
  }
}

/** The arch name Debian/QEMU binfmt handlers use for a platform (`qemu-<name>`). */
export function qemuArch(p: Platform): string {
  switch (p.architecture) {
    case 'amd64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    case '386':
      return 'i386';
    case 'loong64':
      return 'loongarch64';
    case 'mips64le':
      return 'mips64el';
    default:
      return p.architecture;
  }
}

function suggestPlatform(input: string): string | undefined {
  return closest(input.trim().toLowerCase(), KNOWN_PLATFORMS);
}
