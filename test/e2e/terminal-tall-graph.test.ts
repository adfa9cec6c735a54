/**
 * The live view at monorepo scale (issue 19): 30 images in a pty of 12 and of 20 rows. The frame
 * fits the terminal (finished images one line each, "… N more" for what does not fit), a resize is
 * followed, and neither ESC[2J nor ESC[3J is ever sent: the user's scrollback survives. The test
 * waits for content on the screen, never for time.
 */
import { describe, expect, it } from 'vitest';
import { makeFixture } from './support/fixtures.js';
import { runInTerminal } from './support/tmux.js';

const CLEARS = /\u001b\[[23]J/;

function thirtyImages(stamp: string): string {
  const files: Record<string, string> = {};
  const entries: string[] = [];
  for (let i = 0; i < 30; i++) {
    const name = `img${String(i).padStart(2, '0')}`;
    files[`${name}/Dockerfile`] = 'FROM scratch\nCOPY stamp /stamp\n';
    files[`${name}/stamp`] = `${stamp} ${name}\n`;
    entries.push(`    ${name}: { context: './${name}', platforms: ['linux/amd64'], tags: ['v1'] },`);
  }
  files['multiarch.config.ts'] = `import { defineConfig } from 'multiarch';\nexport default defineConfig({\n  images: {\n${entries.join('\n')}\n  },\n});\n`;
  return makeFixture(files);
}

describe('apply with 30 images in a short terminal', () => {
  it.each([12, 20])('fits %i rows, folds what is done, and never clears the scrollback', async (rows) => {
    const dir = thirtyImages(`harden19-tall-${rows}-${Date.now()}`);
    const term = await runInTerminal(['apply'], { cwd: dir, columns: 80, rows });
    const midway = await term.waitFor((s) => s.some((l) => /^… \d+ more$/.test(l)) || term.exitCode(s) !== undefined, '"… N more" under the live frame', 600_000);
    expect(midway).toHaveLength(rows);
    const done = await term.waitFor((s) => term.exitCode(s) !== undefined, 'the run to end', 600_000);
    expect(term.exitCode(done), done.join('\n')).toBe(0);
    const written = await term.written();
    expect(written).toMatch(/^… \d+ more$/m);
    // Finished images, one line each.
    expect(written).toMatch(/^✓ img\d\d {2}amd64 {2}\d+\/\d+ done$/m);
    expect(done.join('\n')).toMatch(/Succeeded in [\d.]+s: 30 succeeded/);
    expect(await term.raw()).not.toMatch(CLEARS);
  }, 900_000);

  it('follows a resize from 20 to 12 rows mid-run without clearing the scrollback', async () => {
    const dir = thirtyImages(`harden19-resize-${Date.now()}`);
    const term = await runInTerminal(['apply'], { cwd: dir, columns: 80, rows: 20 });
    await term.waitFor((s) => s.some((l) => /^… \d+ more$/.test(l)) || term.exitCode(s) !== undefined, 'the fitted frame', 600_000);
    await term.resize(80, 12);
    const done = await term.waitFor((s) => term.exitCode(s) !== undefined, 'the run to end', 600_000);
    expect(term.exitCode(done), done.join('\n')).toBe(0);
    expect(done).toHaveLength(12);
    expect(await term.raw()).not.toMatch(CLEARS);
  }, 900_000);
});
