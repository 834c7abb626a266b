/**
 * The `/deploy-status` answer: one page of applications (problems first), per-environment counts when
 * they do not all fit, and a **Next** button. Any number of apps stays within Block Kit's limits.
 */

import { appLabel } from '../domain/app-label.js';
import type { EnvironmentCount, StatusRowDetail } from '../domain/status-row.js';
import { ATTENTION } from '../domain/status-row.js';
import {
  actions,
  type Block,
  buildMessage,
  button,
  context,
  header,
  type SlackMessage,
  section,
} from './block-kit.js';
import { ACTION_IDS } from './ids.js';
import { LIMITS, truncate } from './limits.js';
import { escapeMrkdwn, slackDate } from './mrkdwn.js';
import { formatStatusApp, PROBLEM_LABEL } from './status-app-section.js';
import { formatEnvironmentCounts } from './status-counts.js';

/** Rows per answer: with header, counts, freezes, footer and button the message stays far below 50 blocks. */
export const STATUS_PAGE_SIZE = 20;

export interface ActiveFreezeView {
  environment: string;
  reason: string;
  endsAt: number;
}

export interface StatusAnswerInput {
  /** What was asked, as typed ('' for everything). */
  query: string;
  rows: readonly StatusRowDetail[];
  total: number;
  offset: number;
  /** Shown when the apps do not fit on one answer. */
  counts?: readonly EnvironmentCount[];
  freezes: readonly ActiveFreezeView[];
  /** The Next button's value; absent on the last page. */
  nextValue?: string;
  /** Things the answer left out on purpose, said plainly. */
  notes: readonly string[];
  argoUiUrl: string;
  /** Per-instance UI bases when there are several instances; `argoUiUrl` serves an instance not listed. */
  argoUiUrls?: Readonly<Record<string, string>>;
  githubWebUrl?: string;
  now: number;
}

const PROBLEMS_IN_TEXT = 10;

function formatRange(input: StatusAnswerInput): string {
  if (input.total === 0) return 'No apps';
  const first = input.offset + 1;
  const last = input.offset + input.rows.length;
  const total = input.total.toLocaleString('en-US');
  return first === 1 && last === input.total
    ? `${total} app${input.total === 1 ? '' : 's'}`
    : `Apps ${first}–${last} of ${total}`;
}

function fallbackText(input: StatusAnswerInput, title: string): string {
  const attention = input.counts
    ? input.counts.reduce((sum, c) => sum + c.attention, 0)
    : input.rows.filter((r) => r.problem && ATTENTION.has(r.problem)).length;
  const problems = input.rows
    .filter((r) => r.problem && ATTENTION.has(r.problem))
    .slice(0, PROBLEMS_IN_TEXT)
    .map(
      (r) => `${escapeMrkdwn(truncate(appLabel(r.app), 80))} ${PROBLEM_LABEL[r.problem ?? 'unknown'].label}`,
    );
  const needs = attention > 0 ? `, ${attention} need${attention === 1 ? 's' : ''} attention` : ', all fine';
  const listed = problems.length > 0 ? ` (${problems.join(', ')})` : '';
  const total = `${input.total.toLocaleString('en-US')} app${input.total === 1 ? '' : 's'}`;
  const more = input.nextValue ? ` ${formatRange(input)}; press Next for more.` : '';
  return `${title}: ${total}${input.total > 0 ? needs : ''}${listed}.${more}`;
}

export function renderStatusAnswer(input: StatusAnswerInput): SlackMessage {
  const title = input.query ? `Deploy status: ${input.query}` : 'Deploy status';
  const blocks: Block[] = [header('status_header', truncate(title, LIMITS.headerText))];
  if (input.counts && input.counts.length > 0)
    blocks.push(section('status_counts', formatEnvironmentCounts(input.counts)));
  const freezes = input.freezes.map(
    (f) =>
      `🧊 *${escapeMrkdwn(truncate(f.environment, 60))}* frozen: ${escapeMrkdwn(truncate(f.reason, 200))} until ${slackDate(f.endsAt)}`,
  );
  if (freezes.length > 0) blocks.push(context('status_freezes', freezes));
  const frozenBy = new Map(input.freezes.map((f) => [f.environment, f]));
  for (const [i, row] of input.rows.slice(0, STATUS_PAGE_SIZE).entries()) {
    const text = formatStatusApp(row, {
      argoUiUrl: input.argoUiUrls?.[row.app.instance] ?? input.argoUiUrl,
      githubWebUrl: input.githubWebUrl,
      frozen: frozenBy.get(row.environment),
    });
    blocks.push(section(`status_app_${input.offset + i}`, text));
  }
  if (input.total === 0)
    blocks.push(
      section(
        'status_empty',
        input.query
          ? `No applications match \`${escapeMrkdwn(truncate(input.query, 200))}\`. Try \`/deploy-status help\`.`
          : 'No applications are covered by the policy file’s `apps` rules.',
      ),
    );
  const footer = [`${formatRange(input)} · problems first · as of ${slackDate(input.now)}`];
  if (!input.nextValue && input.offset > 0) footer.push('End of the list.');
  footer.push(...input.notes.map((n) => escapeMrkdwn(truncate(n, 500))));
  blocks.push(context('status_footer', footer));
  if (input.nextValue) {
    const remaining = input.total - input.offset - input.rows.length;
    blocks.push(
      actions('status_paging', [
        button({
          actionId: ACTION_IDS.statusNextPage,
          text: `Next ${Math.min(remaining, STATUS_PAGE_SIZE)} of ${remaining.toLocaleString('en-US')} more`,
          value: input.nextValue,
        }),
      ]),
    );
  }
  return buildMessage(fallbackText(input, title), blocks);
}
