/** The recorded scanner outputs under test/fixtures/scanners (real formats, made-up images). */
import { readFileSync } from 'node:fs';

export function scannerFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/scanners/${name}`, import.meta.url), 'utf8');
}
