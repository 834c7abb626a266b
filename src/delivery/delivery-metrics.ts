/**
 * Prometheus metrics of deploys, on the /metrics registry. Label cardinality is bounded: `instance` and
 * `environment` come from configuration, `app` from the Argo CD apps the policy matches, and at most
 * MAX_APP_LABELS distinct app names get their own series per process (later ones are counted as `app="other"`).
 * The histograms carry no `app` label at all.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeployRecord } from '../domain/deploy-record.js';

const MAX_APP_LABELS = 500;

/** Minutes to weeks: lead times run from minutes (a hotfix) to days (a change waiting for a release). */
const DURATION_BUCKETS_SECONDS = [
  60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 345_600, 604_800, 1_209_600,
];

export interface DeliveryMetrics {
  /** Counts a recorded outcome; `restoreSeconds` for a deploy that ended a failure of its app. */
  observe(record: DeployRecord, restoreSeconds?: number): void;
}

export function createDeliveryMetrics(registry: Registry): DeliveryMetrics {
  const deploys = new Counter({
    name: 'deploybot_deploys_total',
    help: 'Syncs of deploy cards that ended, by result (succeeded or failed)',
    labelNames: ['instance', 'environment', 'app', 'result'],
    registers: [registry],
  });
  const rollbacks = new Counter({
    name: 'deploybot_rollbacks_total',
    help: 'Deploys undone: Argo CD rollbacks (kind="rollback") and revert pull requests (kind="revert")',
    labelNames: ['instance', 'environment', 'app', 'kind'],
    registers: [registry],
  });
  const leadTime = new Histogram({
    name: 'deploybot_lead_time_seconds',
    help: "Lead time for changes: author date of the change's oldest commit to deploy succeeded",
    labelNames: ['instance', 'environment'],
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const approvalWait = new Histogram({
    name: 'deploybot_approval_wait_seconds',
    help: 'Deploy card posted to approved',
    labelNames: ['instance', 'environment'],
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const timeToRestore = new Histogram({
    name: 'deploybot_time_to_restore_seconds',
    help: 'First failure (failed sync, rollback, revert) of an app to its next successful deploy',
    labelNames: ['instance', 'environment'],
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const apps = new Set<string>();
  const appLabel = (app: string) => {
    if (apps.has(app)) return app;
    if (apps.size >= MAX_APP_LABELS) return 'other';
    apps.add(app);
    return app;
  };
  return {
    observe(record, restoreSeconds) {
      const where = { instance: record.instance, environment: record.environment };
      const app = appLabel(record.app);
      if (record.result === 'succeeded' || record.result === 'failed')
        deploys.inc({ ...where, app, result: record.result });
      if (record.result === 'rolled-back') rollbacks.inc({ ...where, app, kind: 'rollback' });
      if (record.result === 'reverted') rollbacks.inc({ ...where, app, kind: 'revert' });
      if (record.result !== 'succeeded') return;
      if (record.firstCommitAt !== undefined && record.firstCommitAt <= record.at)
        leadTime.observe(where, (record.at - record.firstCommitAt) / 1000);
      if (
        record.postedAt !== undefined &&
        record.approvedAt !== undefined &&
        record.approvedAt >= record.postedAt
      )
        approvalWait.observe(where, (record.approvedAt - record.postedAt) / 1000);
      if (restoreSeconds !== undefined) timeToRestore.observe(where, restoreSeconds);
    },
  };
}
