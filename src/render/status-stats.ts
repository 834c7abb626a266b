/** The `/deploy-status stats` answer: per environment (or per app) the DORA measures and approval wait. */
import { formatDuration } from '../config/duration.js';
import type { DeliveryStats, Distribution } from '../domain/delivery-stats.js';
import { type Block, buildMessage, context, header, type SlackMessage, section } from './block-kit.js';
import { LIMITS, truncate } from './limits.js';
import { escapeMrkdwn } from './mrkdwn.js';

export interface StatsLine {
  /** An environment name, or an app name when the question named apps. */
  label: string;
  stats: DeliveryStats;
}

export interface StatsAnswerInput {
  /** What was asked, for the header: `all environments`, `prod`, `event-*`. */
  scope: string;
  periodDays: number;
  lines: readonly StatsLine[];
}

/** Sections shown; a long list of apps is cut here and counted (header, note and context take the rest). */
export const STATS_LINES_SHOWN = 40;

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Deploys per day as a text sparkline: ▁ for none, then seven heights up to the busiest day. */
export function sparkline(daily: readonly number[]): string {
  const max = Math.max(0, ...daily);
  return daily
    .map((n) => (n <= 0 || max === 0 ? BARS[0] : BARS[Math.max(1, Math.round((n / max) * 7))]))
    .join('');
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
const median = (d: Distribution | undefined) => (d ? formatDuration(d.medianMs) : 'n/a');

function describe({ label, stats }: StatsLine): string {
  const perDay = stats.perDay >= 10 ? stats.perDay.toFixed(0) : stats.perDay.toFixed(1);
  const lines = [
    `*${escapeMrkdwn(label)}* — ${stats.deploys} deploy${stats.deploys === 1 ? '' : 's'} (${perDay}/day)`,
  ];
  if (stats.deploys > 0) lines.push(`\`${sparkline(stats.daily)}\``);
  lines.push(
    stats.leadTime
      ? `Lead time for changes: median ${median(stats.leadTime)} · p90 ${formatDuration(stats.leadTime.p90Ms)} (${stats.leadTime.samples} deploys)`
      : 'Lead time for changes: n/a (no commit times recorded)',
  );
  const cf = stats.changeFailure;
  lines.push(
    cf.rate === undefined
      ? 'Change failure rate: n/a (no deploys)'
      : `Change failure rate: ${percent(cf.rate)} (${cf.failed} of ${cf.deploys})`,
  );
  const open = stats.openFailures > 0 ? `, ${stats.openFailures} not restored yet` : '';
  lines.push(
    stats.timeToRestore
      ? `Time to restore: median ${median(stats.timeToRestore)} (${stats.timeToRestore.samples} restored${open})`
      : `Time to restore: n/a (nothing restored${open})`,
  );
  lines.push(`Approval wait: median ${median(stats.approvalWait)}`);
  return lines.join('\n');
}

export function renderStatsAnswer(input: StatsAnswerInput): SlackMessage {
  const title = `Delivery stats: ${input.scope}, last ${input.periodDays} days`;
  const shown = input.lines.slice(0, STATS_LINES_SHOWN);
  const hidden = input.lines.length - shown.length;
  const blocks: Block[] = [
    header('stats_header', truncate(title, LIMITS.headerText)),
    ...shown.map((line, i) => section(`stats_line_${i}`, describe(line))),
  ];
  if (input.lines.length === 0) blocks.push(section('stats_empty', 'No deploys recorded in this period.'));
  const notes = [
    'Deploys are successful syncs of deploy cards (rollbacks are not deploys); lead time starts at the author date of the change’s oldest commit.',
  ];
  if (hidden > 0) notes.unshift(`…and ${hidden} more; narrow the pattern to see them.`);
  blocks.push(context('stats_notes', notes));
  const summary = shown
    .slice(0, 10)
    .map((l) => `${l.label}: ${l.stats.deploys} deploys`)
    .join(', ');
  return buildMessage(escapeMrkdwn(`${title}${summary ? ` — ${summary}` : ''}`), blocks);
}
