import { describe, expect, it } from 'vitest';
import { demoDeliveryHistory } from '../../sandbox/demo/seed-delivery-history.js';
import { computeDeliveryStats, DAY_MS } from '../../src/domain/delivery-stats.js';

describe('the demo history', () => {
  it('gives prod a month of deploys, a rollback and a failed sync that stats report', () => {
    const now = Date.UTC(2026, 5, 1);
    const records = demoDeliveryHistory(now);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    const prod = computeDeliveryStats(
      records.filter((r) => r.environment === 'prod'),
      { from: now - 30 * DAY_MS, to: now },
    );
    expect(prod.deploys).toBeGreaterThan(15);
    expect(prod.changeFailure.failed).toBe(2);
    expect(prod.timeToRestore?.samples).toBe(2);
    expect(prod.leadTime?.samples).toBe(prod.deploys);
    expect(prod.approvalWait?.samples).toBe(15);
  });
});
