/**
 * Delivery performance (the four DORA measures and approval wait) from deploy records. Pure.
 *
 * - deploys: `succeeded` records in the period (rollbacks are not deploys), and per day.
 * - lead time for changes: deployed at − author date of the change's oldest commit; median and p90.
 * - change failure rate: deploys whose next outcome for the same app in the same environment (before its
 *   next deploy) is a rollback, a revert or a failed sync, over all deploys.
 * - time to restore: from the first failure (failed sync, rollback, revert) after a deploy to the app's next
 *   deploy in that environment; median. A failure not restored yet is counted as `open`.
 * - approval wait: approved at − card posted at (approval cards); median.
 *
 * Percentiles are nearest-rank: the smallest sample with at least that share of samples at or below it.
 */
import type { DeployRecord } from './deploy-record.js';

export const DAY_MS = 86_400_000;

export interface Distribution {
  samples: number;
  medianMs: number;
  p90Ms: number;
}

export interface DeliveryStats {
  deploys: number;
  /** Deploys per day over the period. */
  perDay: number;
  /** Deploys on each day of the period, oldest first. */
  daily: number[];
  leadTime?: Distribution;
  changeFailure: { failed: number; deploys: number; rate?: number };
  timeToRestore?: Distribution & { open: number };
  /** Failures not restored by the end of the period (also when no restore at all is known). */
  openFailures: number;
  approvalWait?: Distribution;
}

export interface StatsPeriod {
  from: number;
  to: number;
}

/** Nearest-rank percentile of sorted values (q in (0, 1]). */
export function percentile(sorted: readonly number[], q: number): number {
  const index = Math.max(0, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.min(index, sorted.length - 1)] ?? 0;
}

function distribution(values: number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { samples: sorted.length, medianMs: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) };
}

const appKey = (r: DeployRecord) => `${r.instance}\u0000${r.environment}\u0000${r.app}`;
const isFailure = (r: DeployRecord) => r.result !== 'succeeded';

/** Records by (instance, environment, app), each oldest first. */
function timelines(records: readonly DeployRecord[]): DeployRecord[][] {
  const byApp = new Map<string, DeployRecord[]>();
  for (const record of records) {
    const list = byApp.get(appKey(record)) ?? [];
    list.push(record);
    byApp.set(appKey(record), list);
  }
  return [...byApp.values()].map((list) => list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)));
}

/**
 * Stats of the records within the period. Records from before it may be passed too: they are looked at
 * only to find what a failure inside the period followed.
 */
export function computeDeliveryStats(records: readonly DeployRecord[], period: StatsPeriod): DeliveryStats {
  const inPeriod = (r: DeployRecord) => r.at >= period.from && r.at <= period.to;
  const days = Math.max(1, Math.ceil((period.to - period.from) / DAY_MS));
  const daily = new Array<number>(days).fill(0);
  const leadTimes: number[] = [];
  const waits: number[] = [];
  const restores: number[] = [];
  let deploys = 0;
  let failed = 0;
  let open = 0;
  for (const timeline of timelines(records)) {
    // The failure that opened the current incident of this app, if it is not restored yet.
    let openSince: number | undefined;
    for (let i = 0; i < timeline.length; i++) {
      const record = timeline[i]!;
      if (isFailure(record)) {
        if (openSince === undefined && inPeriod(record)) openSince = record.at;
        continue;
      }
      if (openSince !== undefined) {
        restores.push(record.at - openSince);
        openSince = undefined;
      }
      if (!inPeriod(record)) continue;
      deploys++;
      daily[Math.min(days - 1, Math.floor((record.at - period.from) / DAY_MS))]!++;
      if (record.firstCommitAt !== undefined && record.firstCommitAt <= record.at)
        leadTimes.push(record.at - record.firstCommitAt);
      if (
        record.postedAt !== undefined &&
        record.approvedAt !== undefined &&
        record.approvedAt >= record.postedAt
      )
        waits.push(record.approvedAt - record.postedAt);
      const next = timeline[i + 1];
      if (next && isFailure(next) && next.at <= period.to) failed++;
    }
    if (openSince !== undefined) open++;
  }
  const ttr = distribution(restores);
  return {
    deploys,
    perDay: deploys / days,
    daily,
    leadTime: distribution(leadTimes),
    changeFailure: { failed, deploys, rate: deploys > 0 ? failed / deploys : undefined },
    timeToRestore: ttr ? { ...ttr, open } : undefined,
    openFailures: open,
    approvalWait: distribution(waits),
  };
}

/** Time to restore of a deploy that is about to be recorded: since the app's first unrestored failure. */
export function restoreTimeMs(history: readonly DeployRecord[], deploy: DeployRecord): number | undefined {
  const key = appKey(deploy);
  let openSince: number | undefined;
  for (const record of [...history].sort((a, b) => a.at - b.at)) {
    if (appKey(record) !== key || record.id === deploy.id || record.at > deploy.at) continue;
    if (isFailure(record)) openSince ??= record.at;
    else openSince = undefined;
  }
  return openSince === undefined ? undefined : deploy.at - openSince;
}
