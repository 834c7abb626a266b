/** Small pieces of card text shared by the card's blocks, its fallback text and its thread notes. */
import { formatDuration } from '../config/duration.js';
import { appLabel } from '../domain/app-label.js';
import { type Card, type CardState, shortSha } from '../domain/card.js';
import type { CardRenderContext } from './card-context.js';
import { buildCommitUrl } from './links.js';
import { code, escapeMrkdwn, link, mentionUsers } from './mrkdwn.js';

export const STATE_EMOJI: Record<CardState, string> = {
  pending: '🟡',
  approved: '👍',
  syncing: '🔄',
  succeeded: '✅',
  failed: '❌',
  degraded: '⚠️',
  rejected: '🚫',
  superseded: '⏭️',
  expired: '⌛',
  'rolling-back': '⏪',
  'rolled-back': '↩️',
};

/** A short SHA linked to its commit when the repository is known, else inline code. */
export function formatShaLink(
  card: Pick<Card, 'repo'>,
  ctx: Pick<CardRenderContext, 'githubWebUrl'>,
  sha: string,
) {
  const url = buildCommitUrl(ctx.githubWebUrl, card.repo, sha);
  return url ? link(url, shortSha(sha)) : code(shortSha(sha));
}

/** "1 of 2: <@U1>" — the approvals counted against the environment's requirement. */
export function formatApprovals(card: Pick<Card, 'approvals' | 'requiredApprovals'>): string {
  const count = `${card.approvals.length} of ${Math.max(card.requiredApprovals, 1)}`;
  return card.approvals.length > 0 ? `${count}: ${mentionUsers(card.approvals.map((a) => a.user))}` : count;
}

function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** How long the operation took, or has been running at `now`. */
export function formatOperationDuration(card: Pick<Card, 'operation'>, now: number): string | undefined {
  const started = parseTime(card.operation?.startedAt);
  if (started === undefined) return undefined;
  const finished = parseTime(card.operation?.finishedAt) ?? now;
  return formatDuration(Math.max(0, finished - started));
}

/** Who set the deploy going: the approvers, else Argo CD's initiator (auto-sync or a UI user). */
export function formatInitiator(card: Pick<Card, 'approvals' | 'operation' | 'autoSync'>): string {
  if (card.approvals.length > 0) return mentionUsers(card.approvals.map((a) => a.user));
  if (card.operation?.automated || card.autoSync) return 'auto-sync';
  if (card.operation?.initiatedBy) return escapeMrkdwn(card.operation.initiatedBy);
  return 'unknown';
}

/** The rollback target as precisely as we know it. */
export function formatRollbackTarget(card: Card, ctx: Pick<CardRenderContext, 'githubWebUrl'>): string {
  const rollback = card.rollback;
  const revision = rollback?.revision ?? card.from?.sha;
  const sha = revision ? formatShaLink(card, ctx, revision) : undefined;
  const history = rollback?.historyId ?? card.previousHistoryId;
  if (sha && history !== undefined) return `${sha} (history ${history})`;
  if (sha) return sha;
  if (history !== undefined) return `history entry ${history}`;
  return 'the previous deployment';
}

/** "event-ingestion-prod a1b2c3d → prod": the subject of every fallback text. */
export function formatDeployTitle(card: Pick<Card, 'app' | 'revision' | 'environment'>): string {
  return `${escapeMrkdwn(appLabel(card.app))} ${shortSha(card.revision)} → ${escapeMrkdwn(card.environment)}`;
}

const HOUR_MS = 3_600_000;

/** Timeouts as operators write them in the policy ("24h", not "1d") when they are whole hours under three days. */
export function formatTimeout(ms: number): string {
  return ms > 0 && ms % HOUR_MS === 0 && ms < 72 * HOUR_MS ? `${ms / HOUR_MS}h` : formatDuration(ms);
}
