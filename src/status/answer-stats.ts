/**
 * `/deploy-status stats [env | app-glob] [7d | 30d | 90d]`: reads the environments' deploy records (the
 * whole 90 days kept, so a failure just before the period is known when its restore falls inside) and
 * answers per environment, or per app for a pattern. An unknown environment or a pattern that names no
 * recorded app gets the usage answer.
 */
import type { Policy } from '../config/policy-schema.js';
import { computeDeliveryStats, DAY_MS } from '../domain/delivery-stats.js';
import type { DeployRecord } from '../domain/deploy-record.js';
import { compileNamePattern } from '../domain/name-pattern.js';
import type { SlackMessage } from '../render/block-kit.js';
import { renderStatusHelp } from '../render/status-help.js';
import { renderStatsAnswer, type StatsLine } from '../render/status-stats.js';
import type { StatsPeriodDays } from './status-query.js';

/** How far back the records go (their retention). */
const STATS_HISTORY_DAYS = 90;

export interface StatsDeps {
  records: { read(environments: readonly string[], from: number, to: number): Promise<DeployRecord[]> };
  policy: Pick<Policy, 'environments'>;
  now: () => number;
}

export async function answerStats(
  deps: StatsDeps,
  query: { target?: string; periodDays: StatsPeriodDays },
): Promise<SlackMessage> {
  const now = deps.now();
  const period = { from: now - query.periodDays * DAY_MS, to: now };
  const environments = Object.keys(deps.policy.environments);
  const target = query.target;
  const isEnvironment = target !== undefined && environments.includes(target);
  const read = isEnvironment ? [target] : environments;
  const records = await deps.records.read(read, now - STATS_HISTORY_DAYS * DAY_MS, now);
  if (target === undefined || isEnvironment) {
    const lines: StatsLine[] = read.map((environment) => ({
      label: environment,
      stats: computeDeliveryStats(
        records.filter((r) => r.environment === environment),
        period,
      ),
    }));
    return renderStatsAnswer({
      scope: target ?? 'all environments',
      periodDays: query.periodDays,
      lines,
    });
  }
  const matches = compileNamePattern(target);
  const byApp = new Map<string, DeployRecord[]>();
  for (const record of records) {
    if (!matches(record.app)) continue;
    const label = `${record.instance === 'default' ? '' : `${record.instance}/`}${record.app}${
      environments.length > 1 ? ` (${record.environment})` : ''
    }`;
    byApp.set(label, [...(byApp.get(label) ?? []), record]);
  }
  if (byApp.size === 0)
    return renderStatusHelp(
      `\`${target}\` is neither an environment (${environments.join(', ') || 'none defined'}) nor a pattern matching an app with deploys recorded in the last ${STATS_HISTORY_DAYS} days.`,
    );
  const lines = [...byApp]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([label, list]) => ({ label, stats: computeDeliveryStats(list, period) }));
  return renderStatsAnswer({ scope: target, periodDays: query.periodDays, lines });
}
