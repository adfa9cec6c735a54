import { describe, expect, it } from 'vitest';
import { directSupport } from '../../../src/direct/direct-support.js';

describe('directSupport', () => {
  it('accepts RUN-less Dockerfiles: config instructions, COPY/ADD of files and stages, scratch', () => {
    const r = directSupport('FROM scratch AS files\nCOPY a /a\nFROM busybox\nARG X=1\nENV A=$X\nWORKDIR /w\nCOPY --from=files --chown=1:1 --chmod=644 --link /a /b\nADD x.tar.gz /x/\nONBUILD RUN echo\nCMD ["sh"]\n');
    expect(r).toMatchObject({ ok: true, target: 1, needed: [0, 1] });
  });

  it('names the first instruction that needs an engine, with its line', () => {
    expect(directSupport('FROM busybox\nCOPY a /a\nRUN echo hi\n')).toEqual({ ok: false, instruction: 'RUN', line: 3, why: 'runs a command' });
    expect(directSupport('FROM busybox\nCOPY --from=alpine /x /x\n')).toMatchObject({ ok: false, instruction: 'COPY --from=alpine', line: 2 });
    expect(directSupport('FROM busybox\nADD https://example.com/x /x\n')).toMatchObject({ ok: false, instruction: 'ADD <url>', line: 2 });
    expect(directSupport('FROM --platform=$BUILDPLATFORM busybox\n')).toMatchObject({ ok: false, line: 1 });
    expect(directSupport('FROM busybox\nCOPY --exclude=x . /\n')).toMatchObject({ ok: false, instruction: 'COPY --exclude' });
    expect(directSupport('# syntax=example/frontend\nFROM busybox\n')).toMatchObject({ ok: false, instruction: '# syntax=example/frontend' });
  });

  it('looks only at the stages the target needs', () => {
    const text = 'FROM busybox AS tools\nRUN make\nFROM scratch AS out\nCOPY a /a\nFROM tools\n';
    expect(directSupport(text, 'out')).toMatchObject({ ok: true, target: 1, needed: [1] });
    expect(directSupport(text)).toMatchObject({ ok: false, instruction: 'RUN', line: 2 });
  });
});
