/** Counts with their noun, for every text output. Pure. */

/** `1 build`, `2 builds`. */
export function plural(count: number, noun: string, pluralForm = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralForm}`;
}
