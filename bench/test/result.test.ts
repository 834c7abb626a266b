import { describe, expect, it } from 'vitest';
import { formatTable } from '../report/format-table.js';
import type { MachineInfo } from '../report/machine.js';
import {
  atLeastShareOfBaseline,
  atMost,
  atMostTimesBaselineAnd,
  exactly,
  makeRow,
} from '../report/result.js';

describe('makeRow', () => {
  it('computes the ratio against the same-run baseline and judges the target', () => {
    const row = makeRow({
      name: 'click → ack p99',
      unit: 'ms',
      ours: 30,
      baseline: 27,
      target: atMostTimesBaselineAnd(1.2, 50, 'ms'),
    });
    expect(row).toMatchObject({ ours: 30, baseline: 27, ratio: 1.11, met: true });
    expect(row.target).toBe('≤ 1.2× baseline and ≤ 50 ms');
  });

  it('misses a ratio target when ours is too slow against the baseline, even under the absolute limit', () => {
    const row = makeRow({
      name: 'x',
      unit: 'ms',
      ours: 40,
      baseline: 20,
      target: atMostTimesBaselineAnd(1.2, 50, 'ms'),
    });
    expect(row.met).toBe(false);
  });

  it('counts an unmeasured value as a missed target and leaves context lines unjudged', () => {
    expect(makeRow({ name: 'x', unit: 'ms', ours: null, target: atMost(1000, 'ms') }).met).toBe(false);
    expect(makeRow({ name: 'y', unit: 'ms', ours: 12 }).met).toBeNull();
    expect(makeRow({ name: 'z', unit: 'ms', ours: Number.NaN }).ours).toBeNull();
  });

  it('judges throughput as a share of the baseline and counts as exact values', () => {
    expect(
      makeRow({ name: 'a', unit: 'req/s', ours: 600, baseline: 1000, target: atLeastShareOfBaseline(0.5) })
        .met,
    ).toBe(true);
    expect(
      makeRow({ name: 'b', unit: 'req/s', ours: 400, baseline: 1000, target: atLeastShareOfBaseline(0.5) })
        .met,
    ).toBe(false);
    expect(makeRow({ name: 'c', unit: 'msgs', ours: 2, target: exactly(1, 'msgs') }).met).toBe(false);
  });
});

describe('formatTable', () => {
  const machine: MachineInfo = {
    cpus: 2,
    model: 'Test CPU',
    memGiB: 4,
    node: 'v20.0.0',
    platform: 'linux x64',
    date: '2026-01-01T00:00:00.000Z',
    loadAvg: [0.5, 0.4, 0.3],
  };

  it('prints one line per row with a visible miss, and the notes numbered under the table', () => {
    const text = formatTable(
      [
        makeRow({ name: 'fast', unit: 'ms', ours: 10, baseline: 9, target: atMost(50, 'ms') }),
        makeRow({ name: 'slow', unit: 'ms', ours: 900, target: atMost(150, 'ms'), note: 'why it is slow' }),
      ],
      machine,
    );
    const lines = text.split('\n');
    expect(lines[0]).toContain('2 × Test CPU');
    expect(lines.find((l) => l.startsWith('fast'))).toMatch(/yes$/);
    expect(lines.find((l) => l.startsWith('slow [1]'))).toMatch(/NO$/);
    expect(text).toContain('[1] why it is slow');
  });
});
