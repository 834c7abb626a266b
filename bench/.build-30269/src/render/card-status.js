/** The one-paragraph status of a card and its top-level fallback text, per state. */
import { shortSha } from '../domain/card.js';
import { formatApprovals, formatDeployTitle, formatInitiator, formatOperationDuration, formatRollbackTarget, formatShaLink, formatTimeout, } from './card-format.js';
import { truncate } from './limits.js';
import { code, escapeMrkdwn, link, mentionUser, oneLine, slackDate } from './mrkdwn.js';
const MESSAGE_MAX = 600;
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function quote(text) {
    return text ? `\n> ${escapeMrkdwn(truncate(oneLine(text), MESSAGE_MAX))}` : '';
}
function supersededBy(ctx) {
    const sha = ctx.supersededByRevision ? code(shortSha(ctx.supersededByRevision)) : 'a newer revision';
    const newer = ctx.supersededPermalink ? ` — ${link(ctx.supersededPermalink, 'see the newer card')}` : '';
    return `${sha}${newer}`;
}
function expiredAfter(card, ctx) {
    return ctx.expiresAt !== undefined ? ` after ${formatTimeout(ctx.expiresAt - card.createdAt)}` : '';
}
function healthText(card) {
    return card.health ? ` · health *${escapeMrkdwn(card.health)}*` : '';
}
function tookText(card, now) {
    const took = formatOperationDuration(card, now);
    return took ? ` · took ${took}` : '';
}
function stateLine(card, ctx) {
    const sha = formatShaLink(card, ctx, card.revision);
    const auto = card.kind === 'info';
    switch (card.state) {
        case 'pending':
            return `*Waiting for approval* to sync ${sha} · needs ${plural(Math.max(card.requiredApprovals, 1), 'approval')}`;
        case 'approved': {
            const missing = Math.max(card.requiredApprovals - card.approvals.length, 0);
            return `*Approved* ${formatApprovals(card)} · waiting for ${plural(missing, 'more approval')}`;
        }
        case 'syncing': {
            const running = formatOperationDuration(card, ctx.now);
            const by = auto ? 'auto-sync' : `started by ${formatInitiator(card)}`;
            return `*Syncing* ${sha} · ${by}${running ? ` · running for ${running}` : ''}${quote(card.operation?.message)}`;
        }
        case 'succeeded':
            return `*Deployed* ${sha}${healthText(card)}${tookText(card, ctx.now)} · by ${formatInitiator(card)}`;
        case 'failed':
            return `*Sync failed* for ${sha}${tookText(card, ctx.now)}${quote(card.operation?.message ?? 'Argo CD gave no message')}`;
        case 'degraded':
            return `*Deployed but degraded* ${sha}${healthText(card)} · by ${formatInitiator(card)}${quote(card.operation?.message)}`;
        case 'rejected': {
            const rejection = card.rejection;
            if (!rejection)
                return '*Rejected*';
            return `*Rejected* by ${mentionUser(rejection.user)} ${slackDate(rejection.at)}${quote(rejection.reason)}`;
        }
        case 'superseded':
            return `*Superseded* by ${supersededBy(ctx)}. Approve the newer card instead.`;
        case 'expired':
            return `*Expired*${expiredAfter(card, ctx)} without enough approvals (${formatApprovals(card)}).`;
        case 'rolling-back': {
            const by = card.rollback ? ` · started by ${mentionUser(card.rollback.user)}` : '';
            return `*Rolling back* to ${formatRollbackTarget(card, ctx)}${by}${quote(card.operation?.message)}`;
        }
        case 'rolled-back': {
            const by = card.rollback ? ` by ${mentionUser(card.rollback.user)}` : '';
            return `*Rolled back*${by} to ${formatRollbackTarget(card, ctx)}`;
        }
    }
}
/** The card's status paragraph, with the revert PR when one was opened. */
export function renderStatusText(card, ctx) {
    const revert = card.revertPr
        ? `\n↩️ Revert PR ${link(card.revertPr.url, `#${card.revertPr.number}`)} opened by ${mentionUser(card.revertPr.user)}`
        : '';
    return `${stateLine(card, ctx)}${revert}`;
}
function fallbackPhrase(card, ctx) {
    switch (card.state) {
        case 'pending':
            return 'is waiting for approval';
        case 'approved':
            return `has ${card.approvals.length} of ${Math.max(card.requiredApprovals, 1)} approvals`;
        case 'syncing':
            return 'is syncing';
        case 'succeeded':
            return card.kind === 'info' ? 'was deployed by auto-sync' : 'was deployed';
        case 'failed':
            return `failed to sync${card.operation?.message ? `: ${escapeMrkdwn(truncate(oneLine(card.operation.message), 300))}` : ''}`;
        case 'degraded':
            return `is degraded${card.health ? ` (health ${escapeMrkdwn(card.health)})` : ''}`;
        case 'rejected':
            return card.rejection
                ? `was rejected by ${mentionUser(card.rejection.user)}: ${escapeMrkdwn(truncate(oneLine(card.rejection.reason), 300))}`
                : 'was rejected';
        case 'superseded':
            return `was superseded by ${ctx.supersededByRevision ? shortSha(ctx.supersededByRevision) : 'a newer revision'}`;
        case 'expired':
            return 'expired without approval';
        case 'rolling-back':
            return `is being rolled back${card.rollback ? ` by ${mentionUser(card.rollback.user)}` : ''}`;
        case 'rolled-back':
            return `was rolled back${card.rollback ? ` by ${mentionUser(card.rollback.user)}` : ''}`;
    }
}
/** Top-level `text`: what notifications and screen readers get, e.g. "app a1b2c3d → prod is waiting for approval". */
export function renderFallbackText(card, ctx) {
    const notice = card.notice ? ` (${escapeMrkdwn(truncate(oneLine(card.notice), 300))})` : '';
    return `${formatDeployTitle(card)} ${fallbackPhrase(card, ctx)}${notice}`;
}
