/**
 * Why a build's inputs differ from the ones its published image records, in names a person can
 * act on: which files were added, removed or modified; which args, labels or target changed;
 * which base image moved from which digest to which. Pure.
 */
import type { InputsDetail } from './types.js';

const MAX_NAMES = 5;

export interface ReasonInputs {
  readonly now: InputsDetail;
  readonly before?: InputsDetail;
  /** Context file lists (path → fingerprint) now and at the recorded build, when known. */
  readonly filesNow?: Readonly<Record<string, string>>;
  readonly filesBefore?: Readonly<Record<string, string>>;
}

export function describeInputChanges({ now, before, filesNow, filesBefore }: ReasonInputs): string[] {
  if (!before) return ['the published image records other inputs (no details of them are known here)'];
  const reasons: string[] = [];
  if (now.platform !== before.platform) reasons.push(`platform changed: ${before.platform} → ${now.platform}`);
  if (now.builder !== before.builder) reasons.push(`builder changed: ${before.builder} → ${now.builder}`);
  if (now.dockerfile !== before.dockerfile) reasons.push('Dockerfile changed');
  if (now.prepare !== before.prepare) reasons.push(now.prepare ? (before.prepare ? 'prepare step changed' : 'prepare step added') : 'prepare step removed');
  if (now.context !== before.context) reasons.push(describeFiles(filesNow, filesBefore));
  if (now.target !== before.target) reasons.push(`target changed: ${before.target ?? '(last stage)'} → ${now.target ?? '(last stage)'}`);
  reasons.push(...describeMap('arg', now.args, before.args, describeArg).filter(Boolean));
  reasons.push(...describeBases(now.bases, before.bases));
  reasons.push(...describeMap('label', now.labels, before.labels));
  reasons.push(...describeIds('secret', now.secrets, before.secrets), ...describeIds('SSH agent', now.ssh, before.ssh));
  // Empty when the only difference is a base image that is rebuilt (the planner says so itself).
  return reasons;
}

/** `secret "npm" added`: ids only, values are never inputs. */
function describeIds(what: string, now: readonly string[] = [], before: readonly string[] = []): string[] {
  return [
    ...now.filter((id) => !before.includes(id)).map((id) => `${what} "${id}" added`),
    ...before.filter((id) => !now.includes(id)).map((id) => `${what} "${id}" removed`),
  ];
}

function describeFiles(now?: Readonly<Record<string, string>>, before?: Readonly<Record<string, string>>): string {
  if (!now || !before) return 'context files changed (the earlier file list is not known on this machine)';
  const added: string[] = [];
  const removed: string[] = [];
  const modified: string[] = [];
  for (const [path, fp] of Object.entries(now)) {
    const old = before[path];
    if (old === undefined) added.push(path);
    else if (old !== fp) modified.push(sameContent(old, fp) ? `${path} (mode)` : path);
  }
  for (const path of Object.keys(before)) if (!(path in now)) removed.push(path);
  const parts = [
    modified.length ? `modified ${names(modified)}` : '',
    added.length ? `added ${names(added)}` : '',
    removed.length ? `removed ${names(removed)}` : '',
  ].filter(Boolean);
  return parts.length ? `files: ${parts.join('; ')}` : 'context files changed';
}

/** Same type and content, other permission bits. */
function sameContent(a: string, b: string): boolean {
  const [ta, , ...ra] = a.split(' ');
  const [tb, , ...rb] = b.split(' ');
  return ta === tb && ra.join(' ') === rb.join(' ');
}

function names(list: string[]): string {
  const sorted = [...list].sort();
  const shown = sorted.slice(0, MAX_NAMES).join(', ');
  return sorted.length > MAX_NAMES ? `${shown} and ${sorted.length - MAX_NAMES} more` : shown;
}

function describeMap(
  what: string,
  now: Readonly<Record<string, string>>,
  before: Readonly<Record<string, string>>,
  changed: (name: string, now: string, before: string) => string = (name) => `${what} ${name} changed`,
): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(now)) {
    const old = before[name];
    if (old === undefined) out.push(`${what} ${name} added`);
    else if (old !== value) out.push(changed(name, value, old));
  }
  for (const name of Object.keys(before)) if (!(name in now)) out.push(`${what} ${name} removed`);
  return out;
}

function describeArg(name: string, now: string, before: string): string {
  const ref = /^ref:([^@]+)@(.*)$/.exec(now);
  if (ref && before.startsWith(`ref:${ref[1]}@`)) {
    // A base that is rebuilt is reported as such by the planner.
    if (ref[2] === 'rebuilt') return '';
    return `arg ${name}: ${ref[1]} is now ${short(ref[2]!)}, the image was built on ${short(before.slice(`ref:${ref[1]}@`.length))}`;
  }
  return `arg ${name} changed`;
}

function describeBases(now: Readonly<Record<string, string>>, before: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [key, digest] of Object.entries(now)) {
    const old = before[key];
    const [ref, platform] = key.split(' ');
    if (old === undefined) out.push(`base image ${ref} (${platform}) added`);
    else if (old !== digest) out.push(`base image ${ref} (${platform}) changed: ${short(old)} → ${short(digest)}`);
  }
  for (const key of Object.keys(before)) {
    if (!(key in now)) out.push(`base image ${key.split(' ')[0]} no longer used`);
  }
  return out;
}

export function short(digest: string): string {
  return digest.startsWith('sha256:') ? `sha256:${digest.slice(7, 19)}` : digest;
}
