/** Small pieces of card text shared by the card's blocks, its fallback text and its thread notes. */
import { formatDuration } from '../config/duration.js';
import { shortSha } from '../domain/card.js';
import { buildCommitUrl } from './links.js';
import { code, escapeMrkdwn, link, mentionUsers } from './mrkdwn.js';
export const STATE_EMOJI = {
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
export function formatShaLink(card, ctx, sha) {
    const url = buildCommitUrl(ctx.githubWebUrl, card.repo, sha);
    return url ? link(url, shortSha(sha)) : code(shortSha(sha));
}
/** "1 of 2: <@U1>" — the approvals counted against the environment's requirement. */
export function formatApprovals(card) {
    const count = `${card.approvals.length} of ${Math.max(card.requiredApprovals, 1)}`;
    return card.approvals.length > 0 ? `${count}: ${mentionUsers(card.approvals.map((a) => a.user))}` : count;
}
function parseTime(iso) {
    if (!iso)
        return undefined;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : ms;
}
/** How long the operation took, or has been running at `now`. */
export function formatOperationDuration(card, now) {
    const started = parseTime(card.operation?.startedAt);
    if (started === undefined)
        return undefined;
    const finished = parseTime(card.operation?.finishedAt) ?? now;
    return formatDuration(Math.max(0, finished - started));
}
/** Who set the deploy going: the approvers, else Argo CD's initiator (auto-sync or a UI user). */
export function formatInitiator(card) {
    if (card.approvals.length > 0)
        return mentionUsers(card.approvals.map((a) => a.user));
    if (card.operation?.automated || card.autoSync)
        return 'auto-sync';
    if (card.operation?.initiatedBy)
        return escapeMrkdwn(card.operation.initiatedBy);
    return 'unknown';
}
/** The rollback target as precisely as we know it. */
export function formatRollbackTarget(card, ctx) {
    const rollback = card.rollback;
    const revision = rollback?.revision ?? card.from?.sha;
    const sha = revision ? formatShaLink(card, ctx, revision) : undefined;
    const history = rollback?.historyId ?? card.previousHistoryId;
    if (sha && history !== undefined)
        return `${sha} (history ${history})`;
    if (sha)
        return sha;
    if (history !== undefined)
        return `history entry ${history}`;
    return 'the previous deployment';
}
/** "event-ingestion-prod a1b2c3d → prod": the subject of every fallback text. */
export function formatDeployTitle(card) {
    return `${escapeMrkdwn(card.app.name)} ${shortSha(card.revision)} → ${escapeMrkdwn(card.environment)}`;
}
const HOUR_MS = 3_600_000;
/** Timeouts as operators write them in the policy ("24h", not "1d") when they are whole hours under three days. */
export function formatTimeout(ms) {
    return ms > 0 && ms % HOUR_MS === 0 && ms < 72 * HOUR_MS ? `${ms / HOUR_MS}h` : formatDuration(ms);
}
