/**
 * The one Dockerfile reader against BuildKit itself (dockerd's built-in BuildKit, DOCKER_BUILDKIT=1),
 * on a corpus shaped like real Dockerfiles: multi-stage cross-compiles with global ARGs and
 * `--platform=$BUILDPLATFORM`, stages the target does not reach, unnamed stages used by index,
 * `# escape=`` `, continuations with comments and blank lines inside, lowercase keywords, JSON
 * forms, `${VAR:-default}`/`${VAR:+x}` expansion, `--target`. For each, BuildKit's own step list
 * (`#N [stage i/n] INSTRUCTION …` with --progress=plain) must match what the reader predicts: the
 * same stages (BuildKit builds only what the target reaches), the same number of steps per stage,
 * and every step found at the Dockerfile line whose instruction it is (the failing-line mapping
 * error annotations use). Heredocs need the dockerfile:1.4 frontend, which the engine here cannot
 * pull: they are covered by the unit tests only.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../../src/dockerfile/read.js';
import { reachableStages, resolveStages } from '../../src/dockerfile/stages.js';
import { findStepLine } from '../../src/dockerfile/step-line.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

interface Case {
  readonly name: string;
  readonly dockerfile: (base: string) => string;
  readonly target?: string;
  readonly args?: Readonly<Record<string, string>>;
}

const CORPUS: readonly Case[] = [
  {
    name: 'cross-compile: global ARGs, --platform=$BUILDPLATFORM, an unreached stage, a comment and a blank line inside a continuation',
    args: { VERSION: '2.1.0' },
    dockerfile: (base) => `# syntax is left to the engine's built-in frontend
ARG BASE=${base}
ARG VERSION=1.0

FROM --platform=$BUILDPLATFORM $BASE AS build
ARG VERSION
ARG TARGETARCH
WORKDIR /src
COPY go.mod main.go ./
RUN echo "building $VERSION for $TARGETARCH" \\
    # a comment inside a continuation
    && mkdir -p /out \\

    && echo app > /out/app-$TARGETARCH

FROM $BASE AS unused
RUN echo never-built

FROM $BASE
ARG TARGETARCH
COPY --from=build /out/app-$TARGETARCH /usr/local/bin/app
ENV APP_HOME=/app \\
    APP_MODE=prod
WORKDIR $APP_HOME
USER 1000:1000
ENTRYPOINT ["/usr/local/bin/app"]
`,
  },
  {
    name: 'escape directive: backtick continuations, backslashes kept as they are',
    dockerfile: (base) => `# escape=\`
FROM ${base}
RUN echo one \`
    two > /x
COPY a.txt /data/
WORKDIR /data
RUN echo "C:\\path\\kept" > path.txt
`,
  },
  {
    name: 'monorepo root context: a deps stage, a test stage the runtime does not reach, JSON CMD',
    dockerfile: (base) => `FROM ${base} AS deps
WORKDIR /app
COPY package.json ./
RUN echo installing && mkdir node_modules

FROM deps AS test
RUN echo testing

FROM ${base} AS runtime
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY src/ ./src/
EXPOSE 3000
HEALTHCHECK --interval=30s CMD wget -q -O- http://localhost:3000/ || exit 1
CMD ["sh", "-c", "echo hi"]
`,
  },
  {
    name: '--target of a middle stage: its parent is built, later stages are not',
    target: 'test',
    dockerfile: (base) => `FROM ${base} AS deps
WORKDIR /app
COPY package.json ./
RUN echo installing

FROM deps AS test
COPY src/ ./src/
RUN echo testing

FROM ${base} AS runtime
COPY --from=deps /app /app
`,
  },
  {
    name: 'unnamed stages used by index, lowercase keywords, JSON COPY, tabs',
    dockerfile: (base) => `from ${base}
run echo a > /a
	run echo "tabbed" > /b
from ${base}
copy --from=0 /a /a
copy ["a.txt", "/dst/a.txt"]
add a.txt /added.txt
run cat /a /dst/a.txt
`,
  },
  {
    name: 'ARG/ENV expansion with defaults and alternatives in RUN, ENV over ARG',
    args: { CHANNEL: 'beta' },
    dockerfile: (base) => `FROM ${base}
ARG CHANNEL
ARG MODE
ENV MODE=\${MODE:-release} SUFFIX=\${CHANNEL:+-\${CHANNEL}}
RUN echo "mode=$MODE channel=\${CHANNEL:-stable}\${SUFFIX}" > /info
ARG MODE=debug
RUN echo "still $MODE" >> /info
LABEL org.opencontainers.image.title="corpus \${MODE}"
`,
  },
];

interface Header {
  readonly stage?: string;
  readonly step: number;
  readonly total: number;
  readonly text: string;
}

/** BuildKit's step headers, `#8 [build 3/5] RUN …`, once each (plain progress repeats some). */
function headers(log: string): Header[] {
  const seen = new Map<string, Header>();
  for (const line of log.split('\n')) {
    const m = /^#(\d+) \[(?:(\S+) )?(\d+)\/(\d+)\] (.*)$/.exec(line);
    if (!m || m[2] === 'internal') continue;
    if (!seen.has(m[1]!)) seen.set(m[1]!, { ...(m[2] ? { stage: m[2] } : {}), step: Number(m[3]), total: Number(m[4]), text: m[5]!.trim() });
  }
  return [...seen.values()];
}

/** Instructions BuildKit numbers as steps: FROM and what makes a filesystem operation. */
const STEP_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

const STAMP = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;

/**
 * A RUN unique to this run and stage after each FROM: BuildKit shares identical vertices (the same
 * base then `WORKDIR /app`) among the stages of a build and with other builds running on the
 * engine, printing them once under one of their names; unique chains keep each step its own.
 */
function unshared(dockerfile: string): string {
  let stage = 0;
  return dockerfile.replace(/^(\s*from\s.*)$/gim, (line) => `${line}\nRUN echo corpus-${STAMP}-${stage++}`);
}

async function buildkitLog(dir: string, c: Case): Promise<string> {
  const args = Object.entries(c.args ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  const tag = `multiarch-e2e/corpus:${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  const r = await execa('/usr/bin/docker', ['build', '--no-cache', '--progress=plain', '--platform', 'linux/amd64', ...(c.target ? ['--target', c.target] : []), ...args, '-t', tag, '.'], {
    cwd: dir,
    env: { DOCKER_BUILDKIT: '1' },
    reject: false,
    all: true,
    timeout: 300_000,
  });
  if (r.exitCode !== 0) throw new Error(`docker build failed (${r.exitCode}):\n${r.all}`);
  await execa('/usr/bin/docker', ['image', 'rm', tag], { reject: false });
  return r.all ?? '';
}

describe('the Dockerfile reader agrees with BuildKit on a corpus of real-world shapes', () => {
  for (const c of CORPUS) {
    it(c.name, async () => {
      const text = unshared(c.dockerfile(testEnv().baseImage));
      const dir = makeFixture({ Dockerfile: text, 'go.mod': 'module x\n', 'main.go': 'package main\n', 'a.txt': 'a\n', 'package.json': '{}\n', 'src/index.js': '1\n' });
      // FROM steps are left out: BuildKit shares a vertex among identical ones — across stages and
      // across concurrent builds on the engine — and prints it once, under whichever name came first
      // (what follows each FROM is made unique by unshared()).
      const steps = headers(await buildkitLog(dir, c)).filter((h) => !/^FROM\s/i.test(h.text));
      expect(steps.length).toBeGreaterThan(0);

      const file = readDockerfile(text);
      const { stages, escape } = resolveStages(file, { args: c.args ?? {}, platform: 'linux/amd64', buildPlatform: 'linux/amd64' });
      const reached = reachableStages(stages, c.target, escape);
      const label = (i: number) => stages[i]!.name ?? (stages.length > 1 ? `stage-${i}` : undefined);

      // The same stages, each with the number of steps the reader counts.
      // A stage FROM an earlier stage starts from that stage's result: no FROM step of its own.
      const fromStep = (i: number) => (stages[i]!.parent === undefined ? 1 : 0);
      const counted = (i: number) => stages[i]!.steps.filter((s) => STEP_KEYWORDS.has(s.instruction.keyword)).length;
      const predicted = Object.fromEntries(reached.filter((i) => counted(i) > 0).map((i) => [label(i) ?? '', fromStep(i) + counted(i)]));
      const observed = Object.fromEntries(steps.map((h) => [h.stage ?? '', h.total]));
      expect(observed).toEqual(predicted);
      // Every counted step of every reached stage ran, once.
      expect(steps.length).toBe(Object.values(predicted).reduce((n, total, k) => n + total - fromStep(reached.filter((i) => counted(i) > 0)[k]!), 0));

      // Every step BuildKit ran is found at the line of that very instruction.
      const byLine = new Map(file.instructions.map((ins) => [ins.line, ins]));
      for (const h of steps) {
        const line = findStepLine(text, { ...(h.stage ? { stage: h.stage } : {}), text: h.text });
        expect(line, `no line for [${h.stage ?? ''} ${h.step}/${h.total}] ${h.text}`).toBeDefined();
        expect(byLine.get(line!)?.keyword, `[${h.stage ?? ''} ${h.step}/${h.total}] ${h.text} → line ${line}`).toBe(h.text.split(/\s+/)[0]!.toUpperCase());
      }
      // And in the order the reader has them: step k of a stage is its k-th counted instruction.
      for (const h of steps) {
        const i = reached.find((r) => (label(r) ?? '') === (h.stage ?? ''))!;
        const lines = [...(fromStep(i) ? [stages[i]!.fromLine] : []), ...stages[i]!.steps.filter((s) => STEP_KEYWORDS.has(s.instruction.keyword)).map((s) => s.instruction.line)];
        expect(findStepLine(text, { ...(h.stage ? { stage: h.stage } : {}), text: h.text })).toBe(lines[h.step - 1]);
      }
    }, 300_000);
  }
});
