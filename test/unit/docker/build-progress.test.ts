import { describe, expect, it } from 'vitest';
import { parseBuildStep } from '../../../src/docker/build-progress.js';
import { formatBuildStep } from '../../../src/exec/steps/build.js';

describe('parseBuildStep', () => {
  it('reads BuildKit plain progress steps', () => {
    expect(parseBuildStep('#7 [3/3] RUN uname -m > /www/built-on.txt')).toEqual({ current: 3, total: 3, text: 'RUN uname -m > /www/built-on.txt' });
    expect(parseBuildStep('#5 [1/3] FROM docker.io/library/alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d')).toEqual({
      current: 1,
      total: 3,
      text: 'FROM docker.io/library/alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d',
    });
  });

  it('names the stage of a multi-stage build', () => {
    expect(parseBuildStep('#9 [builder 2/5] COPY . .')).toEqual({ current: 2, total: 5, text: 'builder: COPY . .' });
    expect(parseBuildStep('#12 [stage-1 1/2] COPY --from=builder /out /app')).toEqual({ current: 1, total: 2, text: 'stage-1: COPY --from=builder /out /app' });
  });

  it('reads the legacy builder’s steps', () => {
    expect(parseBuildStep('Step 2/6 : COPY index.html /www/index.html')).toEqual({ current: 2, total: 6, text: 'COPY index.html /www/index.html' });
    expect(parseBuildStep('Step 10/12 : RUN apk add --no-cache curl')).toEqual({ current: 10, total: 12, text: 'RUN apk add --no-cache curl' });
  });

  it('ignores every other line', () => {
    for (const line of [
      '#7 0.231 aarch64',
      '#7 DONE 0.3s',
      '#1 [internal] load build definition from Dockerfile',
      '#4 [internal] load metadata for docker.io/library/alpine:3.20',
      '#8 exporting to image',
      ' ---> Running in 3f1c2a',
      ' ---> 9b2d4c1e7f00',
      'Successfully built 9b2d4c1e7f00',
      'Sending build context to Docker daemon  3.072kB',
      '',
    ]) {
      expect(parseBuildStep(line), line).toBeUndefined();
    }
  });
});

describe('formatBuildStep', () => {
  it('shows the position when there is one', () => {
    expect(formatBuildStep({ current: 3, total: 7, text: 'RUN npm ci' })).toBe('[3/7] RUN npm ci');
    expect(formatBuildStep({ text: 'exporting' })).toBe('exporting');
    expect(formatBuildStep(parseBuildStep('#9 [builder 2/5] COPY . .')!)).toBe('[2/5] builder: COPY . .');
  });
});
