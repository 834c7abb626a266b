import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../report/stats.js';

describe('percentile', () => {
  it('takes the nearest rank, so p99 of 100 samples is the 99th value and not an average', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 100)).toBe(100);
  });

  it('gives the maximum for p99 of a small sample and NaN for no sample', () => {
    expect(percentile([3, 7, 20], 99)).toBe(20);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts its input before ranking', () => {
    const summary = summarize([40, 10, 30, 20]);
    expect(summary).toMatchObject({ count: 4, p50: 20, p99: 40, max: 40, mean: 25 });
  });
});
