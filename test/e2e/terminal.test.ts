/**
 * `apply` in a real pseudo-terminal (tmux): the Ink live view draws the grid, survives the
 * terminal being made narrower mid-run without leaving pieces of old frames, and ends with every
 * cell done and the summary; Ctrl-C shows "Stopping", cancels what runs and lists what was written.
 */
import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { listTags } from './support/registry.js';
import { runInTerminal } from './support/tmux.js';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

function fixture(images: Record<string, { platforms: string[]; run: string }>, repoOf: (image: string) => string): string {
  const { registry, baseImage } = testEnv();
  const files: Record<string, string> = {};
  const entries: string[] = [];
  for (const [name, image] of Object.entries(images)) {
    files[`${name}/Dockerfile`] = `FROM ${baseImage}\nARG STAMP\nRUN echo "$STAMP" > /stamp && ${image.run}\nCMD ["cat", "/stamp"]\n`;
    entries.push(`    ${name}: {
      context: './${name}',
      platforms: ${JSON.stringify(image.platforms)},
      args: { STAMP: '${repoOf(name)}' },
      tags: ['v1'],
      test: { command: ['cat', '/stamp'], expectOutput: '${repoOf(name)}' },
      publish: [{ registry: 'local', repository: '${repoOf(name)}' }],
    },`);
  }
  files['multiarch.config.ts'] = `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
${entries.join('\n')}
  },
});
`;
  return makeFixture(files);
}

describe('apply in a terminal', () => {
  it('draws the live grid, redraws cleanly when the terminal narrows, and ends with every cell done and the summary', async () => {
    const stamp = `e2e/tty-${Date.now()}`;
    const dir = fixture({ app: { platforms: ['linux/amd64', 'linux/arm64'], run: 'sleep 4' } }, () => stamp);
    const term = await runInTerminal(['apply'], { cwd: dir, columns: 100, rows: 60 });
    // A build running, with its spinner and elapsed time, and the Dockerfile step it is on.
    const running = await term.waitFor(
      (s) => s.some((l) => /^ {2}build +[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+s/.test(l)) && s.some((l) => /^ {2}(amd|arm)64 build {2}\[2\/2\] RUN echo/.test(l)),
      'a build running its RUN step',
    );
    expect(running[0]).toMatch(/^multiarch {2}7 steps from /);
    expect(running.join('\n')).toMatch(/\d+ running · \d\/7 done/);

    await term.resize(60, 60);
    const done = await term.waitFor((s) => term.exitCode(s) !== undefined, 'the run to end');
    expect(term.exitCode(done), done.join('\n')).toBe(0);
    const frame = done.join('\n');
    // Nothing wider than the terminal, nothing drawn twice.
    for (const line of done) expect([...line].length, line).toBeLessThanOrEqual(60);
    expect(done.filter((l) => /^multiarch {2}7 steps/.test(l))).toHaveLength(1);
    expect(done.filter((l) => /^app +amd64 +arm64$/.test(l))).toHaveLength(1);
    expect(frame).not.toMatch(SPINNER);
    // Every cell done.
    expect(frame).toMatch(/^ {2}build +✓ [\d.]+s +✓ [\d.]+s$/m);
    expect(frame).toMatch(/^ {2}test +✓ [\d.]+s +✓ [\d.]+s$/m);
    expect(frame).toMatch(/^ {2}push local +✓ [\d.]+s +✓ [\d.]+s$/m);
    expect(frame).toMatch(/^ {2}✓ index v1 → local {2}[\d.]+s$/m);
    // The summary: every ref with its digest, the totals.
    expect(frame).toContain('Multi-arch indexes written (1)');
    expect(frame).toContain('Platform images written (2)');
    expect(frame).toMatch(/:v1-linux-arm64 +sha256:[0-9a-f]{12}/);
    expect(frame).toMatch(/^Succeeded in [\d.]+s: 7 succeeded; 3 refs written\.$/m);
  });

  it('on Ctrl-C says it is stopping, cancels the running build, and lists what was written before', async () => {
    const { registry } = testEnv();
    const stamp = Date.now();
    const repoOf = (image: string) => `e2e/tty-cancel-${image}-${stamp}`;
    const dir = fixture(
      { quick: { platforms: ['linux/amd64'], run: 'true' }, slow: { platforms: ['linux/amd64'], run: 'sleep 120' } },
      repoOf,
    );
    const term = await runInTerminal(['apply'], { cwd: dir, columns: 80, rows: 60 });
    // quick is finished (its index written) while slow still builds.
    await term.waitFor((s) => s.some((l) => /✓ index v1 → local/.test(l)) && s.some((l) => SPINNER.test(l)), 'quick to be published');
    await term.sendKeys('C-c');
    const done = await term.waitFor((s) => term.exitCode(s) !== undefined, 'the run to end', 60_000);
    // The stopping frame may last only as long as the build takes to stop: read it from the output.
    expect(await term.written()).toContain('■ Stopping: canceling 1 running step, no new steps. Ctrl-C again to exit now.');
    const frame = done.join('\n');
    expect(term.exitCode(done), frame).toBe(130);
    expect(frame).not.toContain('■ Stopping');
    expect(frame).toMatch(/^ {2}build +– canceled$/m);
    expect(frame).toContain('Multi-arch indexes written (1)');
    expect(frame).toContain(`${registry}/${repoOf('quick')}:v1`);
    expect(frame.replace(/\n/g, ' ')).toContain('the refs listed above were written before it stopped.');
    expect(frame).toMatch(/^Canceled after [\d.]+s: 4 succeeded, 4 canceled; 2 refs written\.$/m);
    expect(await listTags(`${registry}/${repoOf('slow')}`)).toEqual([]);
  });

  it('shows a failed build’s last log lines under the grid as soon as it fails, while the rest goes on', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/tty-fail-${Date.now()}`;
    const dir = makeFixture({
      // amd64 fails at once after printing 30 lines; arm64 takes its time.
      'app/Dockerfile': `FROM ${baseImage}\nARG STAMP\nRUN if [ "$(uname -m)" = x86_64 ]; then for i in $(seq 1 30); do echo "log line $i"; done; exit 3; fi; sleep 15; echo "$STAMP"\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    app: { context: './app', platforms: ['linux/amd64', 'linux/arm64'], args: { STAMP: '${repo}' }, tags: ['v1'], publish: [{ registry: 'local', repository: '${repo}' }] },
  },
});
`,
    });
    const term = await runInTerminal(['apply'], { cwd: dir, columns: 80, rows: 70 });
    const failed = await term.waitFor((s) => s.some((l) => l.startsWith('✗ app linux/amd64 build failed after')), 'the failure block');
    const text = failed.join('\n');
    // Still running: the other platform's build, under the grid with the failure below it.
    expect(text).toMatch(/^ {2}build +✗ [\d.]+s +[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+s$/m);
    expect(text).toMatch(/^ {2}last 20 log lines:$/m);
    const tail = failed.filter((l) => l.startsWith('  │ '));
    expect(tail).toHaveLength(20);
    expect(text).toContain('log line 30');
    expect(text).not.toMatch(/log line 5$/m);
    expect(text).toContain('error docker build for linux/amd64 failed (exit 1)');
    const done = await term.waitFor((s) => term.exitCode(s) !== undefined, 'the run to end');
    expect(term.exitCode(done)).toBe(1);
    expect(done.join('\n')).toMatch(/^Failed after [\d.]+s: /m);
  });
});
