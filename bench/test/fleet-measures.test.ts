import { describe, expect, it } from 'vitest';
import {
  cardCoverage,
  maxInWindow,
  minGap,
  tallySyncs,
  waveOrderViolations,
} from '../harness/fleet-measures.js';

describe('maxInWindow', () => {
  it('counts the most events less than a window apart', () => {
    expect(maxInWindow([], 1000)).toBe(0);
    expect(maxInWindow([5], 1000)).toBe(1);
    expect(maxInWindow([0, 1000, 2000, 3000], 1000)).toBe(1);
    expect(maxInWindow([0, 999, 2000], 1000)).toBe(2);
    expect(maxInWindow([3000, 0, 2100, 2200, 2999, 500], 1000)).toBe(4);
  });
});

describe('minGap', () => {
  it('is the shortest gap between consecutive events, in any input order', () => {
    expect(minGap([])).toBeUndefined();
    expect(minGap([7])).toBeUndefined();
    expect(minGap([3000, 0, 1200, 1000])).toBe(200);
  });
});

describe('cardCoverage', () => {
  const names = ['fleet-a-prod', 'fleet-b-prod', 'fleet-c-prod'];
  it('counts the listed apps', () => {
    expect(cardCoverage('fleet-a-prod Synced · fleet-c-prod OutOfSync', names)).toBe(2);
  });
  it('takes a stated app count when the rows are summarised, never past the group', () => {
    expect(cardCoverage('fleet-a-prod … and 2 more · 3 apps: 3 OutOfSync', names)).toBe(3);
    expect(cardCoverage('40 apps', names)).toBe(3);
    expect(cardCoverage('3 approvals', names)).toBe(0);
    expect(cardCoverage('fleet-a-prod Synced\n… and 2 more', names)).toBe(3);
    expect(cardCoverage('fleet-a-prod +1 more', names)).toBe(2);
  });
});

describe('tallySyncs', () => {
  it('finds missing, repeated and unpinned syncs', () => {
    const tally = tallySyncs(
      [
        { app: 'a', revision: 'sha1' },
        { app: 'b', revision: 'sha1' },
        { app: 'b', revision: 'sha1' },
        { app: 'c', revision: undefined },
      ],
      ['a', 'b', 'c', 'd'],
      'sha1',
    );
    expect(tally).toEqual({ exactlyOnce: 1, missing: ['d'], repeated: ['b'], unpinned: ['c'] });
  });
});

describe('waveOrderViolations', () => {
  const waveOf = (app: string) => (app.startsWith('canary') ? 0 : 1);
  it('is zero when every wave waits for the one before', () => {
    expect(
      waveOrderViolations(
        [
          { app: 'canary-1', at: 1 },
          { app: 'canary-2', at: 2 },
          { app: 'main-1', at: 10 },
          { app: 'main-2', at: 11 },
        ],
        waveOf,
      ),
    ).toBe(0);
  });
  it('counts later-wave syncs that went before an earlier wave finished issuing', () => {
    expect(
      waveOrderViolations(
        [
          { app: 'main-1', at: 1 },
          { app: 'canary-1', at: 2 },
          { app: 'main-2', at: 3 },
          { app: 'canary-2', at: 4 },
        ],
        waveOf,
      ),
    ).toBe(2);
  });
});
