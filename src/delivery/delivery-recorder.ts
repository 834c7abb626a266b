/**
 * Turns card transitions into deploy records (once each, whichever replica made the transition) and
 * counts them in the metrics. A deploy that ends a failure of its app also reports its time to restore.
 */
import { restoreTimeMs } from '../domain/delivery-stats.js';
import { type CardChange, type DeployRecord, deployRecordsFor } from '../domain/deploy-record.js';
import type { Logger } from '../logging/create-logger.js';
import type { DeliveryMetrics } from './delivery-metrics.js';
import { DEPLOY_RECORD_RETENTION_MS, type DeployRecordStore } from './deploy-records.js';

export interface DeliveryRecorderDeps {
  records: DeployRecordStore;
  metrics: DeliveryMetrics;
  logger: Logger;
  now: () => number;
}

export class DeliveryRecorder {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: DeliveryRecorderDeps) {}

  onTransition(change: CardChange): void {
    const records = deployRecordsFor(change, this.deps.now());
    if (records.length === 0) return;
    const work = this.record(records).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, cardId: change.after.id }, 'deploy record not stored'),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  async record(records: readonly DeployRecord[]): Promise<void> {
    for (const record of records) {
      // Read before the write, so the deploy is not among its own history.
      const restoreMs =
        record.result === 'succeeded' ? await this.restoreTime(record).catch(() => undefined) : undefined;
      if (!(await this.deps.records.add(record))) continue;
      this.deps.metrics.observe(record, restoreMs === undefined ? undefined : restoreMs / 1000);
    }
  }

  private async restoreTime(deploy: DeployRecord): Promise<number | undefined> {
    const history = await this.deps.records.read(
      [deploy.environment],
      deploy.at - DEPLOY_RECORD_RETENTION_MS,
      deploy.at,
    );
    return restoreTimeMs(history, deploy);
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
