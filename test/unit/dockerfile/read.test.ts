import { describe, expect, it } from 'vitest';
import { flagValue, hasFlag, mountsOf } from '../../../src/dockerfile/instruction.js';
import { readDockerfile } from '../../../src/dockerfile/read.js';
import { expandIn, reachableStages, resolveStages } from '../../../src/dockerfile/stages.js';

// Shapes from real-world Dockerfiles (official images' docs, docker/docs examples, common monorepos).
const NODE_MULTISTAGE = `# syntax=docker/dockerfile:1.7
ARG NODE_VERSION=20
FROM --platform=$BUILDPLATFORM node:\${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \\
    npm ci --omit=dev

FROM node:\${NODE_VERSION}-alpine AS runtime
ENV NODE_ENV=production \\
    APP_HOME=/app
WORKDIR $APP_HOME
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node --chmod=644 --link src/ ./src/
USER node
CMD ["node", "src/index.js"]
`;

const HEREDOCS = [
  'FROM busybox',
  'RUN <<EOF',
  'set -e',
  'FROM not-an-instruction',
  'EOF',
  'COPY <<-"CONF" /etc/app.conf',
  '\tkey=${VALUE}',
  '\tCONF',
  'RUN echo "<<NOT" && cat <<\'A\' > /a && cat <<B > /b',
  'one',
  'A',
  'two',
  'B',
  'LABEL after=heredocs',
  '',
].join('\n');

const WINDOWS = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY testfile.txt c:\\\nRUN dir c:\\ `\n  && echo done\n';

describe('readDockerfile', () => {
  it('gives each instruction its exact lines, flags and forms', () => {
    const file = readDockerfile(NODE_MULTISTAGE);
    expect(file.syntax).toBe('docker/dockerfile:1.7');
    expect(file.instructions.map((i) => `${i.line}-${i.endLine} ${i.keyword}`)).toEqual([
      '2-2 ARG', '3-3 FROM', '4-4 WORKDIR', '5-5 COPY', '6-7 RUN', '9-9 FROM', '10-11 ENV', '12-12 WORKDIR', '13-13 COPY', '14-14 COPY', '15-15 USER', '16-16 CMD',
    ]);
    const [, from, , , run, , , , copyFrom, copyLink, , cmd] = file.instructions;
    expect(flagValue(from!, 'platform')).toBe('$BUILDPLATFORM');
    expect(mountsOf(run!)).toEqual([{ type: 'cache', target: '/root/.npm' }]);
    expect(flagValue(copyFrom!, 'from')).toBe('deps');
    expect(flagValue(copyFrom!, 'chown')).toBe('node:node');
    expect(copyFrom!.words).toEqual(['/app/node_modules', './node_modules']);
    expect(hasFlag(copyLink!, 'link')).toBe(true);
    expect(flagValue(copyLink!, 'chmod')).toBe('644');
    expect(cmd!.json).toEqual(['node', 'src/index.js']);
  });

  it('attaches heredoc bodies to their instruction and keeps them out of the instruction list', () => {
    const file = readDockerfile(HEREDOCS);
    expect(file.instructions.map((i) => `${i.line}-${i.endLine} ${i.keyword}`)).toEqual(['1-1 FROM', '2-5 RUN', '6-8 COPY', '9-13 RUN', '14-14 LABEL']);
    const [, run, copy, two] = file.instructions;
    expect(run!.heredocs).toEqual([{ name: 'EOF', body: 'set -e\nFROM not-an-instruction\n', expand: true }]);
    expect(copy!.heredocs).toEqual([{ name: 'CONF', body: 'key=${VALUE}\n', expand: false }]);
    expect(two!.heredocs.map((h) => h.name)).toEqual(['A', 'B']);
  });

  it('honours # escape=` (Windows paths keep their backslashes)', () => {
    const file = readDockerfile(WINDOWS);
    expect(file.escape).toBe('`');
    expect(file.instructions.map((i) => `${i.line} ${i.keyword} ${i.text}`)).toEqual([
      '2 FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      '3 COPY testfile.txt c:\\',
      '4 RUN dir c:\\   && echo done',
    ]);
  });

  it('drops comments and empty lines inside continuations; directives only at the top', () => {
    const file = readDockerfile('\n# escape=`\nFROM a\nRUN one \\\n# inside\n\n  two\n');
    expect(file.escape).toBe('\\');
    expect(file.instructions.map((i) => `${i.line} ${i.text}`)).toEqual(['3 a', '4 one   two']);
  });

  it('parses RUN --mount options (default type bind, aliases, quoted csv)', () => {
    const [, run] = readDockerfile('FROM a\nRUN --mount=src=go.sum,dst=/x --mount=type=secret,id=npm --mount=type=bind,from=tools,"source=a,b" true\n').instructions;
    expect(mountsOf(run!)).toEqual([
      { type: 'bind', source: 'go.sum', target: '/x' },
      { type: 'secret', id: 'npm' },
      { type: 'bind', from: 'tools', source: 'a,b' },
    ]);
  });
});

describe('resolveStages', () => {
  const opts = { args: {}, platform: 'linux/arm64', buildPlatform: 'linux/amd64' };

  it('scopes ARG and ENV as BuildKit does (globals for FROM, re-declared ARGs, ENV inherited from a parent stage)', () => {
    const text = 'ARG V=1\nARG G=global\nFROM img:$V AS base\nENV A=a\nARG G\nARG TARGETARCH\nFROM base AS child\nARG L=${A:+set}\nCOPY $A$G$L-$TARGETARCH-${NOPE:-x} /d\n';
    const { stages, escape } = resolveStages(readDockerfile(text), { ...opts, args: { V: '2' } });
    expect(stages.map((s) => [s.name, s.from, s.parent])).toEqual([['base', 'img:2', undefined], ['child', 'base', 0]]);
    expect(stages[0]!.steps.at(-1)!.env).toMatchObject({ A: 'a', G: 'global' });
    const copy = stages[1]!.steps.at(-1)!;
    const missing = new Set<string>();
    expect(expandIn(copy, copy.instruction.words[0]!, escape, missing)).toBe('aset--x');
    // G and TARGETARCH were declared in the other stage only; NOPE nowhere (the base image may set it).
    expect([...missing].sort()).toEqual(['G', 'NOPE', 'TARGETARCH']);
  });

  it('reaches only the stages the target depends on', () => {
    const text = 'FROM a AS one\nFROM b AS two\nRUN --mount=from=one,target=/x true\nFROM c AS three\nCOPY --from=two /x /x\nFROM d\n';
    const { stages, escape } = resolveStages(readDockerfile(text), opts);
    expect(reachableStages(stages, 'three', escape)).toEqual([0, 1, 2]);
    expect(reachableStages(stages, 'two', escape)).toEqual([0, 1]);
    expect(reachableStages(stages, undefined, escape)).toEqual([3]);
  });

  it('reads the legacy ENV form and quoted values', () => {
    const { stages } = resolveStages(readDockerfile('FROM a\nENV PATH_X /opt/bin here\nENV Q="a b" R=\'$Q\'\nRUN true\n'), opts);
    expect(stages[0]!.steps.at(-1)!.env).toMatchObject({ PATH_X: '/opt/bin here', Q: 'a b', R: '$Q' });
  });
});
