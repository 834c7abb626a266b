/** Per-environment totals shown when the apps do not fit on one answer. */
import type { EnvironmentCount } from '../domain/status-row.js';
import { PROBLEM_ORDER } from '../domain/status-row.js';
import { joinCapped, LIMITS, truncate } from './limits.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { PROBLEM_LABEL } from './status-app-section.js';

const ENVIRONMENTS_SHOWN = 30;

function formatCount(count: EnvironmentCount): string {
  const parts = [
    `*${escapeMrkdwn(truncate(count.environment, 60))}* — ${count.total.toLocaleString('en-US')} app${count.total === 1 ? '' : 's'}`,
  ];
  const problems = PROBLEM_ORDER.filter((p) => (count.problems[p] ?? 0) > 0).map(
    (p) => `${PROBLEM_LABEL[p].emoji} ${count.problems[p]} ${PROBLEM_LABEL[p].label}`,
  );
  parts.push(...(problems.length > 0 ? problems : ['all fine']));
  return parts.join(' · ');
}

/** Environments needing attention come first (the input is already ordered so). */
export function formatEnvironmentCounts(counts: readonly EnvironmentCount[]): string {
  const title = '*By environment* (problems first)';
  const body = joinCapped(counts.map(formatCount), {
    maxChars: LIMITS.sectionText - title.length - 1,
    maxItems: ENVIRONMENTS_SHOWN,
    moreLabel: (n) => `_and ${n} more environment${n === 1 ? '' : 's'}_`,
  });
  return `${title}\n${body}`;
}
