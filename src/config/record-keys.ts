/**
 * Keys of the config's name → entry maps (`images`, `registries`, `builders`) that JavaScript would
 * swallow: `__proto__: {…}` in an object literal sets the prototype instead of adding an entry, and
 * an own `"__proto__"` key is dropped by the schema. Either way the entry vanished without a word,
 * so both are reported here, before the schema sees the input. Pure.
 */
import type { ConfigIssue } from './issue.js';

const SECTIONS = ['images', 'registries', 'builders'] as const;

export function checkRecordKeys(input: unknown): ConfigIssue[] {
  if (!isPlainObjectLike(input)) return [];
  const issues: ConfigIssue[] = [];
  for (const section of SECTIONS) {
    const value = (input as Record<string, unknown>)[section];
    if (!isPlainObjectLike(value)) continue;
    const proto = Object.getPrototypeOf(value) as unknown;
    const ownProto = Object.prototype.hasOwnProperty.call(value, '__proto__');
    if (ownProto || (proto !== Object.prototype && proto !== null)) {
      issues.push({
        path: [section, '__proto__'],
        message: `"__proto__" is not a valid ${section === 'images' ? 'image' : section === 'registries' ? 'registry' : 'builder'} name (JavaScript treats it as the object's prototype, so the entry would vanish)`,
        hint: 'use a name of lower-case letters, digits, ".", "_" and "-"',
      });
    }
  }
  return issues;
}

function isPlainObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
