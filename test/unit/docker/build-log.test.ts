import { describe, expect, it } from 'vitest';
import { createBuildLogScan } from '../../../src/docker/build-log.js';
import { findStepLine } from '../../../src/dockerfile/step-line.js';
import { readDockerfile } from '../../../src/dockerfile/read.js';

const scan = (text: string) => {
  const s = createBuildLogScan();
  for (const line of text.split('\n')) s.push(line);
  return s;
};

// Recorded from docker 20.10 with DOCKER_BUILDKIT=1 --progress=plain (sha256 lines dropped).
const FAILED = `#3 [internal] load metadata for 127.0.0.1:5000/hermetic/busybox:latest
#3 DONE 0.0s

#4 [1/3] FROM 127.0.0.1:5000/hermetic/busybox:latest@sha256:24fbe4923db1418ccc4fc68e7851c26ae24206515e34f5c4dca822deb8978cdc
#4 CACHED

#5 [2/3] RUN echo hello
#5 0.155 hello
#5 DONE 0.2s

#6 [3/3] RUN echo one &&     exit 3
#6 0.317 one
#6 ERROR: executor failed running [/bin/sh -c echo one &&     exit 3]: exit code: 3
------
 > [3/3] RUN echo one &&     exit 3:
------
executor failed running [/bin/sh -c echo one &&     exit 3]: exit code: 3`;

const DOCKERFILE = `# syntax=docker/dockerfile:1
FROM 127.0.0.1:5000/hermetic/busybox:latest
RUN echo hello

# comment
RUN echo one && \\
    exit 3
`;

describe('createBuildLogScan', () => {
  it('names the step of the vertex that failed', () => {
    expect(scan(FAILED).failure()).toEqual({ step: { text: 'RUN echo one &&     exit 3' } });
  });

  it('takes the file and line newer BuildKit prints above its excerpt', () => {
    const newer = `#6 [2/2] RUN exit 3
#6 ERROR: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3
------
 > [2/2] RUN exit 3:
------
Dockerfile:7
--------------------
   5 |     ...
   7 | >>> RUN exit 3
--------------------
ERROR: failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3`;
    expect(scan(newer).failure()).toEqual({ step: { text: 'RUN exit 3' }, file: 'Dockerfile', line: 7 });
  });

  it('names the stage of a multi-stage build, and the legacy builder’s last step', () => {
    const multi = `#5 [builder 2/3] RUN echo build\n#6 [builder 3/3] RUN exit 4\n#6 ERROR: executor failed running [/bin/sh -c exit 4]: exit code: 4`;
    expect(scan(multi).failure()?.step).toEqual({ stage: 'builder', text: 'RUN exit 4' });
    const legacy = `Step 2/3 : RUN echo hello\n ---> Running in 428a63d8cb3a\nhello\nStep 3/3 : RUN echo one &&     exit 3\none\nThe command '/bin/sh -c echo one &&     exit 3' returned a non-zero code: 3`;
    expect(scan(legacy).failure()?.step).toEqual({ index: 3, text: 'RUN echo one &&     exit 3' });
    expect(scan('#1 [internal] load build definition from Dockerfile\nerror: something').failure()).toBeUndefined();
  });

  it('tells a build BuildKit served entirely from its cache', () => {
    const cached = `#4 [1/2] FROM 127.0.0.1:5000/hermetic/busybox:latest@sha256:24fb\n#4 DONE 0.0s\n\n#5 [2/2] RUN echo hello\n#5 CACHED\n\n#6 exporting to image\n#6 DONE 0.0s`;
    expect(scan(cached).fullyCached()).toBe(true);
    expect(scan(FAILED).fullyCached()).toBe(false);
    // Only a FROM: nothing tells that work was saved.
    expect(scan('#4 [1/1] FROM busybox@sha256:24fb\n#4 CACHED').fullyCached()).toBe(false);
    expect(scan('Step 1/2 : FROM busybox\nStep 2/2 : RUN true\n ---> Using cache').fullyCached()).toBe(false);
  });
});

describe('findStepLine', () => {
  it('parses instructions with their first line, joining continuations and skipping comments', () => {
    expect(readDockerfile(DOCKERFILE).instructions.map((i) => [i.line, i.keyword, i.text])).toEqual([
      [2, 'FROM', '127.0.0.1:5000/hermetic/busybox:latest'],
      [3, 'RUN', 'echo hello'],
      [6, 'RUN', 'echo one &&     exit 3'],
    ]);
  });

  it('finds a BuildKit step by its text, continuations joined', () => {
    expect(findStepLine(DOCKERFILE, { text: 'RUN echo one &&     exit 3' })).toBe(6);
    expect(findStepLine(DOCKERFILE, { text: 'RUN echo hello' })).toBe(3);
    expect(findStepLine(DOCKERFILE, { text: 'FROM 127.0.0.1:5000/hermetic/busybox:latest@sha256:24fb' })).toBe(2);
    expect(findStepLine(DOCKERFILE, { text: 'RUN echo something else' })).toBeUndefined();
  });

  it('matches build args BuildKit expanded', () => {
    const dockerfile = 'ARG BASE\nFROM $BASE\nARG STAMP\nRUN echo "$STAMP" > /stamp && sleep 2\nCOPY bin/${TARGETARCH}/app /app\n';
    expect(findStepLine(dockerfile, { text: 'RUN echo "i6demo-1796132607" > /stamp && sleep 2' })).toBe(4);
    expect(findStepLine(dockerfile, { text: 'COPY bin/arm64/app /app' })).toBe(5);
  });

  it('finds JSON-form COPY/ADD, which BuildKit prints as a Go list (recorded from docker 20.10)', () => {
    const dockerfile = 'FROM busybox\nCOPY ["a.txt", "/dst/a b.txt"]\nCOPY --chown=1:1 ["a.txt", "/dst/"]\nADD ["a.txt", "/added.txt"]\nRUN ["sh", "-c", "echo hi > /x"]\n';
    expect(findStepLine(dockerfile, { text: 'COPY [a.txt, /dst/a b.txt]' })).toBe(2);
    expect(findStepLine(dockerfile, { text: 'COPY --chown=1:1 [a.txt, /dst/]' })).toBe(3);
    expect(findStepLine(dockerfile, { text: 'ADD [a.txt, /added.txt]' })).toBe(4);
    expect(findStepLine(dockerfile, { text: 'RUN ["sh", "-c", "echo hi > /x"]' })).toBe(5);
  });

  it('looks only in the stage the step names', () => {
    const dockerfile = 'FROM busybox AS builder\nRUN make\nRUN exit 4\n\nFROM busybox\nRUN make\nRUN exit 4\n';
    expect(findStepLine(dockerfile, { stage: 'builder', text: 'RUN exit 4' })).toBe(3);
    expect(findStepLine(dockerfile, { stage: 'stage-1', text: 'RUN exit 4' })).toBe(7);
    expect(findStepLine(dockerfile, { stage: 'nope', text: 'RUN exit 4' })).toBeUndefined();
  });

  it('uses the legacy builder’s instruction number, and a backtick escape', () => {
    expect(findStepLine(DOCKERFILE, { index: 3, text: 'RUN echo one &&     exit 3' })).toBe(6);
    const windows = '# escape=`\nFROM busybox\nRUN echo a `\n    && exit 2\n';
    expect(findStepLine(windows, { text: 'RUN echo a     && exit 2' })).toBe(3);
  });
});
