import { describe, expect, it } from 'vitest';
import { pollDelayMs } from '../../../src/docker/run-container.js';

describe('HTTP check polling', () => {
  it('polls quickly at first, then every half second', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(pollDelayMs)).toEqual([50, 100, 200, 400, 500, 500, 500]);
  });
});
