/** One-line replies in a card's thread: the audit trail of everything that happened to the deploy. */
import { formatDuration } from '../config/duration.js';
import { shortSha } from '../domain/card.js';
import { buildMessage, section } from './block-kit.js';
import { formatChecks } from './card-details.js';
import { formatTimeout } from './card-format.js';
import { truncate, truncateMrkdwn } from './limits.js';
import { code, escapeMrkdwn, link, mentionUser, mentionUsers, oneLine } from './mrkdwn.js';
const MESSAGE_MAX = 500;
function msg(text) {
    return escapeMrkdwn(truncate(oneLine(text), MESSAGE_MAX));
}
function formatTarget(revision, historyId) {
    if (revision && historyId !== undefined)
        return `${code(shortSha(revision))} (history ${historyId})`;
    if (revision)
        return code(shortSha(revision));
    return historyId !== undefined ? `history entry ${historyId}` : 'the previous deployment';
}
function formatRevert(event) {
    if (event.pr) {
        return `↩️ Revert PR ${link(event.pr.url, `#${event.pr.number}`)} opened for ${mentionUser(event.user)}; merge it to deploy the revert`;
    }
    return `❌ Revert in Git failed: ${msg(event.error ?? 'unknown error')}`;
}
function formatNote(event) {
    switch (event.type) {
        case 'approved':
            return `👍 ${mentionUser(event.user)} approved (${event.approvals} of ${Math.max(event.required, 1)})`;
        case 'sync-started': {
            const by = event.approvers.length > 0 ? `approved by ${mentionUsers(event.approvers)}` : 'by auto-sync';
            return `🔄 ${event.retry ? 'Retry: sync' : 'Sync'} of ${code(shortSha(event.revision))} started, ${by}`;
        }
        case 'progress':
            return `⏳ ${event.phase ? `${msg(event.phase)}: ` : ''}${msg(event.message)}`;
        case 'succeeded': {
            const health = event.health ? `, health ${msg(event.health)}` : '';
            const took = event.durationMs !== undefined ? ` in ${formatDuration(event.durationMs)}` : '';
            return `✅ ${code(shortSha(event.revision))} deployed${took}${health}`;
        }
        case 'failed':
            return `❌ Sync of ${code(shortSha(event.revision))} failed: ${msg(event.message ?? 'Argo CD gave no message')}`;
        case 'degraded':
            return `⚠️ Health ${msg(event.health ?? 'Degraded')}${event.message ? `: ${msg(event.message)}` : ''}`;
        case 'rejected':
            return `🚫 Rejected by ${mentionUser(event.user)}: ${msg(event.reason)}`;
        case 'aborted':
            return `🛑 ${mentionUser(event.user)} aborted the sync`;
        case 'rollback-started':
            return `⏪ ${mentionUser(event.user)} started a rollback to ${formatTarget(event.revision, event.historyId)}`;
        case 'rollback-finished':
            return event.succeeded
                ? `↩️ Rolled back to ${formatTarget(event.revision, undefined)}`
                : `❌ Rollback failed: ${msg(event.message ?? 'Argo CD gave no message')}`;
        case 'revert-started':
            return `↩️ ${mentionUser(event.user)} asked for a revert in Git; opening a pull request`;
        case 'revert-finished':
            return formatRevert(event);
        case 'denied':
            return `⛔ ${mentionUser(event.user)} was refused (${msg(event.action)}): ${truncateMrkdwn(oneLine(event.reason), MESSAGE_MAX)}`;
        case 'refused':
            return `⚠️ ${msg(event.action)} could not run: ${msg(event.message)}`;
        case 'expired':
            return `⌛ Expired after ${formatTimeout(event.afterMs)} without enough approvals`;
        case 'reminder':
            return `🔔 ${truncateMrkdwn(event.approvers, 1500)} this deploy has been waiting ${formatDuration(event.waitingMs)}`;
        case 'superseded': {
            const newer = event.permalink ? ` (${link(event.permalink, 'newer card')})` : '';
            return `⏭️ Superseded by ${code(shortSha(event.revision))}${newer}`;
        }
        case 'checks-changed':
            return `🧪 Checks: ${formatChecks(event.checks)}`;
        case 'push': {
            const who = event.pusher ? `${msg(event.pusher)} pushed` : 'Push:';
            const count = `${event.commits} commit${event.commits === 1 ? '' : 's'}`;
            const head = event.compareUrl
                ? link(event.compareUrl, shortSha(event.headSha))
                : code(shortSha(event.headSha));
            return `📥 ${who} ${count} to ${code(truncate(event.ref.replace(/^refs\/heads\//, ''), 200))} (${head})`;
        }
    }
}
export function renderThreadNote(event) {
    const text = formatNote(event);
    return buildMessage(text, [section('note', text)]);
}
