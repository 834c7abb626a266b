import { describe, expect, it } from 'vitest';
import {
  computeDeliveryStats,
  DAY_MS,
  percentile,
  restoreTimeMs,
} from '../../../src/domain/delivery-stats.js';
import type { DeployRecord, DeployResult } from '../../../src/domain/deploy-record.js';

const H = 3_600_000;
const FROM = Date.UTC(2026, 0, 1);
const TO = FROM + 7 * DAY_MS;

let seq = 0;
function rec(
  app: string,
  result: DeployResult,
  atHours: number,
  extra: Partial<DeployRecord> = {},
): DeployRecord {
  seq++;
  return {
    id: `c${seq}:${result}`,
    cardId: `c${seq}`,
    instance: 'default',
    environment: 'prod',
    app,
    revision: `sha${seq}`,
    result,
    at: FROM + atHours * H,
    ...extra,
  };
}

describe('percentile (nearest rank)', () => {
  it.each([
    [[1], 0.5, 1],
    [[1, 2], 0.5, 1],
    [[1, 2, 3], 0.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9, 10],
    [[], 0.5, 0],
  ])('%j at %s is %s', (values, q, expected) => {
    expect(percentile(values, q)).toBe(expected);
  });
});

describe('computeDeliveryStats', () => {
  const cases: {
    name: string;
    records: DeployRecord[];
    expected: Partial<ReturnType<typeof computeDeliveryStats>>;
  }[] = [
    {
      name: 'nothing recorded',
      records: [],
      expected: {
        deploys: 0,
        perDay: 0,
        leadTime: undefined,
        changeFailure: { failed: 0, deploys: 0, rate: undefined },
        timeToRestore: undefined,
        openFailures: 0,
        approvalWait: undefined,
      },
    },
    {
      name: 'three clean deploys: lead time and approval wait from their times',
      records: [
        rec('api', 'succeeded', 10, {
          firstCommitAt: FROM + 8 * H,
          postedAt: FROM + 9 * H,
          approvedAt: FROM + 9.5 * H,
        }),
        rec('api', 'succeeded', 30, {
          firstCommitAt: FROM + 20 * H,
          postedAt: FROM + 26 * H,
          approvedAt: FROM + 28 * H,
        }),
        rec('web', 'succeeded', 50, { firstCommitAt: FROM + 46 * H }),
      ],
      expected: {
        deploys: 3,
        perDay: 3 / 7,
        daily: [1, 1, 1, 0, 0, 0, 0],
        leadTime: { samples: 3, medianMs: 4 * H, p90Ms: 10 * H },
        approvalWait: { samples: 2, medianMs: 0.5 * H, p90Ms: 2 * H },
        changeFailure: { failed: 0, deploys: 3, rate: 0 },
        openFailures: 0,
      },
    },
    {
      name: 'a rollback and a failed sync make two of four deploys failures; restore runs to the next deploy',
      records: [
        rec('api', 'succeeded', 1),
        rec('api', 'rolled-back', 2),
        rec('api', 'succeeded', 5),
        rec('api', 'failed', 6),
        rec('api', 'failed', 7),
        rec('api', 'succeeded', 9),
        rec('web', 'succeeded', 3),
      ],
      expected: {
        deploys: 4,
        changeFailure: { failed: 2, deploys: 4, rate: 0.5 },
        // 2h → 5h = 3h; the first of two failures (6h) → 9h = 3h
        timeToRestore: { samples: 2, medianMs: 3 * H, p90Ms: 3 * H, open: 0 },
        openFailures: 0,
      },
    },
    {
      name: 'a revert not followed by a deploy is an open failure; other environments and apps are their own lines',
      records: [
        rec('api', 'succeeded', 1),
        rec('api', 'reverted', 2),
        rec('api', 'succeeded', 3, { environment: 'dev' }),
        rec('api', 'failed', 4, { instance: 'eu' }),
      ],
      expected: {
        deploys: 2,
        changeFailure: { failed: 1, deploys: 2, rate: 0.5 },
        timeToRestore: undefined,
        openFailures: 2,
      },
    },
    {
      name: 'records outside the period do not count, but a deploy before it is not a failure of the period',
      records: [
        rec('api', 'succeeded', -30),
        rec('api', 'failed', -20),
        rec('api', 'succeeded', 2),
        rec('api', 'succeeded', 8 * 24),
      ],
      expected: {
        deploys: 1,
        changeFailure: { failed: 0, deploys: 1, rate: 0 },
        timeToRestore: undefined,
        openFailures: 0,
      },
    },
  ];
  it.each(cases)('$name', ({ records, expected }) => {
    expect(computeDeliveryStats(records, { from: FROM, to: TO })).toMatchObject(expected);
  });

  it('takes a lead time only when the first commit is before the deploy', () => {
    const stats = computeDeliveryStats([rec('api', 'succeeded', 1, { firstCommitAt: FROM + 5 * H })], {
      from: FROM,
      to: TO,
    });
    expect(stats.leadTime).toBeUndefined();
  });
});

describe('restoreTimeMs', () => {
  it('runs from the first unrestored failure of the same app', () => {
    const deploy = rec('api', 'succeeded', 10);
    const history = [
      rec('api', 'succeeded', 1),
      rec('api', 'failed', 4),
      rec('api', 'rolled-back', 5),
      rec('web', 'failed', 2),
    ];
    expect(restoreTimeMs(history, deploy)).toBe(6 * H);
    expect(restoreTimeMs([rec('api', 'failed', 1), rec('api', 'succeeded', 2)], deploy)).toBeUndefined();
  });
});
