import { describe, expect, it } from 'vitest';
import { dockerfileBases, type DockerfileBasesOptions } from '../../../src/inputs/dockerfile-bases.js';
import { readDockerfile } from '../../../src/dockerfile/read.js';
import { expandWords, splitWords } from '../../../src/dockerfile/words.js';
import { formatReference, parsePullReference as parseImageReference } from '../../../src/image/image-reference.js';

const arm64 = { os: 'linux', architecture: 'arm64' };
const opts = (extra: Partial<DockerfileBasesOptions> = {}): DockerfileBasesOptions => ({ args: {}, platform: arm64, buildPlatform: 'linux/amd64', ...extra });
const refs = (text: string, extra: Partial<DockerfileBasesOptions> = {}) => dockerfileBases(text, opts(extra)).bases.map((b) => `${b.via} ${b.ref} ${b.platform}`);

describe('dockerfileBases', () => {
  it('finds FROM images, skips scratch and earlier stages', () => {
    const text = 'FROM golang:1.22 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\n';
    expect(refs(text)).toEqual(['FROM golang:1.22 linux/arm64']);
  });

  it('substitutes global ARGs, build args overriding their defaults', () => {
    const text = 'ARG BASE=alpine\nARG VERSION=3.19\nFROM ${BASE}:$VERSION\n';
    expect(refs(text)).toEqual(['FROM alpine:3.19 linux/arm64']);
    expect(refs(text, { args: { VERSION: '3.20' } })).toEqual(['FROM alpine:3.20 linux/arm64']);
    // A build arg that is not declared with ARG is not visible to FROM.
    expect(refs('FROM img:${TAG:-dflt}\n', { args: { TAG: 'x' } })).toEqual(['FROM img:dflt linux/arm64']);
  });

  it('resolves --platform=$BUILDPLATFORM images for the builder, others for the target', () => {
    const text = 'FROM --platform=$BUILDPLATFORM golang AS build\nFROM --platform=${TARGETPLATFORM} alpine\nCOPY --from=build /x /x\n';
    expect(refs(text)).toEqual(['FROM golang linux/amd64', 'FROM alpine linux/arm64']);
  });

  it('reports ref() args instead of resolving them', () => {
    const text = 'ARG BASE\nFROM ${BASE}\nARG BASE\nLABEL base=$BASE\n';
    const r = dockerfileBases(text, opts({ args: { BASE: null } }));
    expect(r.bases).toEqual([]);
    expect(r.refArgs).toEqual(['BASE']);
  });

  it('follows only the stages the target needs (BuildKit), or every stage up to it (legacy)', () => {
    const text = 'FROM a AS one\nFROM b AS two\nFROM one AS three\nCOPY --from=c:1 /x /x\nFROM d\n';
    expect(refs(text, { target: 'three' })).toEqual(['FROM a linux/arm64', 'COPY --from c:1 linux/arm64']);
    expect(refs(text, { target: 'three', allStages: true })).toEqual(['FROM a linux/arm64', 'FROM b linux/arm64', 'COPY --from c:1 linux/arm64']);
    expect(refs(text)).toEqual(['FROM d linux/arm64']);
  });

  it('finds RUN --mount from= images, stage numbers, and the syntax frontend', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM alpine AS a\nFROM busybox\nCOPY --from=0 /x /x\nRUN --mount=type=bind,from=tools:2,target=/t true\n';
    expect(refs(text)).toEqual(['syntax docker/dockerfile:1 linux/amd64', 'FROM alpine linux/arm64', 'FROM busybox linux/arm64', 'RUN --mount tools:2 linux/arm64']);
  });

  it('skips heredoc bodies and joins continued lines', () => {
    const text = 'FROM \\\n  # a comment inside\n  alpine\nRUN <<EOF\nFROM not-an-image\nEOF\nCOPY <<-END /x\n\tFROM nope\n\tEND\n';
    expect(refs(text)).toEqual(['FROM alpine linux/arm64']);
  });

  it('honours the escape directive', () => {
    const text = '# escape=`\nFROM `\n  alpine:3\n';
    expect(readDockerfile(text).escape).toBe('`');
    expect(refs(text)).toEqual(['FROM alpine:3 linux/arm64']);
  });

  it('uses TARGETARCH and friends without a declaration', () => {
    expect(refs('FROM base-${TARGETARCH}${TARGETVARIANT}\n', { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } })).toEqual(['FROM base-armv7 linux/arm/v7']);
  });
});

describe('shell words', () => {
  it('splits on whitespace outside quotes', () => {
    expect(splitWords(`--platform=$X "a b" c\\ d 'e f'`)).toEqual(['--platform=$X', '"a b"', 'c\\ d', "'e f'"]);
  });
  it.each([
    ['$A', 'x'],
    ['${A}y', 'xy'],
    ['${NOPE:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${A:+alt}', 'alt'],
    ['${NOPE+alt}', ''],
    ["'$A'", '$A'],
    ['"$A b"', 'x b'],
    ['\\$A', '$A'],
    ['${NOPE:-${A}}', 'x'],
  ])('%s → %j', (word, want) => expect(expandWords(word, { A: 'x', EMPTY: '' })).toBe(want));
});

describe('image references', () => {
  it.each([
    ['node:20', 'docker.io/library/node:20'],
    ['busybox', 'docker.io/library/busybox:latest'],
    ['team/app', 'docker.io/team/app:latest'],
    ['ghcr.io/a/b', 'ghcr.io/a/b:latest'],
    ['127.0.0.1:5000/hermetic/busybox:latest', '127.0.0.1:5000/hermetic/busybox:latest'],
    ['localhost/x', 'localhost/x:latest'],
    [`alpine@sha256:${'a'.repeat(64)}`, `docker.io/library/alpine@sha256:${'a'.repeat(64)}`],
  ])('%s → %s', (text, want) => {
    const r = parseImageReference(text);
    if (!r.ok) throw new Error(r.message);
    expect(formatReference(r.reference)).toBe(want);
  });
  it('rejects what is not a reference', () => {
    expect(parseImageReference('Not Valid').ok).toBe(false);
    expect(parseImageReference('a@sha256:xyz').ok).toBe(false);
  });
});
