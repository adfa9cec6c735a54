/**
 * Which images a plan leaves as they are, and the one line that stands for all of them: at
 * monorepo scale a reviewer reads what changes and a count of the rest, as Terraform does. An image
 * is current when every platform is up to date, no push writes a ref, every index is unchanged and
 * nothing is left to sign or attest.
 * Pure.
 */
import type { Plan } from '../../plan/nodes.js';
import type { Style } from '../color.js';
import { plural } from '../../text/plural.js';
import { supplyPending } from './plan-supply.js';

/** Images (in the given order) of an incremental plan that apply would not touch at all. */
export function currentImages(plan: Plan, images: readonly string[]): string[] {
  const changes = plan.changes;
  if (!changes) return [];
  const current = new Map(images.map((image) => [image, true]));
  for (const node of Object.values(plan.nodes)) {
    if (!current.get(node.image)) continue;
    const untouched =
      node.kind === 'build'
        ? changes.platforms[node.id]?.action === 'up-to-date'
        : node.kind === 'push'
          ? changes.pushes[node.id]?.action === 'skip'
          : node.kind === 'index'
            ? changes.indexes[node.id]?.action === 'unchanged'
            : true; // tests, scans and prepare steps follow their build
    if (!untouched || ((node.kind === 'push' || node.kind === 'index') && supplyPending(plan, node))) current.set(node.image, false);
  }
  return images.filter((image) => current.get(image));
}

/**
 * `= 11 images up to date: s02, s03, … (--verbose to list)`: as many names as fit `width`
 * (at least one), then an ellipsis for the rest.
 */
export function foldedLine(images: readonly string[], width: number, style: Style): string {
  const head = `= ${plural(images.length, 'image')} up to date: `;
  const tail = ' (--verbose to list)';
  const shown: string[] = [];
  for (const [i, name] of images.entries()) {
    const more = i < images.length - 1 ? ', …' : '';
    const text = [...shown, name].join(', ');
    if (shown.length > 0 && head.length + text.length + more.length + tail.length > width - 2) break;
    shown.push(name);
  }
  const rest = shown.length < images.length ? ', …' : '';
  return style.dim(`  ${head}${shown.join(', ')}${rest}${rest ? tail : ''}`);
}
